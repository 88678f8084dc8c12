import { env } from "cloudflare:workers";

/*
 * The tests' side of the local event receiver (event-receiver.ts): a box per test, its URL to
 * register as an endpoint, how it answers, and what it received.
 */

export interface Received {
  at: number;
  headers: Record<string, string>;
  body: string;
}

export const newBox = () => `b${crypto.randomUUID().replace(/-/g, "")}`;

export const hookUrl = (box: string) => `${env.EVENT_RECEIVER_URL}/hook/${box}`;

export async function setBox(box: string, settings: { mode?: "ok" | "down" | "status"; status?: number; delayMs?: number; body?: string }): Promise<void> {
  const res = await fetch(`${env.EVENT_RECEIVER_URL}/control/${box}`, { method: "PUT", body: JSON.stringify(settings) });
  await res.text();
}

export async function received(box: string): Promise<Received[]> {
  const res = await fetch(`${env.EVENT_RECEIVER_URL}/control/${box}`);
  return ((await res.json()) as { requests: Received[] }).requests;
}

/** The events a box received, parsed, in arrival order. */
export async function receivedEvents(box: string): Promise<{ event: any; headers: Record<string, string>; body: string }[]> {
  return (await received(box)).map((r) => ({ event: JSON.parse(r.body), headers: r.headers, body: r.body }));
}

const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

/** What a receiver computes, written out here with Web Crypto (not the Worker's own code). */
export async function expectedSignature(secret: string, timestamp: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return hex(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${timestamp}.${body}`)));
}

/** Whether the request's X-Router-Signature carries a v1 made with `secret`. */
export async function signedWith(request: { headers: Record<string, string>; body: string }, secret: string): Promise<boolean> {
  const header = request.headers["x-router-signature"] ?? "";
  const parts = header.split(",").map((p) => p.split("="));
  const t = parts.find(([k]) => k === "t")?.[1];
  if (!t) return false;
  const expected = await expectedSignature(secret, t, request.body);
  return parts.some(([k, v]) => k === "v1" && v === expected);
}
