// Sends Cloudonix-shaped webhooks to a running router, so routing can be tried without Cloudonix.
//   npm run simulate -- --to +18005550199                      one call: prints each CXML answer
//   npm run simulate -- --to +18005550199 --outcome busy       ... and its failover chain
//   npm run simulate -- --calls 200 --concurrency 20           many calls: prints a summary
//   npm run simulate -- --calls 300 --outcome mixed --verbose  ... and one line per call
// Defaults: http://127.0.0.1:8787 and the demo tenant (.local/demo.json, written by `npm start`).
// The summary (scripts/lib/sim-summary.ts) counts calls answered, failed and failed over, each
// agent's offers, answers and failures, the dial results, and when the router's health rule
// took an agent out; with an admin login (--email/--password, or the demo's) it names the
// agents and adds each one's health as the router reports it (GET /api/voice-agents/{id}/status).
// Session updates and CDRs go to the tenant's callback URLs when its callback token is known
// (--callback-token, or the demo's), else to the plain paths with the request key. Answered calls
// talk for --talk seconds (default 2) for real: the router checks reported durations against
// the time it saw the call last, so the simulator reports what actually elapsed.
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { attemptOf, dialTarget, DISPOSITIONS, newSessionToken, percentile, post, postLifecycle, voiceBody, type Target } from "./lib/cloudonix-sim";
import { AdminApi, agentsByTarget } from "./lib/sim-admin";
import { formatSummary, summarize, type DialResult, type SimAttempt, type SimCall } from "./lib/sim-summary";

const OUTCOMES = ["answered", "busy", "no-answer", "failed", "mixed", "none"] as const;
type Outcome = (typeof OUTCOMES)[number];

const { values } = parseArgs({
  options: {
    url: { type: "string", default: process.env.ROUTER_URL ?? "http://127.0.0.1:8787" },
    domain: { type: "string" },
    key: { type: "string" },
    "callback-token": { type: "string" },
    talk: { type: "string", default: "2" },
    from: { type: "string", default: "+14155550100" },
    to: { type: "string", default: "+18005550199" },
    direction: { type: "string", default: "inbound" },
    calls: { type: "string", default: "1" },
    concurrency: { type: "string", default: "10" },
    outcome: { type: "string", default: "answered" },
    verbose: { type: "boolean", default: false },
    email: { type: "string" },
    password: { type: "string" },
    help: { type: "boolean", default: false },
  },
});

if (values.help) {
  console.log(
    readFileSync(new URL(import.meta.url), "utf8")
      .split("\n")
      .filter((l) => l.startsWith("//"))
      .join("\n"),
  );
  process.exit(0);
}

const demo = existsSync(".local/demo.json") ? (JSON.parse(readFileSync(".local/demo.json", "utf8")) as { domain: string; requestKey: string; callbackToken?: string; adminEmail?: string; adminPassword?: string }) : null;
// The demo's callback token only with the demo's domain: another tenant's would be refused.
const demoToken = values.domain === undefined || values.domain === demo?.domain ? demo?.callbackToken : undefined;
const target: Target = {
  baseUrl: values.url.replace(/\/$/, ""),
  domain: values.domain ?? demo?.domain ?? "",
  requestKey: values.key ?? demo?.requestKey ?? "",
  callbackToken: values["callback-token"] ?? demoToken,
};
if (!target.domain || !target.requestKey) {
  console.error("simulate: --domain and --key are required (or run `npm start` once to create the demo tenant)");
  process.exit(2);
}
const outcome = values.outcome as Outcome;
if (!OUTCOMES.includes(outcome)) {
  console.error(`simulate: --outcome must be one of ${OUTCOMES.join(", ")}`);
  process.exit(2);
}
const calls = Math.max(1, Math.min(100_000, Number(values.calls) || 1));
const talkMs = Math.max(0, Math.min(600, Number(values.talk) || 0)) * 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const secondsSince = (ms: number) => Math.round((Date.now() - ms) / 1000);
const concurrency = Math.max(1, Math.min(500, Number(values.concurrency) || 10));

const FAILURES = ["busy", "no-answer", "failed"];
const pickOutcome = (): Exclude<Outcome, "mixed"> => (outcome === "mixed" ? (Math.random() < 0.7 ? "answered" : (FAILURES[Math.floor(Math.random() * 3)] as "busy")) : outcome);

