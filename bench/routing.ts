// Routing benchmarks against `wrangler dev --log-level warn`, all in one run so the ratios
// compare like with like on this machine:
//   1. routed webhooks vs the static XML baseline at 50 connections (target ratio ≥ 0.6)
//   2. decision latency at 1 connection (target p50 ≤ 3 ms, p99 ≤ 10 ms)
//   3. 10,000 rules + a 1,000-agent group vs 10 rules + 3 agents (target within 10%)
//   4. 1,000 concurrent calls into a round-robin group (every agent within 1 call of the others)
//   5. outbound decisions (a registered endpoint dialling out through a trunk) vs inbound ones
//   npx tsx bench/routing.ts [--seconds 10]
import { parseArgs } from "node:util";
import { dialTarget, voiceBody, type Target } from "../scripts/lib/cloudonix-sim";
import { formatLoad, runLoad, type LoadResult } from "./lib/load";
import { seedBenchTenant, type BenchTenant } from "./lib/seed";
import { startWorker } from "./lib/harness";

const { values } = parseArgs({ options: { seconds: { type: "string", default: "10" } } });
const seconds = Math.max(2, Math.min(60, Number(values.seconds)));

const small = await seedBenchTenant("small", 10, 3);
const large = await seedBenchTenant("large", 10_000, 1_000);
const seven = await seedBenchTenant("rr7", 10, 7);
const worker = await startWorker({ vars: { ENVIRONMENT: "development" } });

const target = (t: BenchTenant): Target => ({ baseUrl: worker.url, domain: t.domain, requestKey: t.requestKey });
const headers = (t: BenchTenant) => ({ "content-type": "application/json", authorization: `Bearer ${t.requestKey}` });
const inbound = (t: BenchTenant) => ({ from: "+14155550100", to: t.dialled });
const outbound = (t: BenchTenant) => ({ ...t.outbound, direction: "subscriber" });
const routed = (label: string, t: BenchTenant, connections: number, call = inbound(t)): Promise<LoadResult> =>
  runLoad({
    label,
    url: `${worker.url}/api/webhooks/voice-application`,
    connections,
    seconds,
    headers: headers(t),
    body: () => JSON.stringify(voiceBody(target(t), call)),
  });
const verdict = (ok: boolean) => (ok ? "met" : "MISSED");
const staticXml = (connections: number) =>
  runLoad({ label: `static XML, ${connections} conn`, url: `${worker.url}/__bench/static-xml`, connections, seconds, headers: headers(small), body: () => JSON.stringify(voiceBody(target(small), { from: "1", to: "2" })) });

try {
  // Warm every path (isolates, snapshots, objects) before measuring.
  for (const t of [small, large, seven]) {
    for (const call of [inbound(t), outbound(t)]) {
      for (let i = 0; i < 20; i++) await fetch(`${worker.url}/api/webhooks/voice-application`, { method: "POST", headers: headers(t), body: JSON.stringify(voiceBody(target(t), call)) });
    }
  }

  console.log(`\n== 1. routed webhook vs static XML (${seconds} s each)`);
  const baseline = await staticXml(50);
  const routed50 = await routed("routed webhook (10 rules, 3 agents), 50 conn", small, 50);
  console.log(formatLoad(baseline));
  console.log(formatLoad(routed50));
  const ratio = routed50.rps / baseline.rps;
  console.log(`throughput ratio routed/static: ${ratio.toFixed(2)} (target ≥ 0.60: ${verdict(ratio >= 0.6 && routed50.errors + routed50.non2xx === 0)})`);

  console.log("\n== 2. decision latency at 1 connection");
  const baseline1 = await staticXml(1);
  const routed1 = await routed("routed webhook, 1 conn", small, 1);
  console.log(formatLoad(baseline1));
  console.log(formatLoad(routed1));
  console.log(`routed p50 ${routed1.p50} ms, p99 ${routed1.p99} ms (targets ≤ 3 ms, ≤ 10 ms: ${verdict(routed1.p50 <= 3 && routed1.p99 <= 10)}); static p50 ${baseline1.p50} ms, p99 ${baseline1.p99} ms`);

  console.log("\n== 3. configuration size");
  const smallAgain = await routed("10 rules, 3 agents, 50 conn", small, 50);
  const large50 = await routed("10,000 rules, 1,000-agent group, 50 conn", large, 50);
  const large1 = await routed("10,000 rules, 1,000-agent group, 1 conn", large, 1);
  for (const r of [smallAgain, large50, large1]) console.log(formatLoad(r));
  const sizeRatio = large50.rps / smallAgain.rps;
  console.log(`throughput large/small: ${sizeRatio.toFixed(2)} (target ≥ 0.90: ${verdict(sizeRatio >= 0.9)}); p50 at 1 conn large ${large1.p50} ms vs small ${routed1.p50} ms`);

  console.log("\n== 4. 1,000 concurrent calls into a 7-agent round-robin group");
  const results = await Promise.all(
    Array.from({ length: 1000 }, () =>
      fetch(`${worker.url}/api/webhooks/voice-application`, { method: "POST", headers: headers(seven), body: JSON.stringify(voiceBody(target(seven), { from: "1", to: seven.dialled })) }).then(
        async (r) => {
          const text = await r.text();
          return { status: r.status, target: dialTarget(text), error: r.status === 200 ? null : `${r.status} ${text.slice(0, 120)}` };
        },
        (err: Error) => ({ status: 0, target: null, error: `${err.message}: ${String((err.cause as Error | undefined)?.message ?? "")}` }),
      ),
    ),
  );
  const counts = new Map<string, number>();
  for (const r of results) if (r.target) counts.set(r.target, (counts.get(r.target) ?? 0) + 1);
  const values = [...counts.values()];
  const spread = Math.max(...values) - Math.min(...values);
  const failed = results.filter((r) => r.status !== 200).length;
  const samples = [...new Set(results.flatMap((r) => (r.error ? [r.error] : [])))].slice(0, 3);
  console.log(`errors ${failed}${samples.length ? ` (${samples.join(" | ")})` : ""}; per agent: ${values.join(", ")}; spread ${spread} (target ≤ 1 with no errors: ${verdict(spread <= 1 && failed === 0)})`);

  console.log("\n== 5. outbound (subscriber → trunk) vs inbound (→ agent group) decisions");
  const in50 = await routed("inbound, 10 rules, 3 agents, 50 conn", small, 50);
  const out50 = await routed("outbound, 10 prefixes, 2 trunks, 50 conn", small, 50, outbound(small));
  const in1 = await routed("inbound, 1 conn", small, 1);
  const out1 = await routed("outbound, 1 conn", small, 1, outbound(small));
  for (const r of [in50, out50, in1, out1]) console.log(formatLoad(r));
  console.log(`throughput outbound/inbound: ${(out50.rps / in50.rps).toFixed(2)}; p50 at 1 conn outbound ${out1.p50} ms vs inbound ${in1.p50} ms`);
} finally {
  await worker.stop();
}
