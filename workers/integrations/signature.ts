import { randomToken } from "../lib/ids";

/*
 * The signature of an event delivery, in the scheme payment platforms use:
 *
 *   X-Router-Signature: t=<unix seconds>,v1=<hex HMAC-SHA-256(secret, "<t>.<raw body>")>
 *
 * The timestamp is inside the signed text, so a receiver that refuses timestamps older than a
 * few minutes refuses replays too. During a secret's rotation both secrets sign: the header
 * carries two v1 values (newest first) and a receiver accepts the delivery if any one matches
 * a secret it knows.
 */

export const SIGNATURE_HEADER = "X-Router-Signature";
export const EVENT_ID_HEADER = "X-Router-Event-Id";
export const EVENT_TYPE_HEADER = "X-Router-Event-Type";
/** The delivery's idempotency id: the same on every retry and Resend of one event to one endpoint. */
export const IDEMPOTENCY_HEADER = "Idempotency-Key";
export const ATTEMPT_HEADER = "X-Router-Delivery-Attempt";

const encoder = new TextEncoder();

/** A new signing secret: "whsec_" and 32 random bytes, URL-safe. */
export function newSigningSecret(): string {
  return `whsec_${randomToken(32)}`;
}

const toHex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

export async function hmacHex(secret: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return toHex(await crypto.subtle.sign("HMAC", key, encoder.encode(text)));
}

/** The header value for `body` sent at `timestamp` (unix seconds), signed by each secret in order. */
export async function signatureHeader(secrets: string[], timestamp: number, body: string): Promise<string> {
  const signatures = await Promise.all(secrets.map((secret) => hmacHex(secret, `${timestamp}.${body}`)));
  return [`t=${timestamp}`, ...signatures.map((s) => `v1=${s}`)].join(",");
}

/** The parts of a signature header: its timestamp and every v1 value (what a receiver reads). */
export function parseSignatureHeader(header: string): { timestamp: number | null; signatures: string[] } {
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(",")) {
    const [key, value] = part.trim().split("=", 2);
    if (key === "t" && value && /^\d+$/.test(value)) timestamp = Number(value);
    if (key === "v1" && value) signatures.push(value);
  }
  return { timestamp, signatures };
}

/**
 * What a receiver does (and what the README's snippets do): recompute the HMAC with its secret,
 * compare it in constant time with each v1 value, and refuse a timestamp too far from now.
 */
export async function verifySignature(secret: string, header: string, body: string, nowSeconds: number, toleranceSeconds = 300): Promise<boolean> {
  const { timestamp, signatures } = parseSignatureHeader(header);
  if (timestamp === null || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = await hmacHex(secret, `${timestamp}.${body}`);
  return signatures.some((s) => s.length === expected.length && [...s].reduce((diff, ch, i) => diff | (ch.charCodeAt(0) ^ expected.charCodeAt(i)), 0) === 0);
}
