// What a waiting room costs, in one worker and one run (the sides alternate, `rounds` times):
//   - route: a call routed straight to an agent of a group with room (what nearly every call costs);
//   - try:   a waiting caller's try (the room's Redirect back to us) while the group stays full,
//            with `--line` callers in line (each try asks the group's balancer again and walks
//            the line to find the caller's place);
//   - join:  a caller joining the line (the route webhook of a call the full group cannot take).
// Reported: p50 and p99 of each at one connection, each against the route's in the same round.
//   npx tsx bench/waiting-room.ts [--line 200] [--requests 100] [--rounds 3]
import { parseArgs } from "node:util";
import { voiceBody, type Target } from "../scripts/lib/cloudonix-sim";
import { connect, databaseUrl } from "../scripts/lib/db";
import { startWorker } from "./lib/harness";
import { seedBenchTenant, type BenchTenant } from "./lib/seed";

const { values } = parseArgs({ options: { line: { type: "string", default: "200" }, requests: { type: "string", default: "100" }, rounds: { type: "string", default: "3" } } });
const lineLength = Math.max(1, Math.min(2_000, Number(values.line)));
const requests = Math.max(10, Math.min(2_000, Number(values.requests)));
const rounds = Math.max(1, Math.min(9, Number(values.rounds)));
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const fmt = (n: number) => n.toFixed(1);

const plain = await seedBenchTenant("wr-plain", 10, 3);
const full = await seedBenchTenant("wr-full", 10, 1);
const mysql = await connect(databaseUrl());
const worker = await startWorker();

interface Waiter {
  body: Record<string, unknown>;
  next: string;
}

try {
  const target = (t: BenchTenant): Target => ({ baseUrl: worker.url, domain: t.domain, requestKey: t.requestKey });
  const headers = (t: BenchTenant) => ({ "content-type": "application/json", authorization: `Bearer ${t.requestKey}` });
  const webhook = async (t: BenchTenant, url: string, body: unknown): Promise<{ ms: number; xml: string }> => {
    const started = performance.now();
    const res = await fetch(url, { method: "POST", headers: headers(t), body: JSON.stringify(body) });
    const xml = await res.text();
    return { ms: performance.now() - started, xml };
  };
  const redirectOf = (xml: string) => {
    const url = /<Redirect method="POST">([^<]+)<\/Redirect>/.exec(xml)?.[1]?.replaceAll("&amp;", "&");
    if (!url) throw new Error(`expected a waiting room answer, got ${xml}`);
    return url;
  };
  const route = (t: BenchTenant) => webhook(t, `${worker.url}/api/webhooks/voice-application`, voiceBody(target(t), { from: "+14155550100", to: t.dialled }));

  // The full tenant: one agent with room for one call, and a waiting room nobody leaves during the run.
  const [admin] = (await mysql.query("SELECT email FROM users WHERE tenant_id = ? LIMIT 1", [full.tenantId]))[0] as { email: string }[];
  const login = await fetch(`${worker.url}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: admin!.email, password: "bench-password-123" }) });
  const { token } = (await login.json()) as { token: string };
  const asAdmin = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${worker.url}${path}`, { method, headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  };
  const [agent] = (await mysql.query("SELECT id FROM voice_agents WHERE tenant_id = ?", [full.tenantId]))[0] as { id: string }[];
  const [group] = (await mysql.query("SELECT id FROM agent_groups WHERE tenant_id = ?", [full.tenantId]))[0] as { id: string }[];
  await asAdmin("PUT", `/api/voice-agents/${agent!.id}`, { maxConcurrentCalls: 1 });
  await asAdmin("PUT", `/api/agent-groups/${group!.id}`, { overflow: { type: "wait", text: "You are number {position} in line.", retrySec: 3, maxWaitSec: 3_600 } });

  // Warm both tenants' snapshots and objects, then fill the full group's only slot.
  for (let i = 0; i < 20; i++) await route(plain);
  const first = await route(full);
  if (!first.xml.includes("<Service")) throw new Error(`the first call should take the agent: ${first.xml}`);

  const joins: number[] = [];
  const waiters: Waiter[] = [];
  let lastPlace = Number.NaN;
  for (let i = 0; i < lineLength; i++) {
    const body = voiceBody(target(full), { from: `+1415555${String(i).padStart(4, "0")}`, to: full.dialled });
    const joined = await webhook(full, `${worker.url}/api/webhooks/voice-application`, body);
    joins.push(joined.ms);
    waiters.push({ body, next: redirectOf(joined.xml) });
    lastPlace = Number(/number (\d+) in line/.exec(joined.xml)?.[1] ?? Number.NaN);
  }
  console.log(`[bench] waiting room: ${lineLength} callers in line (the last one's place: ${lastPlace}), ${rounds} rounds of ${requests} requests per side at 1 connection`);

  const rows: { round: number; route: number[]; tries: number[] }[] = [];
  let turn = 0;
  for (let round = 1; round <= rounds; round++) {
    const routeMs: number[] = [];
    const tryMs: number[] = [];
    for (let i = 0; i < requests; i++) routeMs.push((await route(plain)).ms);
    for (let i = 0; i < requests; i++) {
      const waiter = waiters[turn++ % waiters.length]!;
      const answer = await webhook(full, waiter.next, waiter.body);
      if (answer.xml.includes("<Service")) throw new Error("a waiter got the agent while the group was full");
      waiter.next = redirectOf(answer.xml);
      tryMs.push(answer.ms);
    }
    rows.push({ round, route: routeMs, tries: tryMs });
    console.log(`[bench] round ${round}: route p50 ${fmt(percentile(routeMs, 0.5))} ms, try p50 ${fmt(percentile(tryMs, 0.5))} ms (${fmt(percentile(tryMs, 0.5) / percentile(routeMs, 0.5))}×)`);
  }
  const all = (pick: (r: (typeof rows)[number]) => number[]) => rows.flatMap(pick);
  const routeAll = all((r) => r.route);
  const triesAll = all((r) => r.tries);
  const ratios = rows.map((r) => percentile(r.tries, 0.5) / percentile(r.route, 0.5));
  console.log("");
  console.log(`| request, 1 connection | p50 ms | p99 ms | p50 against the route's |`);
  console.log(`|---|---|---|---|`);
  console.log(`| route to an agent (a group with room) | ${fmt(percentile(routeAll, 0.5))} | ${fmt(percentile(routeAll, 0.99))} | 1.00 |`);
  console.log(`| waiting caller's try, ${lineLength} in line | ${fmt(percentile(triesAll, 0.5))} | ${fmt(percentile(triesAll, 0.99))} | ${fmt(percentile(triesAll, 0.5) / percentile(routeAll, 0.5))} (rounds ${ratios.map((r) => r.toFixed(2)).join(", ")}) |`);
  console.log(`| joining the line (${lineLength} joins, before the rounds) | ${fmt(percentile(joins, 0.5))} | ${fmt(percentile(joins, 0.99))} | ${fmt(percentile(joins, 0.5) / percentile(routeAll, 0.5))} |`);
} finally {
  await worker.stop();
  await mysql.end();
}
