// Full calls against one build, as Cloudonix makes them, with the payloads the workers tests use
// (test/workers/helpers/routing-fixture.ts voiceBody/webhookInit, test/workers/call-lifecycle.test.ts):
//   1. POST /api/webhooks/voice-application                 the route decision (answers a Dial)
//   2. POST /api/webhooks/session-update  status ringing
//   3. POST /api/webhooks/session-update  status connected, callAnswerTime
//   4. POST /api/webhooks/voice-application/dial-result?attempt=1   DialCallStatus completed (answers a Hangup)
//   5. POST /api/webhooks/cdr             disposition ANSWER, duration 4, billsec 2
// Every request carries the tenant's request key (Cloudonix may also call the callback URL
// without one; the path to the CallSession is the same).
import type { SeededTenant } from "./build";

export interface CallTimings {
  /** Milliseconds per step, in call order. */
  steps: number[];
  error: string | null;
}

export const STEPS = ["route", "ringing", "connected", "dial-result", "cdr"] as const;

let counter = 0;
/** A Session token as Cloudonix makes them: 32 characters, unique per call. */
export const newSession = () => `${crypto.randomUUID().replace(/-/g, "").slice(0, 26)}${String(++counter).padStart(6, "0")}`;

export function voiceBody(tenant: Pick<SeededTenant, "domain">, session: string) {
  return { ApiVersion: "1", CallStatus: "in-progress", CallSid: session, Session: session, From: "14155550100", To: "18005550199", CallerName: "Alice", Direction: "inbound", Domain: tenant.domain, AccountSid: tenant.domain };
}

const init = (tenant: SeededTenant, body: unknown): RequestInit => ({
  method: "POST",
  headers: { "Content-Type": "application/json", Authorization: `Bearer ${tenant.requestKey}` },
  body: JSON.stringify(body),
});

async function timed(url: string, request: RequestInit, expect: (status: number, body: string) => string | null): Promise<{ ms: number; error: string | null }> {
  const started = performance.now();
  try {
    const res = await fetch(url, request);
    const body = await res.text();
    return { ms: performance.now() - started, error: expect(res.status, body) };
  } catch (err) {
    return { ms: performance.now() - started, error: (err as Error).message };
  }
}

const wants = (needle: string) => (status: number, body: string) => (status === 200 && body.includes(needle) ? null : `${status} ${body.slice(0, 160)}`);

/** One full call; stops at the first step that fails. */
export async function fullCall(baseUrl: string, tenant: SeededTenant, session = newSession()): Promise<CallTimings> {
  const hooks = `${baseUrl}/api/webhooks`;
  const call = voiceBody(tenant, session);
  const answeredAt = Date.now();
  const steps: [string, unknown, (status: number, body: string) => string | null][] = [
    [`${hooks}/voice-application`, call, wants("<Dial")],
    [`${hooks}/session-update`, { token: session, status: "ringing", domain: tenant.domain }, wants('"ok":true')],
    [`${hooks}/session-update`, { token: session, status: "connected", domain: tenant.domain, callAnswerTime: answeredAt }, wants('"ok":true')],
    [`${hooks}/voice-application/dial-result?attempt=1`, { ...call, DialCallStatus: "completed" }, wants("<Hangup")],
    [`${hooks}/cdr`, { call_id: "sip-call-id@host", domain: tenant.domain, disposition: "ANSWER", duration: 4, billsec: 2, session: { token: session } }, wants('"ok":true')],
  ];
  const timings: number[] = [];
  for (const [url, body, expect] of steps) {
    const { ms, error } = await timed(url, init(tenant, body), expect);
    timings.push(ms);
    if (error) return { steps: timings, error: `${STEPS[timings.length - 1]}: ${error}` };
  }
  return { steps: timings, error: null };
}

/** `count` full calls, `concurrency` at a time; returns each call's timings and session. */
export async function runCalls(baseUrl: string, tenant: SeededTenant, count: number, concurrency: number): Promise<{ sessions: string[]; results: CallTimings[] }> {
  const sessions = Array.from({ length: count }, () => newSession());
  const results: CallTimings[] = new Array(count);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < count; i = next++) results[i] = await fullCall(baseUrl, tenant, sessions[i]);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return { sessions, results };
}

/** The static CXML baseline route (workers/routes/bench-baseline.ts), `count` times in a row: what a request costs with no routing at all. */
export async function runStatic(baseUrl: string, tenant: SeededTenant, count: number): Promise<number> {
  let failures = 0;
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${baseUrl}/__bench/static-xml`, init(tenant, voiceBody(tenant, newSession())));
    const body = await res.text();
    if (res.status !== 200 || !body.includes("<Hangup")) failures++;
  }
  return failures;
}
