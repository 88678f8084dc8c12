// Routing benchmarks against `wrangler dev --log-level warn`. Each section runs on a worker of
// its own (fresh local state: the calls a section leaves ringing time out two minutes later,
// and their alarms must not land in the next section's measurement), and compares like with
// like inside that one run. After each routed load it waits until the queue consumer has stored
// every call record in MySQL, so the next load does not pay for this one's backlog, and says
// whether any record is missing:
//   1. routed webhooks vs the static XML baseline at 50 connections (target ratio ≥ 0.6)
//   2. decision latency at 1 connection (target p50 ≤ 3 ms, p99 ≤ 10 ms)
//   3. 10,000 rules + a 1,000-agent group vs 10 rules + 3 agents (target within 10%)
//   4. 1,000 concurrent calls into a round-robin group (every agent within 1 call of the others)
//   5. outbound decisions (a registered endpoint dialling out through a trunk) vs inbound ones
//   npx tsx bench/routing.ts [--seconds 4] [--rounds 3]
// Each comparison runs its two loads alternately, `rounds` times: this machine's speed drifts by
// tens of percent within a minute, and alternating spreads the drift over both sides. It
// reports the median run of each side and the median of the per-round ratios (with their range).
// Every call creates a Durable Object with its own SQLite database. The local runtime keeps an
// idle object open for some 10-15 s and gives SQLite about 1 GB in all; some 2,500 fresh calls
// inside that window exhaust it (SQLITE_NOMEM, answered as a congestion Reject, which the
// bench counts as failures). So loads are short and, after one that made many calls, the next
// starts only once its objects are gone. Production storage has no such shared limit.
import { parseArgs } from "node:util";
import { dialTarget, voiceBody, type CallSpec, type Target } from "../scripts/lib/cloudonix-sim";
import { formatLoad, runLoad, type LoadResult } from "./lib/load";
import { seedBenchTenant, type BenchTenant } from "./lib/seed";
import { startWorker, type Worker } from "./lib/harness";
import { connect, databaseUrl } from "../scripts/lib/db";

const { values } = parseArgs({ options: { seconds: { type: "string", default: "4" }, rounds: { type: "string", default: "3" } } });
const seconds = Math.max(2, Math.min(60, Number(values.seconds)));
const rounds = Math.max(1, Math.min(9, Number(values.rounds)));

const small = await seedBenchTenant("small", 10, 3);
const large = await seedBenchTenant("large", 10_000, 1_000);
const seven = await seedBenchTenant("rr7", 10, 7);

const headers = (t: BenchTenant) => ({ "content-type": "application/json", authorization: `Bearer ${t.requestKey}` });
const inbound = (t: BenchTenant): CallSpec => ({ from: "+14155550100", to: t.dialled });
const outbound = (t: BenchTenant): CallSpec => ({ ...t.outbound, direction: "subscriber" });
const verdict = (ok: boolean) => (ok ? "met" : "MISSED");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** How long the local runtime keeps an idle Durable Object (and its SQLite database) open. */
const EVICTION_MS = 20_000;

const mysql = await connect(databaseUrl());
async function storedRecords(t: BenchTenant): Promise<number> {
  const [rows] = await mysql.query("SELECT COUNT(*) AS n FROM call_records WHERE tenant_id = ?", [t.tenantId]);
  return Number((rows as { n: number }[])[0]!.n);
}

/**
 * Waits for the records of a load to reach MySQL (the count stops moving), and compares them
 * with the calls answered 200. A call cut off when the load stopped may be stored without being
 * counted as answered, so more records than answers is fine; fewer would be a loss.
 */
async function settle(t: BenchTenant, before: number, answered: number): Promise<string> {
  const started = Date.now();
  let stored = -1;
  let movedAt = started;
  for (;;) {
    const now = await storedRecords(t);
    if (now !== stored) [stored, movedAt] = [now, Date.now()];
    const quietFor = Date.now() - movedAt;
    if ((stored - before >= answered && quietFor > 2_000) || quietFor > 15_000 || Date.now() - started > 180_000) break;
    await sleep(250);
  }
  const n = stored - before;
  return `${n} records in MySQL for ${answered} calls answered, settled in ${((Date.now() - started) / 1000).toFixed(1)} s${n < answered ? ` — ${answered - n} MISSING` : ""}`;
}
/** Transport errors, non-2xx, and calls answered without a Dial (our failures answer 200 + Reject). */
const failures = (r: LoadResult) => r.errors + r.non2xx + r.unexpected;

