// The webhook's answer with outgoing event webhooks and alerts on vs off, in one worker and one
// run (this machine's speed drifts; the two sides alternate, `rounds` times each):
//   - off: a tenant with no event webhook and no alert rule (what nearly every call costs);
//   - on:  a tenant with two event webhooks taking every call event (a local receiver that
//          answers after 50 ms) and four alert rules (agent health, failure rate, dead letters,
//          endpoint disabled).
// Both route the same call into a 3-agent group. Reported: throughput at 50 connections, p50
// and p99 at 1 connection, and, for the "on" side, how many deliveries the receiver got for the
// calls answered (the fan-out runs in the queue consumer, after the answer, so it costs the
// answer nothing directly; what it costs locally is CPU and MySQL shared with the webhooks on
// this one machine).
//   npx tsx bench/event-webhooks.ts [--seconds 4] [--rounds 3]
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import { voiceBody, type CallSpec, type Target } from "../scripts/lib/cloudonix-sim";
import { connect, databaseUrl } from "../scripts/lib/db";
import { freePort } from "../scripts/lib/ports";
import { startWorker } from "./lib/harness";
import { formatLoad, runLoad, type LoadResult } from "./lib/load";
import { seedBenchTenant, type BenchTenant } from "./lib/seed";

const { values } = parseArgs({ options: { seconds: { type: "string", default: "4" }, rounds: { type: "string", default: "3" } } });
const seconds = Math.max(2, Math.min(60, Number(values.seconds)));
const rounds = Math.max(1, Math.min(9, Number(values.rounds)));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// The receiver: counts what it gets, answers 200 after 50 ms.
let received = 0;
const receiverPort = await freePort();
const receiver = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    received++;
    setTimeout(() => res.writeHead(200).end("ok"), 50);
  });
});
await new Promise<void>((resolve) => receiver.listen(receiverPort, "127.0.0.1", resolve));

const off = await seedBenchTenant("ewh-off", 10, 3);
const on = await seedBenchTenant("ewh-on", 10, 3);
const mysql = await connect(databaseUrl());
const count = async (sql: string, args: unknown[]) => Number(((await mysql.query(sql, args))[0] as { n: number }[])[0]!.n);

