import type { Redis } from "@upstash/redis/cloudflare";
import { decodeSnapshot, encodeSnapshot } from "./snapshot-codec";
import type { RoutingSnapshot } from "./snapshot-types";

/*
 * The Upstash side of routing snapshots. Per tenant domain, two pointers ({tenantId, version}):
 *   - `pointer` lives a minute and is the freshness signal isolates poll (one tiny GET);
 *   - `lastKnown` lives for days, for a fresh isolate when MySQL is down and `pointer` expired.
 * Per tenant, one blob (the newest snapshot) and `published`, the newest version written, which
 * makes every publish a compare-and-set: a publish older than what Upstash holds changes nothing,
 * so two racing changes can never leave the older version in place.
 */
const POINTER_TTL_S = 60;
const LONG_TTL_S = 7 * 86_400;

export const snapshotKeys = {
  pointer: (domain: string) => `cxlb:v2:dom:${domain}`,
  lastKnown: (domain: string) => `cxlb:v2:last:${domain}`,
  published: (tenantId: string) => `cxlb:v2:ver:${tenantId}`,
  blob: (tenantId: string) => `cxlb:v2:snap:${tenantId}`,
  tenantDomain: (tenantId: string) => `cxlb:v2:tdom:${tenantId}`,
};

export interface Pointer {
  tenantId: string;
  version: number;
}

// KEYS: published, blob, tenantDomain[, pointer, lastKnown]. ARGV: version, blob, pointer JSON,
// pointer TTL, long TTL, domain. Returns 1 when written, 0 when Upstash already holds a newer
// version. An equal version is written again: it is the same configuration, and rewriting it
// renews the pointer after it expired.
const PUBLISH = `
local published = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) < published then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[5])
redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[5])
if #KEYS == 5 then
  redis.call('SET', KEYS[3], ARGV[6], 'EX', ARGV[5])
  redis.call('SET', KEYS[4], ARGV[3], 'EX', ARGV[4])
  redis.call('SET', KEYS[5], ARGV[3], 'EX', ARGV[5])
else
  redis.call('DEL', KEYS[3])
end
return 1
`;

// KEYS: pointer, lastKnown of a domain the tenant ARGV[1] gave up. Deletes them only while
// they still name that tenant: the domain may already belong to another tenant.
const RELEASE = `
local needle = '"tenantId":"' .. ARGV[1] .. '"'
for _, key in ipairs(KEYS) do
  local value = redis.call('GET', key)
  if value and string.find(value, needle, 1, true) then redis.call('DEL', key) end
end
return 1
`;

/**
 * Publishes a tenant's snapshot unless Upstash already holds a newer one; true when written.
 * A snapshot without a domain only records its version (nothing can route to it).
 */
export async function publishSnapshot(redis: Redis, snapshot: RoutingSnapshot): Promise<boolean> {
  const { tenantId, version, domain } = snapshot;
  const pointer = JSON.stringify({ tenantId, version } satisfies Pointer);
  const keys = [snapshotKeys.published(tenantId), snapshotKeys.blob(tenantId), snapshotKeys.tenantDomain(tenantId)];
  if (domain) keys.push(snapshotKeys.pointer(domain), snapshotKeys.lastKnown(domain));
  const written = await redis.eval<unknown[], number>(PUBLISH, keys, [version, await encodeSnapshot(snapshot), pointer, POINTER_TTL_S, LONG_TTL_S, domain ?? ""]);
  return written === 1;
}

/** The domain the tenant's newest published snapshot was reachable under, if any. */
export function publishedDomain(redis: Redis, tenantId: string): Promise<string | null> {
  return redis.get<string>(snapshotKeys.tenantDomain(tenantId));
}

/** Stops routing `domain` to `tenantId` (the tenant changed or removed its domain, or was deleted). */
export async function releaseDomain(redis: Redis, domain: string, tenantId: string): Promise<void> {
  await redis.eval(RELEASE, [snapshotKeys.pointer(domain), snapshotKeys.lastKnown(domain)], [tenantId]);
}

export function readPointer(redis: Redis, domain: string, which: "pointer" | "lastKnown"): Promise<Pointer | null> {
  return redis.get<Pointer>(snapshotKeys[which](domain));
}

/**
 * The snapshot a domain's pointer leads to; null when the blob expired, is older than the
 * pointer, or no longer serves that domain (the tenant moved to another one meanwhile).
 */
export async function readBlob(redis: Redis, pointer: Pointer, domain: string): Promise<RoutingSnapshot | null> {
  const blob = await redis.get<string>(snapshotKeys.blob(pointer.tenantId));
  if (!blob) return null;
  const snapshot = await decodeSnapshot(blob);
  if (!snapshot) return null;
  // The blob may already be newer than the pointer that led here (a publish in between): fine.
  return snapshot.tenantId === pointer.tenantId && snapshot.version >= pointer.version && snapshot.domain === domain ? snapshot : null;
}