/** What a section can do against its own worker. */
function on(worker: Worker) {
  const target = (t: BenchTenant): Target => ({ baseUrl: worker.url, domain: t.domain, requestKey: t.requestKey });
  const post = (t: BenchTenant, call: CallSpec) => fetch(`${worker.url}/api/webhooks/voice-application`, { method: "POST", headers: headers(t), body: JSON.stringify(voiceBody(target(t), call)) });
  return {
    target,
    post,
    routed: async (label: string, t: BenchTenant, connections: number, call: CallSpec = inbound(t)): Promise<LoadResult> => {
      const before = await storedRecords(t);
      const result = await runLoad({
        label,
        url: `${worker.url}/api/webhooks/voice-application`,
        connections,
        seconds,
        headers: headers(t),
        body: () => JSON.stringify(voiceBody(target(t), call)),
        expect: (body) => body.includes("<Dial"),
      });
      const ended = Date.now();
      console.log(`  ${label}: ${await settle(t, before, result.requests - failures(result))}`);
      if (result.requests > 800) await sleep(Math.max(0, ended + EVICTION_MS - Date.now()));
      return result;
    },
    staticXml: (connections: number) => runLoad({ label: `static XML, ${connections} conn`, url: `${worker.url}/__bench/static-xml`, connections, seconds, headers: headers(small), body: () => JSON.stringify(voiceBody(target(small), { from: "1", to: "2" })) }),
    /** Isolates, snapshots and objects warm before measuring. */
    warm: async (...calls: [BenchTenant, CallSpec][]) => {
      for (const [t, call] of calls) for (let i = 0; i < 20; i++) await (await post(t, call)).text();
    },
  };
}

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;

/** Runs `a` and `b` alternately; each side's median-throughput run, and the median per-round ratio b/a. */
async function interleave(a: () => Promise<LoadResult>, b: () => Promise<LoadResult>): Promise<{ a: LoadResult; b: LoadResult; ratio: number; range: string }> {
  const as: LoadResult[] = [];
  const bs: LoadResult[] = [];
  for (let round = 0; round < rounds; round++) {
    as.push(await a());
    bs.push(await b());
  }
  const middle = (runs: LoadResult[]) => runs.find((r) => r.rps === median(runs.map((x) => x.rps)))!;
  const withFailures = (run: LoadResult, runs: LoadResult[]): LoadResult => ({
    ...run,
    errors: runs.reduce((n, r) => n + r.errors, 0),
    non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
    unexpected: runs.reduce((n, r) => n + r.unexpected, 0),
  });
  const ratios = bs.map((run, i) => run.rps / as[i]!.rps);
  return {
    a: withFailures(middle(as), as),
    b: withFailures(middle(bs), bs),
    ratio: median(ratios),
    range: `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`,
  };
}

async function section(title: string, run: (w: ReturnType<typeof on>) => Promise<void>): Promise<void> {
  console.log(`\n== ${title}`);
  const worker = await startWorker();
  try {
    await run(on(worker));
  } finally {
    await worker.stop();
  }
}

await section(`1. routed webhook vs static XML, 50 connections (${seconds} s each, ${rounds} rounds)`, async (w) => {
  await w.warm([small, inbound(small)]);
  const { a, b, ratio, range } = await interleave(
    () => w.staticXml(50),
    () => w.routed("routed webhook (10 rules, 3 agents), 50 conn", small, 50),
  );
  console.log(formatLoad(a));
  console.log(formatLoad(b));
  console.log(`throughput ratio routed/static: ${ratio.toFixed(2)} (rounds ${range}) (target ≥ 0.60: ${verdict(ratio >= 0.6 && failures(b) === 0)})`);
});

