import { CLOUDONIX_API_URL } from "./domains";

/*
 * Starting a call through Cloudonix's REST API: POST /calls/{domain}/application with the
 * tenant's API key as a Bearer token. Cloudonix rings `destination`, and once it answers runs the
 * voice application at `url` as if the destination had called it (Direction=outbound-api),
 * sending the session's updates to `callback`. The answer names the call by its session `token`.
 */

export interface StartCall {
  destination: string;
  callerId: string;
  /** The voice application's URL (ours, carrying the campaign and contact). */
  url: string;
  /** Where Cloudonix sends the session's updates. */
  callback: string;
  /** Seconds the destination rings before the call is given up as not answered. */
  timeoutSec: number;
  /** A trunk's name in the tenant's Cloudonix domain; absent: Cloudonix's own route. */
  trunk?: string | null;
  /** Kept with the session and reported back in its requests and CDR. */
  profile?: Record<string, string>;
}

export type StartCallResult =
  | { ok: true; token: string }
  /** Not placed: Cloudonix's per-domain request limit (HTTP 429); try again after `retryAfterSec`. */
  | { ok: false; reason: "rate_limited"; retryAfterSec: number; message: string }
  /** Not placed: the key, the domain or the request was refused; retrying will not help. */
  | { ok: false; reason: "refused"; status: number; message: string }
  /** Perhaps placed, perhaps not: no answer, an error, or an answer without a token. */
  | { ok: false; reason: "unknown"; message: string };

const TIMEOUT_MS = 10_000;

export async function startCall(domain: string, apiKey: string, call: StartCall, options: { baseUrl?: string; fetch?: typeof fetch } = {}): Promise<StartCallResult> {
  const url = `${(options.baseUrl ?? CLOUDONIX_API_URL).replace(/\/+$/, "")}/calls/${encodeURIComponent(domain)}/application`;
  const body = {
    destination: call.destination,
    "caller-id": call.callerId,
    url: call.url,
    callback: call.callback,
    timeout: call.timeoutSec,
    ...(call.trunk ? { trunk: call.trunk } : {}),
    ...(call.profile ? { profile: call.profile } : {}),
  };
  let res: Response;
  try {
    res = await (options.fetch ?? fetch)(url, { method: "POST", headers: { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json", Accept: "application/json" }, body: JSON.stringify(body), signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    return { ok: false, reason: "unknown", message: `Cloudonix's API did not answer: ${(err as Error).message}` };
  }
  const text = await res.text();
  const detail = () => {
    try {
      const message = (JSON.parse(text) as { message?: unknown }).message;
      return typeof message === "string" ? `: ${message.slice(0, 200)}` : "";
    } catch {
      return "";
    }
  };
  if (res.status === 429) {
    const retryAfter = Number(res.headers.get("retry-after"));
    return { ok: false, reason: "rate_limited", retryAfterSec: Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter, 300) : 10, message: "Cloudonix's API limits requests per domain (HTTP 429)" };
  }
  if (res.status === 401 || res.status === 403) return { ok: false, reason: "refused", status: res.status, message: `Cloudonix refused the tenant's API key (HTTP ${res.status})` };
  if (res.status >= 400 && res.status < 500) return { ok: false, reason: "refused", status: res.status, message: `Cloudonix refused the call request (HTTP ${res.status}${detail()})` };
  if (!res.ok) return { ok: false, reason: "unknown", message: `Cloudonix's API answered HTTP ${res.status}` };
  let token: unknown;
  try {
    token = (JSON.parse(text) as { token?: unknown }).token;
  } catch {
    return { ok: false, reason: "unknown", message: "Cloudonix's API answered something that is not JSON" };
  }
  if (typeof token !== "string" || !/^[A-Za-z0-9_-]{8,128}$/.test(token)) return { ok: false, reason: "unknown", message: "Cloudonix's answer carries no session token" };
  return { ok: true, token };
}

export type SessionResult = { live: true; status: string | null } | { live: false } | { live: null; message: string };

/**
 * Whether Cloudonix still has the call's session (GET /customers/self/domains/{domain}/sessions/{token}):
 * a 404 means it has ended. `live: null` when Cloudonix could not say.
 */
export async function sessionOf(domain: string, apiKey: string, token: string, options: { baseUrl?: string; fetch?: typeof fetch } = {}): Promise<SessionResult> {
  const url = `${(options.baseUrl ?? CLOUDONIX_API_URL).replace(/\/+$/, "")}/customers/self/domains/${encodeURIComponent(domain)}/sessions/${encodeURIComponent(token)}`;
  try {
    const res = await (options.fetch ?? fetch)(url, { headers: { Authorization: `Bearer ${apiKey}`, Accept: "application/json" }, signal: AbortSignal.timeout(TIMEOUT_MS) });
    const text = await res.text();
    if (res.status === 404) return { live: false };
    if (!res.ok) return { live: null, message: `Cloudonix's API answered HTTP ${res.status}` };
    const status = (JSON.parse(text) as { status?: unknown }).status;
    return { live: true, status: typeof status === "string" ? status : null };
  } catch (err) {
    return { live: null, message: `Cloudonix's API did not answer: ${(err as Error).message}` };
  }
}
