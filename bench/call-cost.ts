// What one full call costs in production terms, for two builds of this repository side by side
// (issue 15, "The benchmark prints the bill"): a baseline commit and the current one, each from
// its own git worktree, its own MySQL database and its own `wrangler dev`, both metered by the
// same wrapper (bench/lib/meter/meter.ts; the builds' source is not changed), loaded alternately.
//
//   npx tsx bench/call-cost.ts [--baseline 9de425a] [--current HEAD|working-tree|<commit>]
//                              [--rounds 3] [--calls 200] [--concurrency 1] [--settle-seconds 2] [--keep]
//
// A full call is 5 webhooks (bench/lib/cost/calls.ts): route, session update ringing, session
// update connected, dial result completed, CDR. Per call it counts Durable Object requests (RPC
// calls, fetches, alarms), rows written (SQL by the runtime's own rowsWritten meter; KV writes
// and setAlarm at the rows Cloudflare bills for them), queue messages and operations, Upstash
// commands (a counting proxy per build) and the Worker's workerd CPU time (/proc, minus its idle
// rate), compared with four static CXML requests on the same worker; the decision latency (the
// route webhook) at `--concurrency` connections (1 by default); and the modelled cost per million
// calls from bench/prices.json. Each round loads one build, then the other (the order swaps every
// round), and waits until every record and event is in MySQL and the CallSessions' settle alarm
// (CALL_SETTLE_SECONDS, 2 s here instead of 60 s: the same work, sooner) has run.
// Figures are the median over rounds; latencies are pooled. Results: .wrangler/bench-call-cost.json.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createConnection, type RowDataPacket } from "mysql2/promise";
import type { Tally } from "./lib/meter/meter";
import type { Worker } from "./lib/harness";
import { checkout, cpuMs, dropDatabase, freshDatabase, removeCheckout, seedTenant, serve, workerdProcesses, writeEnvFile, writeMeteredEntry, type Build } from "./lib/cost/build";
import { runCalls, runStatic, STEPS } from "./lib/cost/calls";
import { costPerMillion, median, medianOf, perCall, percentile, type CallFigures, type Prices } from "./lib/cost/figures";
import { startUpstashCounter, type UpstashCounter } from "./lib/cost/upstash-counter";

const { values } = parseArgs({
  options: {
    baseline: { type: "string", default: "9de425a" },
    current: { type: "string", default: "HEAD" },
    rounds: { type: "string", default: "3" },
    calls: { type: "string", default: "200" },
    concurrency: { type: "string", default: "1" },
    "settle-seconds": { type: "string", default: "2" },
    keep: { type: "boolean", default: false },
  },
});
const rounds = Math.max(1, Math.min(9, Number(values.rounds)));
const calls = Math.max(10, Math.min(1000, Number(values.calls)));
const concurrency = Math.max(1, Math.min(50, Number(values.concurrency)));
const settleSeconds = Math.max(1, Number(values["settle-seconds"]));
const prices = (JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), "prices.json"), "utf8")) as { prices: Prices; taken: string }).prices;
const upstashUrl = process.env.UPSTASH_URL ?? "http://127.0.0.1:8079";

