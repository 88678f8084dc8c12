// Sends Cloudonix-shaped webhooks to a running router, so routing can be tried without Cloudonix.
//   npm run simulate -- --to +18005550199                      one call: prints each CXML answer
//   npm run simulate -- --to +18005550199 --outcome busy       ... and its failover chain
//   npm run simulate -- --calls 200 --concurrency 20           many calls: prints the distribution
// Defaults: http://127.0.0.1:8787 and the demo tenant (.local/demo.json, written by `npm start`).
// Session updates and CDRs go to the tenant's callback URLs when its callback token is known
// (--callback-token, or the demo's), else to the plain paths with the request key. Answered calls
// talk for --talk seconds (default 2) for real: the router checks reported durations against
// the time it saw the call last, so the simulator reports what actually elapsed.
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { attemptOf, dialTarget, DISPOSITIONS, newSessionToken, percentile, post, postLifecycle, voiceBody, type Target } from "./lib/cloudonix-sim";

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
    help: { type: "boolean", default: false },
  },
});

if (values.help) {
  console.log(readFileSync(new URL(import.meta.url), "utf8").split("\n").filter((l) => l.startsWith("//")).join("\n"));
  process.exit(0);
}

const demo = existsSync(".local/demo.json") ? (JSON.parse(readFileSync(".local/demo.json", "utf8")) as { domain: string; requestKey: string; callbackToken?: string }) : null;
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
async function simulateCall(log: boolean): Promise<{ first: string | null; final: string; ms: number; status: number }> {
  const session = newSessionToken();
  const body = voiceBody(target, { from: values.from, to: values.to, direction: values.direction }, session);
  const callStart = Date.now();
  const started = performance.now();
  const routed = await post(target, "/api/webhooks/voice-application", body);
  const ms = performance.now() - started;
  if (log) console.log(`→ voice-application (${routed.status}, ${ms.toFixed(1)} ms)\n  ${routed.text}`);
  const first = dialTarget(routed.text);
  let xml = routed.text;
  let final = first ?? "no dial";
  let last: string | null = null;
  let answeredAt: number | null = null;
  for (let hops = 0; hops < 20 && attemptOf(xml) && outcome !== "none"; hops++) {
    const result = pickOutcome();
    last = result;
    if (result === "answered") {
      answeredAt = Date.now();
      await postLifecycle(target, "session-update", { token: session, status: "connected", domain: target.domain, callAnswerTime: answeredAt });
      await sleep(talkMs);
      const talked = secondsSince(answeredAt);
      const end = await post(target, `/api/webhooks/voice-application/dial-result?attempt=${attemptOf(xml)}`, { ...body, DialCallStatus: "completed", DialCallDuration: String(talked) });
      await postLifecycle(target, "session-update", { token: session, status: "completed", domain: target.domain, callEndTime: Date.now() });
      if (log) console.log(`→ answered, talked ${talked} s, then completed: ${end.text}`);
      final = dialTarget(xml) ?? final;
      break;
    }
    const next = await post(target, `/api/webhooks/voice-application/dial-result?attempt=${attemptOf(xml)}`, { ...body, DialCallStatus: result, DialCallDuration: "0" });
    if (log) console.log(`→ dial-result ${result} (${next.status})\n  ${next.text}`);
    xml = next.text;
    final = dialTarget(xml) ?? "ended";
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
  return { first, final, ms, status: routed.status };
}

if (calls === 1) {
  await simulateCall(true);
} else {
  const firsts = new Map<string, number>();
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < calls) {
        next++;
        try {
          const r = await simulateCall(false);
          latencies.push(r.ms);
          if (r.status !== 200) errors++;
          const key = r.first ?? "(no dial)";
          firsts.set(key, (firsts.get(key) ?? 0) + 1);
        } catch {
          errors++;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(`${calls} calls at concurrency ${concurrency} in ${seconds.toFixed(1)} s, ${errors} errors`);
  console.log(`route latency p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`);
  console.log("first target            calls   share");
  for (const [name, count] of [...firsts].sort((a, b) => b[1] - a[1])) {
    console.log(`${name.padEnd(24)}${String(count).padStart(5)}  ${((100 * count) / calls).toFixed(1).padStart(5)}%`);
  }
}