await section(`2. decision latency at 1 connection (${rounds} rounds)`, async (w) => {
  await w.warm([small, inbound(small)]);
  const { a, b } = await interleave(
    () => w.staticXml(1),
    () => w.routed("routed webhook, 1 conn", small, 1),
  );
  console.log(formatLoad(a));
  console.log(formatLoad(b));
  console.log(`routed p50 ${b.p50} ms, p99 ${b.p99} ms (targets ≤ 3 ms, ≤ 10 ms: ${verdict(b.p50 <= 3 && b.p99 <= 10)}); static p50 ${a.p50} ms, p99 ${a.p99} ms`);
});

await section(`3. configuration size (${rounds} rounds)`, async (w) => {
  await w.warm([small, inbound(small)], [large, inbound(large)]);
  const at50 = await interleave(
    () => w.routed("10 rules, 3 agents, 50 conn", small, 50),
    () => w.routed("10,000 rules, 1,000-agent group, 50 conn", large, 50),
  );
  const at1 = await interleave(
    () => w.routed("10 rules, 3 agents, 1 conn", small, 1),
    () => w.routed("10,000 rules, 1,000-agent group, 1 conn", large, 1),
  );
  for (const r of [at50.a, at50.b, at1.a, at1.b]) console.log(formatLoad(r));
  console.log(`throughput large/small: ${at50.ratio.toFixed(2)} (rounds ${at50.range}) (target ≥ 0.90: ${verdict(at50.ratio >= 0.9 && failures(at50.b) === 0)}); p50 at 1 conn large ${at1.b.p50} ms vs small ${at1.a.p50} ms`);
});

await section("4. 1,000 concurrent calls into a 7-agent round-robin group", async (w) => {
  await w.warm([seven, inbound(seven)]);
  const before = await storedRecords(seven);
  const results = await Promise.all(
    Array.from({ length: 1000 }, () =>
      w.post(seven, { from: "1", to: seven.dialled }).then(
        async (r) => {
          const text = await r.text();
          const dialled = dialTarget(text);
          return { status: r.status, target: dialled, error: r.status === 200 && dialled ? null : `${r.status} ${text.slice(0, 120)}` };
        },
        (err: Error) => ({ status: 0, target: null, error: `${err.message}: ${String((err.cause as Error | undefined)?.message ?? "")}` }),
      ),
    ),
  );
  const counts = new Map<string, number>();
  for (const r of results) if (r.target) counts.set(r.target, (counts.get(r.target) ?? 0) + 1);
  const perAgent = [...counts.values()];
  const spread = Math.max(...perAgent) - Math.min(...perAgent);
  const failed = results.filter((r) => r.error).length;
  const samples = [...new Set(results.flatMap((r) => (r.error ? [r.error] : [])))].slice(0, 3);
  console.log(`errors ${failed}${samples.length ? ` (${samples.join(" | ")})` : ""}; per agent: ${perAgent.join(", ")}; spread ${spread} (target ≤ 1 with no errors: ${verdict(spread <= 1 && failed === 0)})`);
  console.log(`  ${await settle(seven, before, results.length - failed)}`);
});

await section(`5. outbound (subscriber → trunk) vs inbound (→ agent group) decisions (${rounds} rounds)`, async (w) => {
  await w.warm([small, inbound(small)], [small, outbound(small)]);
  const at50 = await interleave(
    () => w.routed("inbound, 10 rules, 3 agents, 50 conn", small, 50),
    () => w.routed("outbound, 10 prefixes, 2 trunks, 50 conn", small, 50, outbound(small)),
  );
  const at1 = await interleave(
    () => w.routed("inbound, 1 conn", small, 1),
    () => w.routed("outbound, 1 conn", small, 1, outbound(small)),
  );
  for (const r of [at50.a, at50.b, at1.a, at1.b]) console.log(formatLoad(r));
  console.log(`throughput outbound/inbound: ${at50.ratio.toFixed(2)} (rounds ${at50.range}); p50 at 1 conn outbound ${at1.b.p50} ms vs inbound ${at1.a.p50} ms`);
});

await mysql.end();
