// Per-call figures from one measured phase (the meter's tally, the Upstash count, workerd's CPU
// time), their medians over rounds, and the modelled production cost from bench/prices.json.
import type { Tally } from "../meter/meter";
import type { UpstashCount } from "./upstash-counter";

export interface ClassFigures {
  requests: number;
  byMethod: Record<string, number>;
  rowsWritten: number;
  sqlRowsWritten: number;
  sqlStatements: number;
  sqlWriteStatements: number;
  kvWrites: number;
  kvPuts: number;
  kvDeletes: number;
  setAlarms: number;
  handlerMs: number;
  /** SQL per statement: executions and rows written, per call. */
  statements: Record<string, { n: number; rowsWritten: number }>;
}

/** Everything per call, for one round of one build. */
export interface CallFigures {
  calls: number;
  failures: number;
  doRequests: number;
  alarms: number;
  rowsWritten: number;
  rowsRead: number;
  classes: Record<string, ClassFigures>;
  queueMessages: number;
  /** Messages by sender (Durable Object class, else Worker) and body kind. */
  queueBySource: Record<string, number>;
  queueBytesPerMessage: number;
  /** 3 per message sent (write, read, delete) plus one read per retry. */
  queueOperations: number;
  consumerRetries: number;
  upstashCommands: number;
  upstashByCommand: Record<string, number>;
  workerRequests: number;
  consumerInvocations: number;
  /**
   * The Worker's workerd from the first webhook until everything settled, minus its idle rate
   * over the window: the webhooks, the queue consumer's MySQL writes (which run meanwhile) and
   * the alarms. Miniflare's own services (its queue broker) run in the same process.
   */
  cpuMs: number;
  /** wrangler's proxy workerd in front of it (the same for both builds' kind of request). */
  proxyCpuMs: number;
  /** The same workerd for four static CXML answers through the same app (workers/routes/bench-baseline.ts). */
  staticCpuMs: number;
  cpuRatio: number;
  doHandlerMs: number;
  mysqlEventRows: number | null;
  settledSeconds: number;
}

export function perCall(tally: Tally, upstash: UpstashCount, calls: number): Omit<CallFigures, "failures" | "cpuMs" | "proxyCpuMs" | "staticCpuMs" | "cpuRatio" | "mysqlEventRows" | "settledSeconds"> {
  const per = (n: number) => n / calls;
  const classes: Record<string, ClassFigures> = {};
  let doRequests = 0;
  let alarms = 0;
  let rowsWritten = 0;
  let rowsRead = 0;
  let handlerMs = 0;
  for (const [name, c] of Object.entries(tally.classes)) {
    doRequests += c.requests;
    alarms += c.alarms;
    rowsWritten += c.rowsWritten;
    rowsRead += c.sqlRowsRead;
    handlerMs += c.handlerMs;
    classes[name] = {
      requests: per(c.requests),
      byMethod: Object.fromEntries(Object.entries(c.byMethod).map(([m, n]) => [m, per(n)])),
      rowsWritten: per(c.rowsWritten),
      sqlRowsWritten: per(c.sqlRowsWritten),
      sqlStatements: per(c.sqlStatements),
      sqlWriteStatements: per(c.sqlWriteStatements),
      kvWrites: per(c.kvPuts + c.kvDeletes + c.asyncKvPuts + c.asyncKvDeletes),
      kvPuts: per(c.kvPuts + c.asyncKvPuts),
      kvDeletes: per(c.kvDeletes + c.asyncKvDeletes),
      setAlarms: per(c.setAlarms),
      handlerMs: per(c.handlerMs),
      statements: Object.fromEntries(Object.entries(c.statements).map(([sql, x]) => [sql, { n: per(x.n), rowsWritten: per(x.rowsWritten) }])),
    };
  }
  const messages = Object.values(tally.queues).reduce((n, q) => n + q.messages, 0);
  const bySource: Record<string, number> = {};
  for (const q of Object.values(tally.queues)) for (const [source, n] of Object.entries(q.bySource ?? {})) bySource[source] = (bySource[source] ?? 0) + per(n);
  const bytes = Object.values(tally.queues).reduce((n, q) => n + q.bytes, 0);
  return {
    calls,
    doRequests: per(doRequests),
    alarms: per(alarms),
    rowsWritten: per(rowsWritten),
    rowsRead: per(rowsRead),
    classes,
    queueMessages: per(messages),
    queueBySource: bySource,
    queueBytesPerMessage: messages ? bytes / messages : 0,
    queueOperations: per(messages * 3 + tally.consumer.retries),
    consumerRetries: per(tally.consumer.retries),
    upstashCommands: per(upstash.commands),
    upstashByCommand: Object.fromEntries(Object.entries(upstash.byCommand).map(([c, n]) => [c, per(n)])),
    workerRequests: per(tally.worker.fetches + tally.worker.queueInvocations),
    consumerInvocations: per(tally.worker.queueInvocations),
    doHandlerMs: per(handlerMs),
  };
}

export const median = (values: number[]): number => {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export function percentile(values: number[], p: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** The median of each number over rounds (nested records too); non-numbers from the first round. */
export function medianOf<T>(rounds: T[]): T {
  const first = rounds[0] as unknown;
  if (typeof first === "number") return median(rounds as number[]) as T;
  if (first && typeof first === "object" && !Array.isArray(first)) {
    const keys = new Set(rounds.flatMap((r) => Object.keys(r as object)));
    return Object.fromEntries([...keys].map((k) => [k, medianOf(rounds.map((r) => (r as Record<string, unknown>)[k] ?? 0))])) as T;
  }
  return first as T;
}

export interface Price {
  usd: number;
  per: number;
  unit: string;
  url: string;
  source: string;
}

export type Prices = Record<"doRequests" | "doDuration" | "rowsWritten" | "rowsRead" | "queueOperations" | "workerRequests" | "workerCpuMs" | "upstashCommands", Price>;

/** Dollars per million calls, by line. CPU is the local workerd's (production's differs; it is a small line either way). */
export function costPerMillion(f: CallFigures, prices: Prices): Record<string, number> {
  const line = (quantityPerCall: number, price: Price) => (quantityPerCall * 1_000_000 * price.usd) / price.per;
  const lines = {
    rowsWritten: line(f.rowsWritten, prices.rowsWritten),
    rowsRead: line(f.rowsRead, prices.rowsRead),
    queueOperations: line(f.queueOperations, prices.queueOperations),
    doRequests: line(f.doRequests, prices.doRequests),
    doDuration: line((f.doHandlerMs / 1000) * 0.128, prices.doDuration),
    workerRequests: line(f.workerRequests, prices.workerRequests),
    workerCpu: line(f.cpuMs, prices.workerCpuMs),
    upstash: line(f.upstashCommands, prices.upstashCommands),
  };
  return { ...lines, total: Object.values(lines).reduce((a, b) => a + b, 0) };
}
