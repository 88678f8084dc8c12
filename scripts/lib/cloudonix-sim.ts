// Cloudonix-shaped requests (REFERENCE §1–2) for the simulator and the benchmarks.
import { randomBytes } from "node:crypto";

export interface Target {
  baseUrl: string;
  domain: string;
  requestKey: string;
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
