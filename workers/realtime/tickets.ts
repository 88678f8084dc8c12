import { hmacKey } from "../lib/hmac-key";
import { base64Url, fromBase64Url, randomToken } from "../lib/ids";
import type { UserAuth } from "../middleware/auth";

/*
 * Realtime tickets: what a browser puts in the WebSocket URL instead of its access token.
 * Signed (HMAC-SHA256) claims of the signed-in user, valid 30 seconds, carrying a nonce the
 * tenant's hub accepts once. A ticket in a log or a browser history is useless moments later.
 */

export const TICKET_TTL_MS = 30_000;

export interface TicketClaims {
  t: string;
  u: string;
  r: "admin" | "user";
  s: string;
  /** Session expiry, epoch ms. */
  se: number;
  n: string;
  /** Ticket expiry, epoch ms. */
  x: number;
}

const PURPOSE = "realtime-ticket";

export async function issueTicket(secret: string, auth: UserAuth, now = Date.now()): Promise<{ ticket: string; expiresAt: number }> {
  const claims: TicketClaims = {
    t: auth.tenantId,
    u: auth.userId,
    r: auth.role,
    s: auth.sessionId,
    se: auth.sessionExpiresAt.getTime(),
    n: randomToken(18),
    x: Math.min(now + TICKET_TTL_MS, auth.sessionExpiresAt.getTime()),
  };
  const payload = base64Url(new TextEncoder().encode(JSON.stringify(claims)));
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(PURPOSE, secret), new TextEncoder().encode(payload));
  return { ticket: `${payload}.${base64Url(new Uint8Array(mac))}`, expiresAt: claims.x };
}

/** The claims of an authentic, unexpired ticket (single use is the hub's to enforce), else null. */
export async function verifyTicket(secret: string, ticket: string, now = Date.now()): Promise<TicketClaims | null> {
  const match = /^([A-Za-z0-9_-]{10,1000})\.([A-Za-z0-9_-]{43})$/.exec(ticket);
  if (!match) return null;
  const [, payload, mac] = match as unknown as [string, string, string];
  const valid = await crypto.subtle.verify("HMAC", await hmacKey(PURPOSE, secret), fromBase64Url(mac), new TextEncoder().encode(payload));
  if (!valid) return null;
  try {
    const claims = JSON.parse(new TextDecoder().decode(fromBase64Url(payload))) as TicketClaims;
    return claims.x > now && typeof claims.t === "string" && typeof claims.n === "string" ? claims : null;
  } catch {
    return null;
  }
}