/** Issue 15's targets. */
const TARGETS = { rowsWritten: 15, queueOperations: 6, doRequests: 8, cpuRatio: 1.5, p50: 3, p99: 10, costPerMillion: 15 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const startedAt = Date.now();
const elapsed = () => `${((Date.now() - startedAt) / 1000).toFixed(0)} s`;

interface Running {
  build: Build;
  worker: Worker;
  upstash: UpstashCounter;
  /** The workerd that runs the Worker (wrangler's dev proxy runs in a second one). */
  userPid: number;
  proxyPids: number[];
  rounds: CallFigures[];
  routeMs: number[];
  stepMs: number[][];
  failureSamples: string[];
}

const runDir = mkdtempSync("/tmp/cxlb-bench-cost-");
const running: Running[] = [];
const builds: Build[] = [];
let cleaned = false;
function cleanupCheckouts() {
  if (cleaned || values.keep) return;
  cleaned = true;
  for (const build of builds) removeCheckout(build);
  rmSync(runDir, { recursive: true, force: true });
  rmSync(resolve(".wrangler/bench-meter"), { recursive: true, force: true });
}
// The harness stops wrangler and exits on ^C; the worktrees go with the process.
process.once("exit", cleanupCheckouts);

async function meter(r: Running, path = "/__meter", method = "GET"): Promise<Tally> {
  const res = await fetch(`${r.worker.url}${path}`, { method });
  if (!res.ok) throw new Error(`${r.build.label}: ${path} answered ${res.status} ${await res.text()}`);
  return (await res.json()) as Tally;
}

async function mysqlCounts(r: Running, sessions: string[]): Promise<{ complete: number; events: number | null }> {
  const connection = await createConnection({ uri: `mysql://${process.env.DB_USER ?? "cxlb"}:${process.env.DB_PASSWORD ?? "cxlb-local-pw"}@127.0.0.1:3306/${r.build.database}`, timezone: "Z" });
  try {
    const [records] = await connection.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM call_records WHERE tenant_id = ? AND call_id IN (?) AND status = 'completed' AND billable_sec = 2", [r.build.tenant.tenantId, sessions]);
    let events: number | null = null;
    try {
      const [rows] = await connection.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM call_events WHERE tenant_id = ? AND call_id IN (?)", [r.build.tenant.tenantId, sessions]);
      events = Number(rows[0]!.n);
    } catch {
      // A schema without call_events.call_id: not counted.
    }
    return { complete: Number(records[0]!.n), events };
  } finally {
    await connection.end();
  }
}

const activity = (t: Tally) => JSON.stringify([Object.values(t.classes).map((c) => [c.requests, c.rowsWritten]), Object.values(t.queues).map((q) => q.messages), t.consumer.messages, t.worker.queueInvocations]);

/**
 * Waits until every call's final record is in MySQL, the consumer has taken every message sent,
 * and nothing has moved for the settle delay plus 2 s (so each call's settle alarm has run).
 */
async function settle(r: Running, sessions: string[]): Promise<{ seconds: number; complete: number; events: number | null }> {
  const started = Date.now();
  let last = "";
  let movedAt = Date.now();
  for (;;) {
    const t = await meter(r);
    const signature = activity(t);
    if (signature !== last) [last, movedAt] = [signature, Date.now()];
    const sent = Object.values(t.queues).reduce((n, q) => n + q.messages, 0);
    const counts = await mysqlCounts(r, sessions);
    const quiet = Date.now() - movedAt >= settleSeconds * 1000 + 2_000;
    if ((counts.complete >= sessions.length && t.consumer.messages >= sent && quiet) || Date.now() - started > 180_000) {
      if (counts.complete < sessions.length) console.warn(`[bench] ${r.build.label}: only ${counts.complete} of ${sessions.length} final records in MySQL after ${elapsed()}`);
      return { seconds: (Date.now() - started) / 1000, ...counts };
    }
    await sleep(500);
  }
}

/** CPU ms per second of the workerd while nothing is asked of it (timers, crons), to subtract. */
async function idleRate(pid: number): Promise<number> {
  const before = cpuMs([pid]);
  await sleep(2_000);
  return (cpuMs([pid]) - before) / 2_000;
}

async function measureRound(r: Running, round: number): Promise<void> {
  // Calls.
  const idle = await idleRate(r.userPid);
  await meter(r, "/__meter/reset", "POST");
  r.upstash.reset();
  const cpu0 = cpuMs([r.userPid]);
  const proxy0 = cpuMs(r.proxyPids);
  const t0 = Date.now();
  const { sessions, results } = await runCalls(r.worker.url, r.build.tenant, calls, concurrency);
  // A failed call may leave no final record: wait for those that answered every webhook.
  const settled = await settle(
    r,
    sessions.filter((_, i) => !results[i]!.error),
  );
  const windowMs = Date.now() - t0;
  const cpuCalls = Math.max(0, cpuMs([r.userPid]) - cpu0 - idle * windowMs);
  const proxyCalls = cpuMs(r.proxyPids) - proxy0;
  const tally = await meter(r);
  const upstash = r.upstash.count();
  const failures = results.filter((c) => c.error);
  for (const f of failures) if (r.failureSamples.length < 5) r.failureSamples.push(f.error!);
  for (const c of results) if (!c.error) r.routeMs.push(c.steps[0]!);
  for (const c of results) if (!c.error) r.stepMs.push(c.steps);

  // Four static CXML requests per call, on the same worker.
  const cpuS0 = cpuMs([r.userPid]);
  const s0 = Date.now();
  const staticFailures = await runStatic(r.worker.url, r.build.tenant, calls * 4);
  const cpuStatic = Math.max(0, cpuMs([r.userPid]) - cpuS0 - idle * (Date.now() - s0));
  if (staticFailures) console.warn(`[bench] ${r.build.label}: ${staticFailures} static requests failed`);

  const figures: CallFigures = {
    ...perCall(tally, upstash, calls),
    failures: failures.length,
    cpuMs: cpuCalls / calls,
    proxyCpuMs: proxyCalls / calls,
    staticCpuMs: cpuStatic / calls,
    cpuRatio: cpuStatic > 0 ? cpuCalls / cpuStatic : Number.NaN,
    mysqlEventRows: settled.events === null ? null : settled.events / calls,
    settledSeconds: settled.seconds,
  };
  r.rounds.push(figures);
  console.log(
    `[bench] round ${round + 1} ${r.build.label.padEnd(8)} ${calls} calls${figures.failures ? ` (${figures.failures} FAILED)` : ""}: ${figures.doRequests.toFixed(1)} DO requests, ${figures.rowsWritten.toFixed(1)} rows written, ${figures.queueMessages.toFixed(1)} queue messages, ${figures.upstashCommands.toFixed(2)} Upstash commands, CPU ${figures.cpuMs.toFixed(1)} ms vs static ${figures.staticCpuMs.toFixed(1)} ms (settled in ${settled.seconds.toFixed(0)} s; ${elapsed()})`,
  );
}

async function start(label: string, ref: string): Promise<Running> {
  const build = { ...checkout({ label, ref }, runDir), database: "", tenant: { tenantId: "", domain: "", requestKey: "", agents: 0 }, worker: null } as Build;
  builds.push(build);
  const entry = writeMeteredEntry(build);
  build.database = await freshDatabase(build);
  const upstash = await startUpstashCounter(upstashUrl);
  const env = writeEnvFile(build, runDir, { UPSTASH_REDIS_REST_URL: upstash.url });
  build.tenant = await seedTenant(build, build.database, env.values.ENCRYPTION_KEY ?? "");
  const worker = await serve(build, entry, env.path, { CALL_SETTLE_SECONDS: String(settleSeconds) });
  const processes = workerdProcesses(worker.pgid);
  const user = processes.find((p) => p.cmdline.includes("--inspector-addr")) ?? processes[0];
  if (!user) throw new Error(`${label}: no workerd process in wrangler's process group ${worker.pgid}`);
  const r: Running = { build, worker, upstash, userPid: user.pid, proxyPids: processes.filter((p) => p !== user).map((p) => p.pid), rounds: [], routeMs: [], stepMs: [], failureSamples: [] };
  const calibration = await (await fetch(`${worker.url}/__meter/calibrate`, { method: "POST" })).json();
  console.log(`[bench] ${label}: ${build.commit.slice(0, 7)} "${build.subject}" on ${worker.url} (database ${build.database}; KV rows per put measured ${JSON.stringify(calibration)}; ${elapsed()})`);
  return r;
}

try {
  console.log(`[bench] call cost: baseline ${values.baseline} vs current ${values.current}, ${rounds} rounds of ${calls} calls at ${concurrency} connection(s)`);
  running.push(await start("baseline", values.baseline!));
  running.push(await start("current", values.current!));
  // Warm both: isolates, routing snapshots, the tenant hub and the balancer exist before counting.
  for (const r of running) {
    const warm = await runCalls(r.worker.url, r.build.tenant, 10, 1);
    const failed = warm.results.find((c) => c.error);
    if (failed) throw new Error(`${r.build.label}: a warm-up call failed: ${failed.error}`);
    await runStatic(r.worker.url, r.build.tenant, 20);
    await settle(r, warm.sessions);
  }
  for (let round = 0; round < rounds; round++) {
    for (const r of round % 2 === 0 ? running : [...running].reverse()) await measureRound(r, round);
  }
  report();
} finally {
  for (const r of running) {
    await r.worker.stop();
    await r.upstash.close();
  }
  if (!values.keep) for (const b of builds) if (b.database) await dropDatabase(b.database);
  cleanupCheckouts();
}

function report(): void {
  const [base, cur] = running as [Running, Running];
  const b = medianOf(base.rounds);
  const c = medianOf(cur.rounds);
  const costB = costPerMillion(b, prices);
  const costC = costPerMillion(c, prices);
  const cpuVsBase = median(cur.rounds.map((f, i) => f.cpuMs / base.rounds[i]!.cpuMs));
  const range = (xs: number[]) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
  const lat = (r: Running) => ({ p50: percentile(r.routeMs, 50), p99: percentile(r.routeMs, 99) });
  const lb = lat(base);
  const lc = lat(cur);
  const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "—");
  const verdict = (ok: boolean) => (ok ? "met" : "MISSED");
  const rows: [string, string, string, string, string][] = [];
  const row = (name: string, target: string, vb: string, vc: string, judged = "") => rows.push([name, target, vb, vc, judged]);
  const classes = [...new Set([...Object.keys(b.classes), ...Object.keys(c.classes)])].sort();
  const cls = (f: CallFigures, name: string) => f.classes[name];

  row("Durable Object requests (RPC + fetch + alarm)", `≤ ${TARGETS.doRequests}`, fmt(b.doRequests), fmt(c.doRequests), verdict(c.doRequests <= TARGETS.doRequests));
  for (const k of classes) row(`  ${k}`, "", fmt(cls(b, k)?.requests ?? 0), fmt(cls(c, k)?.requests ?? 0));
  row("  of which alarms", "", fmt(b.alarms), fmt(c.alarms));
  row("rows written (SQLite + KV + setAlarm)", `≤ ${TARGETS.rowsWritten}`, fmt(b.rowsWritten), fmt(c.rowsWritten), verdict(c.rowsWritten <= TARGETS.rowsWritten));
  for (const k of classes) {
    const describe = (x?: ClassLine) => (x ? `${fmt(x.rowsWritten)} (${fmt(x.sqlRowsWritten)} SQL in ${fmt(x.sqlWriteStatements)} stmts, ${fmt(x.kvWrites)} KV, ${fmt(x.setAlarms)} alarms)` : "0");
    row(`  ${k}`, "", describe(cls(b, k)), describe(cls(c, k)));
  }
  row("queue messages", "", fmt(b.queueMessages), fmt(c.queueMessages));
  for (const source of [...new Set([...Object.keys(b.queueBySource), ...Object.keys(c.queueBySource)])].sort()) row(`  ${source}`, "", fmt(b.queueBySource[source] ?? 0), fmt(c.queueBySource[source] ?? 0));
  row("queue operations (3 per message + retries)", `≤ ${TARGETS.queueOperations}`, fmt(b.queueOperations), fmt(c.queueOperations), verdict(c.queueOperations <= TARGETS.queueOperations));
  row("Upstash commands", "", fmt(b.upstashCommands, 2), fmt(c.upstashCommands, 2));
  row("Worker requests (5 webhooks + consumer invocations)", "", fmt(b.workerRequests, 2), fmt(c.workerRequests, 2));
  row("workerd CPU per call, ms (webhooks, queue consumer, alarms)", "", fmt(b.cpuMs), fmt(c.cpuMs), `current/baseline ${fmt(cpuVsBase, 2)} (rounds ${range(cur.rounds.map((f, i) => f.cpuMs / base.rounds[i]!.cpuMs))})`);
  row("  four static XML requests, same worker", "", fmt(b.staticCpuMs), fmt(c.staticCpuMs));
  row("  call ÷ four static requests", `≤ ${TARGETS.cpuRatio}×`, `${fmt(b.cpuRatio, 2)}× (${range(base.rounds.map((f) => f.cpuRatio))})`, `${fmt(c.cpuRatio, 2)}× (${range(cur.rounds.map((f) => f.cpuRatio))})`, verdict(c.cpuRatio <= TARGETS.cpuRatio));
  row(`decision latency p50 / p99 at ${concurrency} conn, ms`, `≤ ${TARGETS.p50} / ≤ ${TARGETS.p99}`, `${fmt(lb.p50)} / ${fmt(lb.p99)}`, `${fmt(lc.p50)} / ${fmt(lc.p99)}`, verdict(lc.p50 <= TARGETS.p50 && lc.p99 <= TARGETS.p99));
  const steps = (r: Running) => STEPS.map((_, i) => fmt(median(r.stepMs.map((s) => s[i]!)))).join(" / ");
  row("  p50 per webhook (route/ring/answer/dial/cdr), ms", "", steps(base), steps(cur));
  row("Durable Object wall time per call, ms", "", fmt(b.doHandlerMs), fmt(c.doHandlerMs));
  row("MySQL call_events rows per call", "", b.mysqlEventRows === null ? "—" : fmt(b.mysqlEventRows), c.mysqlEventRows === null ? "—" : fmt(c.mysqlEventRows));
  row("modelled cost per 1M calls", `≤ $${TARGETS.costPerMillion}`, `$${fmt(costB.total!, 2)}`, `$${fmt(costC.total!, 2)}`, verdict(costC.total! <= TARGETS.costPerMillion));
  for (const [k, label] of [
    ["rowsWritten", "rows written"],
    ["queueOperations", "queue operations"],
    ["doRequests", "DO requests"],
    ["doDuration", "DO duration"],
    ["workerRequests", "Worker requests"],
    ["workerCpu", "Worker CPU"],
    ["upstash", "Upstash"],
    ["rowsRead", "rows read"],
  ] as const)
    row(`  ${label}`, "", `$${fmt(costB[k]!, 2)}`, `$${fmt(costC[k]!, 2)}`);

  const head: [string, string, string, string, string] = ["per call", "target", `baseline ${base.build.commit.slice(0, 7)}`, `current ${cur.build.commit.slice(0, 7)}`, ""];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  console.log(`\n== Per-call cost: ${rounds} rounds × ${calls} full calls per build, alternating (${elapsed()} in all)`);
  console.log(`baseline ${base.build.commit.slice(0, 7)} ${base.build.subject}`);
  console.log(`current  ${cur.build.commit.slice(0, 7)} ${cur.build.subject}`);
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  for (const r of running) if (r.failureSamples.length) console.log(`${r.build.label}: FAILED calls, e.g. ${r.failureSamples.join(" | ")}`);
  for (const [r, f] of [
    [base, b],
    [cur, c],
  ] as const) {
    console.log(`\nwhere ${r.build.label} ${r.build.commit.slice(0, 7)}'s rows written go, per call:`);
    for (const [name, k] of Object.entries(f.classes).sort()) {
      const parts = [
        ...Object.entries(k.statements)
          .filter(([, x]) => x.rowsWritten >= 0.05)
          .sort(([, x], [, y]) => y.rowsWritten - x.rowsWritten)
          .map(([sql, x]) => `${fmt(x.rowsWritten)} ${sql.slice(0, 60)} (×${fmt(x.n, 2)})`),
        ...(k.kvPuts ? [`${fmt(k.kvPuts)} KV put`] : []),
        ...(k.kvDeletes ? [`${fmt(k.kvDeletes)} KV delete`] : []),
        ...(k.setAlarms ? [`${fmt(k.setAlarms)} setAlarm`] : []),
      ];
      console.log(`  ${name} ${fmt(k.rowsWritten)}: ${parts.join("; ") || "none"}`);
    }
    console.log(
      `  requests: ${Object.entries(f.classes)
        .map(
          ([name, k]) =>
            `${name} ${Object.entries(k.byMethod)
              .map(([m, n]) => `${m} ${fmt(n)}`)
              .join(", ")}`,
        )
        .join("; ")}`,
    );
  }
  console.log("Counts are exact per call (medians over rounds); CPU and latency drift with the machine's load, so compare the two builds within this run, not across runs.");

  const out = resolve(".wrangler/bench-call-cost.json");
  mkdirSync(resolve(".wrangler"), { recursive: true });
  writeFileSync(
    out,
    JSON.stringify(
      {
        at: new Date().toISOString(),
        seconds: (Date.now() - startedAt) / 1000,
        options: { rounds, calls, concurrency, settleSeconds },
        targets: TARGETS,
        builds: running.map((r) => ({
          label: r.build.label,
          ref: r.build.ref,
          commit: r.build.commit,
          subject: r.build.subject,
          median: medianOf(r.rounds),
          rounds: r.rounds,
          latency: lat(r),
          cost: costPerMillion(medianOf(r.rounds), prices),
          failures: r.failureSamples,
        })),
      },
      null,
      2,
    ),
  );
  console.log(`figures written to ${join(".wrangler", "bench-call-cost.json")}`);
}

type ClassLine = CallFigures["classes"][string];
