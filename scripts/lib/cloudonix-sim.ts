// Cloudonix-shaped requests (voice application, Dial action, session updates, CDRs) for the
// simulator and the benchmarks.
import { randomBytes } from "node:crypto";

export interface Target {
  baseUrl: string;
  domain: string;
  requestKey: string;
  /**
   * The tenant's callback token: session updates and CDRs then go to its callback URLs without
   * Authorization, as a Cloudonix domain configured with them sends them. Without it they go to
   * the plain paths with the request key.
   */
  callbackToken?: string;
}

export interface CallSpec {
  from: string;
  to: string;
  direction?: string;
  callerName?: string;
}

export const newSessionToken = () => randomBytes(16).toString("hex");

export function voiceBody(target: Target, call: CallSpec, session = newSessionToken()): Record<string, unknown> {
  return {
    ApiVersion: "1",
    CallStatus: "in-progress",
    CallSid: session,
    Session: session,
    From: call.from,
    To: call.to,
    CallerName: call.callerName ?? "Simulator",
    Direction: call.direction ?? "inbound",
    Domain: target.domain,
    AccountSid: target.domain,
  };
}

export async function post(target: Target, path: string, body: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(`${target.baseUrl}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${target.requestKey}`, "User-Agent": "Cloudonix APP.Core/simulator" },
    body: JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

/** A session update or CDR, at the tenant's callback URL when the target has one, else with the key. */
export async function postLifecycle(target: Target, kind: "session-update" | "cdr", body: unknown): Promise<{ status: number; text: string }> {
  if (!target.callbackToken) return post(target, `/api/webhooks/${kind}`, body);
  const res = await fetch(`${target.baseUrl}/api/webhooks/c/${encodeURIComponent(target.callbackToken)}/${kind}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "User-Agent": "Cloudonix APP.Core/simulator" },
    body: JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

/** Cloudonix's CDR disposition for how a call ended. */
export const DISPOSITIONS: Record<string, string> = { answered: "ANSWER", completed: "ANSWER", busy: "BUSY", "no-answer": "NOANSWER", failed: "FAILED" };

/** What a CXML answer dials: the agent's number or SIP URI, or the trunk and number. */
export function dialTarget(xml: string): string | null {
  const service = /<Service provider="([^"]+)"[^>]*>([^<]+)<\/Service>/.exec(xml);
  if (service) return `${service[1]} ${service[2]}`;
  const sip = /<Sip[^>]*>([^<]+)<\/Sip>/.exec(xml);
  if (sip) return `sip ${sip[1]}`;
  const trunk = /trunks="([^"]+)"[^>]*><Number>([^<]+)<\/Number>/.exec(xml);
  if (trunk) return `trunk ${trunk[1]} ${trunk[2]}`;
  return null;
}

export const attemptOf = (xml: string): number | null => Number(/dial-result\?attempt=(\d+)/.exec(xml)?.[1] ?? NaN) || null;

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