const worker = await startWorker();
try {
  // Configure the "on" tenant through the API, as an admin would.
  const [admin] = (await mysql.query("SELECT email FROM users WHERE tenant_id = ? LIMIT 1", [on.tenantId]))[0] as { email: string }[];
  const login = await fetch(`${worker.url}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: admin!.email, password: "bench-password-123" }) });
  const { token } = (await login.json()) as { token: string };
  const asAdmin = async (path: string, body: unknown) => {
    const res = await fetch(`${worker.url}${path}`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<{ id: string }>;
  };
  const callTypes = ["call.started", "call.answered", "call.failed_over", "call.ended", "agent.health_changed"];
  for (let i = 0; i < 2; i++) await asAdmin("/api/event-webhooks", { url: `http://127.0.0.1:${receiverPort}/hook/${i}`, eventTypes: callTypes, description: `bench ${i}` });
  const [agent] = (await mysql.query("SELECT id FROM voice_agents WHERE tenant_id = ? LIMIT 1", [on.tenantId]))[0] as { id: string }[];
  await asAdmin("/api/alert-rules", { name: "health", kind: "agent_unhealthy" });
  await asAdmin("/api/alert-rules", { name: "rate", kind: "failure_rate", params: { targetType: "agent", targetId: agent!.id, thresholdPct: 50 } });
  await asAdmin("/api/alert-rules", { name: "letters", kind: "dead_letters" });
  await asAdmin("/api/alert-rules", { name: "endpoints", kind: "endpoint_disabled" });

  const target = (t: BenchTenant): Target => ({ baseUrl: worker.url, domain: t.domain, requestKey: t.requestKey });
  const call = (t: BenchTenant): CallSpec => ({ from: "+14155550100", to: t.dialled });
  const headers = (t: BenchTenant) => ({ "content-type": "application/json", authorization: `Bearer ${t.requestKey}` });
  const load = (label: string, t: BenchTenant, connections: number): Promise<LoadResult> =>
    runLoad({ label, url: `${worker.url}/api/webhooks/voice-application`, connections, seconds, headers: headers(t), body: () => JSON.stringify(voiceBody(target(t), call(t))), expect: (body) => body.includes("<Dial") });
  /** Waits until the records (and, for "on", the deliveries) stop moving, so the next load does not pay for this one's backlog. */
  const settle = async () => {
    let last = -1;
    for (let quiet = 0; quiet < 8; ) {
      const now = (await count("SELECT COUNT(*) AS n FROM call_records WHERE tenant_id IN (?, ?)", [on.tenantId, off.tenantId])) + received;
      quiet = now === last ? quiet + 1 : 0;
      last = now;
      await sleep(250);
    }
  };
  for (const t of [off, on]) for (let i = 0; i < 20; i++) await (await fetch(`${worker.url}/api/webhooks/voice-application`, { method: "POST", headers: headers(t), body: JSON.stringify(voiceBody(target(t), call(t))) })).text();
  await settle();

  const compare = async (connections: number) => {
    const offs: LoadResult[] = [];
    const ons: LoadResult[] = [];
    for (let round = 0; round < rounds; round++) {
      offs.push(await load(`off, ${connections} conn`, off, connections));
      await settle();
      ons.push(await load(`on (2 endpoints, 4 rules), ${connections} conn`, on, connections));
      await settle();
      // Objects of the calls just made close before the next load (the local runtime's SQLite budget).
      if (connections > 1) await sleep(15_000);
    }
    const ratios = ons.map((r, i) => r.rps / offs[i]!.rps);
    const p50s = ons.map((r, i) => r.p50 - offs[i]!.p50);
    const pick = (runs: LoadResult[]) => runs.find((r) => r.rps === median(runs.map((x) => x.rps)))!;
    return { off: pick(offs), on: pick(ons), ratio: median(ratios), range: `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`, p50Delta: median(p50s) };
  };

  const startedCalls = await count("SELECT COUNT(*) AS n FROM call_records WHERE tenant_id = ?", [on.tenantId]);
  const receivedBefore = received;
  console.log(`\n== event webhooks and alerts on vs off (${seconds} s loads, ${rounds} rounds each, alternating)`);
  const at50 = await compare(50);
  const at1 = await compare(1);
  for (const r of [at50.off, at50.on, at1.off, at1.on]) console.log(formatLoad(r));
  console.log(`throughput on/off at 50 conn: ${at50.ratio.toFixed(2)} (rounds ${at50.range})`);
  console.log(`latency at 1 conn: p50 on ${at1.on.p50} ms vs off ${at1.off.p50} ms, p99 on ${at1.on.p99} ms vs off ${at1.off.p99} ms; throughput on/off ${at1.ratio.toFixed(2)} (rounds ${at1.range})`);
  const calls = (await count("SELECT COUNT(*) AS n FROM call_records WHERE tenant_id = ?", [on.tenantId])) - startedCalls;
  const pending = await count("SELECT COUNT(*) AS n FROM event_deliveries WHERE tenant_id = ? AND status IN ('held', 'pending')", [on.tenantId]);
  const failed = await count("SELECT COUNT(*) AS n FROM event_deliveries WHERE tenant_id = ? AND status = 'failed'", [on.tenantId]);
  console.log(
    `"on" tenant: ${calls} calls stored; the receiver got ${received - receivedBefore} deliveries (call.started for each call on each endpoint, and call.ended for the calls the silence alarm ended: the bench's calls are never answered), ${pending} still waiting, ${failed} given up`,
  );
} finally {
  await worker.stop();
  await mysql.end();
  receiver.close();
}