/** One call: the route, then the dial results and lifecycle callbacks Cloudonix would send. */
async function simulateCall(log: boolean): Promise<{ trace: SimCall; ms: number }> {
  const session = newSessionToken();
  const body = voiceBody(target, { from: values.from, to: values.to, direction: values.direction }, session);
  const callStart = Date.now();
  const started = performance.now();
  const routed = await post(target, "/api/webhooks/voice-application", body);
  const ms = performance.now() - started;
  if (log) console.log(`→ voice-application (${routed.status}, ${ms.toFixed(1)} ms)\n  ${routed.text}`);
  const attempts: SimAttempt[] = [];
  const offer = (xml: string) => {
    const dialled = attemptOf(xml) ? dialTarget(xml) : null;
    if (dialled) attempts.push({ target: dialled, offeredAt: Date.now(), result: null, reportedAt: null });
  };
  offer(routed.text);
  let xml = routed.text;
  let last: string | null = null;
  let answeredAt: number | null = null;
  for (let hops = 0; hops < 20 && attemptOf(xml) && outcome !== "none"; hops++) {
    const result = pickOutcome() as DialResult;
    const attempt = attempts.at(-1);
    if (attempt) Object.assign(attempt, { result, reportedAt: Date.now() });
    last = result;
    if (result === "answered") {
      answeredAt = Date.now();
      await postLifecycle(target, "session-update", { token: session, status: "connected", domain: target.domain, callAnswerTime: answeredAt });
      await sleep(talkMs);
      const talked = secondsSince(answeredAt);
      const end = await post(target, `/api/webhooks/voice-application/dial-result?attempt=${attemptOf(xml)}`, { ...body, DialCallStatus: "completed", DialCallDuration: String(talked) });
      await postLifecycle(target, "session-update", { token: session, status: "completed", domain: target.domain, callEndTime: Date.now() });
      if (log) console.log(`→ answered, talked ${talked} s, then completed: ${end.text}`);
      break;
    }
    const next = await post(target, `/api/webhooks/voice-application/dial-result?attempt=${attemptOf(xml)}`, { ...body, DialCallStatus: result, DialCallDuration: "0" });
    if (log) console.log(`→ dial-result ${result} (${next.status})\n  ${next.text}`);
    xml = next.text;
    offer(xml);
  }
  if (last) {
    // One CDR per finished call, as Cloudonix sends it once the session is over.
    const endedAt = Date.now();
    const cdr = await postLifecycle(target, "cdr", {
      domain: target.domain,
      disposition: DISPOSITIONS[last] ?? "FAILED",
      duration: secondsSince(callStart),
      billsec: answeredAt === null ? 0 : secondsSince(answeredAt),
      session: { token: session, callStartTime: callStart, callAnswerTime: answeredAt ?? undefined, callEndTime: endedAt },
    });
    if (log) console.log(`→ cdr${target.callbackToken ? " (callback URL)" : ""} (${cdr.status}) ${cdr.text}`);
  }
  return { trace: { routeStatus: routed.status, attempts }, ms };
}

/** The admin login for names and health: the flags, else the demo's with the demo's domain. */
async function signIn(): Promise<AdminApi | null> {
  const demoLogin = target.domain === demo?.domain && demo?.adminEmail && demo.adminPassword ? { email: demo.adminEmail, password: demo.adminPassword } : null;
  const login = values.email && values.password ? { email: values.email, password: values.password } : demoLogin;
  if (!login) return null;
  try {
    return await AdminApi.signIn({ baseUrl: target.baseUrl, ...login });
  } catch (err) {
    console.warn(`simulate: no admin login, so no agent names or router health: ${(err as Error).message}`);
    return null;
  }
}

if (calls === 1) {
  await simulateCall(true);
} else {
  const traces: SimCall[] = [];
  const latencies: number[] = [];
  let next = 0;
  const startedAt = Date.now();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < calls) {
        const n = ++next;
        try {
          const { trace, ms } = await simulateCall(false);
          latencies.push(ms);
          traces.push(trace);
          if (values.verbose) {
            const hops = trace.attempts.map((a) => `${a.target} ${a.result ?? "(no result sent)"}`).join(" → ");
            console.log(`call ${n}: ${trace.routeStatus} ${hops || "no <Dial>"}`);
          }
        } catch (err) {
          traces.push({ routeStatus: null, attempts: [] });
          if (values.verbose) console.log(`call ${n}: error ${(err as Error).message}`);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const summary = summarize(traces);
  const admin = await signIn();
  const agents = admin
    ? agentsByTarget(
        summary.agents.map((a) => a.target),
        await admin.agents(),
      )
    : (new Map() as ReturnType<typeof agentsByTarget>);
  const names = new Map([...agents].map(([t, a]) => [t, `${a.name} (${t})`]));
  console.log(`\n${calls} calls at concurrency ${concurrency} in ${seconds.toFixed(1)} s, outcome ${outcome}`);
  console.log(`route latency p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`);
  for (const line of formatSummary(summary, { startedAt, names })) console.log(line);
  console.log("(taken out: the router's health rule replayed on the results sent, from a healthy start)");
  if (admin && agents.size) {
    console.log("\nhealth as the router reports it now (GET /api/voice-agents/{id}/status):");
    for (const [t, agent] of agents) {
      const health = await admin.health(agent.id).catch(() => null);
      const state = !health ? "unknown (balancers unavailable)" : health.healthy ? "healthy" : `out of rotation until ${new Date(health.unhealthyUntil!).toISOString()}`;
      console.log(`  ${names.get(t)}: ${state}${health?.consecutiveFailures ? `, ${health.consecutiveFailures} consecutive failures` : ""}`);
    }
  }
}
