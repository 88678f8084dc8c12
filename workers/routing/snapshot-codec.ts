import { parseSnapshot } from "../contracts/snapshot";
import { log } from "../lib/log";
import type { RoutingSnapshot } from "./snapshot-types";

// Snapshots of large tenants (10,000 rules) are megabytes of JSON; gzip keeps them well under
// Upstash's request-size limits. The "gz:" prefix keeps the Upstash client from JSON-parsing them.
const PREFIX = "gz:";

async function pipe(data: Uint8Array, transform: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const stream = new Blob([data]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}

export async function encodeSnapshot(snapshot: RoutingSnapshot): Promise<string> {
  const gz = await pipe(new TextEncoder().encode(JSON.stringify(snapshot)), new CompressionStream("gzip"));
  return PREFIX + toBase64(gz);
}

/** The snapshot in a blob; null when it is of another format or shape (it is rebuilt, never routed from). */
export async function decodeSnapshot(encoded: string): Promise<RoutingSnapshot | null> {
  if (!encoded.startsWith(PREFIX)) return null;
  const gz = Uint8Array.from(atob(encoded.slice(PREFIX.length)), (c) => c.charCodeAt(0));
  const json = new TextDecoder().decode(await pipe(gz, new DecompressionStream("gzip")));
  const parsed = parseSnapshot(JSON.parse(json));
  if (parsed.problem) log.warn("routing.snapshot_blob_unusable", { problem: parsed.problem, action: "rebuilding it" });
  return parsed.snapshot;
}
