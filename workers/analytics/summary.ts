import { BIN_COUNT, locateRank, medianRanks } from "./duration-bins";
import { HIST_OFFSET, MEASURE_COUNT, type Cell } from "./rollup-math";
import { distribution, type ShareMember, type Strategy } from "./share";
import { bucketIndex, type Bucket, type Interval } from "./time-zone";
import type { SummaryDto } from "../schemas/analytics";

/*
 * Assembles the analytics summary from rollup sums (the whole slots of the range) and the
 * contributions of the few raw records in its ragged edges. Pure: the repository runs the
 * queries, this adds them up.
 */

export interface Dimensions {
  direction?: "inbound" | "outbound" | undefined;
  groupId?: string | undefined;
  agentId?: string | undefined;
}

export interface SeriesRow {
  /** Index into the buckets. */
  bucket: number;
  /** Aligned with MEASURES (only call measures need be filled). */
  values: number[];
}

export interface TargetRow {
  groupId: string;
  agentId: string;
  values: number[];
}

export interface RoutingNames {
  agents: Map<string, { name: string; enabled: boolean; weight: number }>;
  groups: Map<string, { name: string; strategy: Strategy; members: { agentId: string; priority: number; weight: number | null }[] }>;
}

export interface Aggregates {
  totals: number[];
  series: number[][];
  targets: Map<string, TargetRow>;
}

const zero = () => new Array<number>(MEASURE_COUNT).fill(0);
const addInto = (target: number[], values: readonly number[]) => {
  for (let i = 0; i < MEASURE_COUNT; i++) target[i]! += values[i] ?? 0;
};

export const cellMatches = (cell: Cell, d: Dimensions) => (!d.direction || cell.direction === d.direction) && (!d.groupId || cell.groupId === d.groupId) && (!d.agentId || cell.agentId === d.agentId);

export function aggregate(buckets: readonly Bucket[], seriesRows: readonly SeriesRow[], targets: readonly TargetRow[], edgeCells: readonly Cell[]): Aggregates {
  const series = buckets.map(zero);
  const totals = zero();
  const byTarget = new Map<string, TargetRow>();
  const addTarget = (groupId: string, agentId: string, values: readonly number[]) => {
    const key = `${groupId}\u0001${agentId}`;
    let row = byTarget.get(key);
    if (!row) byTarget.set(key, (row = { groupId, agentId, values: zero() }));
    addInto(row.values, values);
    addInto(totals, values);
  };
  for (const row of seriesRows) {
    const target = series[row.bucket];
    if (target) addInto(target, row.values);
  }
  for (const t of targets) addTarget(t.groupId, t.agentId, t.values);
  for (const cell of edgeCells) {
    addTarget(cell.groupId, cell.agentId, cell.values);
    const i = bucketIndex(buckets, cell.slot);
    if (i >= 0) addInto(series[i]!, cell.values);
  }
  return { totals, series, targets: byTarget };
}

export const histogramOf = (values: readonly number[]) => values.slice(HIST_OFFSET, HIST_OFFSET + BIN_COUNT);

/** The bins and in-bin ranks whose values make the median (one or two reads of raw rows). */
export function medianPlan(values: readonly number[]): { bin: number; rankInBin: number; binCount: number }[] {
  const histogram = histogramOf(values);
  const n = histogram.reduce((a, b) => a + b, 0);
  return medianRanks(n).map((k) => {
    const at = locateRank(histogram, k)!;
    return { ...at, binCount: histogram[at.bin]! };
  });
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

export function counts(v: readonly number[]) {
  const [calls = 0, answered = 0, failed = 0, timedOut = 0, abandoned = 0, durationSum = 0, durationCount = 0] = v;
  return {
    calls,
    answered,
    failed,
    timedOut,
    abandoned,
    successRate: calls > 0 ? round(answered / calls, 4) : null,
    avgDurationSec: durationCount > 0 ? round(durationSum / durationCount) : null,
  };
}

const attemptCounts = (v: readonly number[]) => ({ attempts: v[7] ?? 0, firstAttempts: v[8] ?? 0, attemptsAnswered: v[9] ?? 0, attemptsFailed: v[10] ?? 0 });
const hasTraffic = (v: readonly number[]) => (v[0] ?? 0) > 0 || (v[7] ?? 0) > 0;

export interface SummaryMeta {
  since: number;
  until: number;
  timezone: string;
  interval: Interval;
  buckets: readonly Bucket[];
  inProgress: number;
  medianDurationSec: number | null;
  dimensions: Dimensions;
}

export function buildSummary(agg: Aggregates, names: RoutingNames, meta: SummaryMeta): SummaryDto {
  const perAgent = new Map<string, number[]>();
  const perGroup = new Map<string, { values: number[]; traffic: Map<string, { attempts: number; firstAttempts: number }> }>();
  for (const row of agg.targets.values()) {
    if (row.agentId) {
      const v = perAgent.get(row.agentId) ?? zero();
      addInto(v, row.values);
      perAgent.set(row.agentId, v);
    }
    if (row.groupId) {
      const g = perGroup.get(row.groupId) ?? { values: zero(), traffic: new Map() };
      addInto(g.values, row.values);
      if (row.agentId) {
        const t = g.traffic.get(row.agentId) ?? { attempts: 0, firstAttempts: 0 };
        t.attempts += row.values[7] ?? 0;
        t.firstAttempts += row.values[8] ?? 0;
        g.traffic.set(row.agentId, t);
      }
      perGroup.set(row.groupId, g);
    }
  }
  // Every current group is listed (a quiet group shows zeros), unless one group was asked for.
  for (const groupId of names.groups.keys()) {
    if (!meta.dimensions.groupId || meta.dimensions.groupId === groupId) {
      if (!perGroup.has(groupId)) perGroup.set(groupId, { values: zero(), traffic: new Map() });
    }
  }
  const agentName = (id: string) => names.agents.get(id)?.name ?? null;
  const agents = [...perAgent]
    .filter(([, v]) => hasTraffic(v))
    .sort(([a, x], [b, y]) => (y[0] ?? 0) - (x[0] ?? 0) || (y[7] ?? 0) - (x[7] ?? 0) || (a < b ? -1 : 1))
    .map(([agentId, v]) => ({ agentId, name: agentName(agentId), ...counts(v), ...attemptCounts(v) }));
  const groups = [...perGroup]
    .sort(([a], [b]) => (names.groups.get(a)?.name ?? a).localeCompare(names.groups.get(b)?.name ?? b))
    .map(([groupId, g]) => {
      const config = names.groups.get(groupId);
      const members: ShareMember[] = (config?.members ?? []).map((m) => ({
        agentId: m.agentId,
        priority: m.priority,
        weight: m.weight ?? names.agents.get(m.agentId)?.weight ?? 1,
        enabled: names.agents.get(m.agentId)?.enabled ?? false,
      }));
      const d = distribution(config?.strategy ?? "round_robin", members, g.traffic);
      return {
        groupId,
        name: config?.name ?? null,
        strategy: config?.strategy ?? null,
        ...counts(g.values),
        distribution: { ...d, agents: d.agents.map((a) => ({ ...a, name: agentName(a.agentId) })) },
      };
    });
  return {
    range: { since: new Date(meta.since).toISOString(), until: new Date(meta.until).toISOString(), timezone: meta.timezone, interval: meta.interval },
    totals: { ...counts(agg.totals), medianDurationSec: meta.medianDurationSec, inProgress: meta.inProgress },
    series: meta.buckets.map((b, i) => ({ start: b.label, end: b.endLabel, ...counts(agg.series[i]!) })),
    agents,
    groups,
  };
}
