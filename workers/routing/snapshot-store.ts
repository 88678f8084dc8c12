import { eq } from "drizzle-orm";
import type { Redis } from "@upstash/redis/cloudflare";
import type { Db } from "../db/client";
import { tenants } from "../db/schema";
import { buildSnapshot } from "./snapshot-builder";
import { decodeSnapshot, encodeSnapshot } from "./snapshot-codec";
import type { RoutingSnapshot } from "./snapshot-types";

/*
 * Where a tenant's routing snapshot comes from, fastest first:
 *   1. isolate memory: used as is for FRESH_MS, served while revalidating in the background up
 *      to MAX_AGE_MS, so a committed change reaches every isolate within 2 s;
 *   2. Upstash: a small pointer per domain ({tenantId, version}) and an immutable blob per
 *      version, so an unchanged configuration costs one tiny GET per isolate per second;
 *   3. MySQL: when Upstash misses or is down;
 *   4. the last snapshot this isolate held, however old, when MySQL is down as well.
 */
export const FRESH_MS = 1_000;
export const MAX_AGE_MS = 2_000;
const POINTER_TTL_S = 60;
const UNKNOWN_DOMAIN_TTL_S = 10;
const BLOB_TTL_S = 3_600;

const keys = {
  pointer: (domain: string) => `cxlb:v1:dom:${domain}`,
  blob: (tenantId: string, version: number) => `cxlb:v1:snap:${tenantId}:${version}`,
  tenantDomain: (tenantId: string) => `cxlb:v1:tdom:${tenantId}`,
};

interface Pointer {
  tenantId: string | null;
  version: number;
}

interface CacheEntry {
  snapshot: RoutingSnapshot | null;
  fetchedAt: number;
  refreshing?: Promise<void>;
}

export type SnapshotSourceName = "memory" | "redis" | "mysql" | "stale";

export interface SnapshotLookup {
  snapshot: RoutingSnapshot | null;
  source: SnapshotSourceName;
}

export interface SnapshotDeps {
  redis: Redis | null;
  db(): Promise<Db>;
  waitUntil(promise: Promise<unknown>): void;
  now?: number;
}

export class RoutingUnavailableError extends Error {
  constructor(cause: unknown) {
    super("No routing configuration could be loaded (Upstash and MySQL both failed)", { cause });
  }
}

const cache = new Map<string, CacheEntry>();

/** The tenant snapshot for a Cloudonix domain; snapshot null means no tenant has that domain. */
export async function snapshotForDomain(domainInput: string, deps: SnapshotDeps): Promise<SnapshotLookup> {
  const domain = domainInput.trim().toLowerCase();
  const now = deps.now ?? Date.now();
  const entry = cache.get(domain);
  if (entry) {
    const age = now - entry.fetchedAt;
    if (age < FRESH_MS) return { snapshot: entry.snapshot, source: "memory" };
    if (age < MAX_AGE_MS) {
      entry.refreshing ??= refresh(domain, deps, entry.snapshot).then(
        () => {},
        () => {},
      );
      deps.waitUntil(entry.refreshing);
      return { snapshot: entry.snapshot, source: "memory" };
    }
  }
  try {
    const source = await refresh(domain, deps, entry?.snapshot ?? null);
    return { snapshot: cache.get(domain)!.snapshot, source };
  } catch (err) {
    if (entry) {
      console.warn(`routing: serving the last snapshot of ${domain}: ${(err as Error).message}`);
      return { snapshot: entry.snapshot, source: "stale" };
    }
    throw new RoutingUnavailableError(err);
  }
}

async function refresh(domain: string, deps: SnapshotDeps, current: RoutingSnapshot | null): Promise<SnapshotSourceName> {
  const store = (snapshot: RoutingSnapshot | null) => cache.set(domain, { snapshot, fetchedAt: deps.now ?? Date.now() });
  if (deps.redis) {
    try {
      const pointer = await deps.redis.get<Pointer>(keys.pointer(domain));
      if (pointer && (pointer.tenantId === null || (current?.tenantId === pointer.tenantId && current.version === pointer.version))) {
        store(pointer.tenantId === null ? null : current);
        return "redis";
      }
      if (pointer?.tenantId) {
        const blob = await deps.redis.get<string>(keys.blob(pointer.tenantId, pointer.version));
        if (blob) {
          store(await decodeSnapshot(blob));
          return "redis";
        }
      }
    } catch (err) {
      console.warn(`routing: Upstash unavailable, reading MySQL: ${(err as Error).message}`);
      return refreshFromMysql(domain, deps, current, null);
    }
  }
  return refreshFromMysql(domain, deps, current, deps.redis);
}

async function refreshFromMysql(
  domain: string,
  deps: SnapshotDeps,
  current: RoutingSnapshot | null,
  redis: Redis | null,
): Promise<SnapshotSourceName> {
  const db = await deps.db();
  const [row] = await db
    .select({ id: tenants.id, version: tenants.configVersion })
    .from(tenants)
    .where(eq(tenants.cloudonixDomain, domain))
    .limit(1);
  let snapshot: RoutingSnapshot | null = null;
  if (row) {
    snapshot = current?.tenantId === row.id && current.version === row.version ? current : await buildSnapshot(db, row.id);
  }
  cache.set(domain, { snapshot, fetchedAt: deps.now ?? Date.now() });
  if (redis) deps.waitUntil(publishSnapshot(redis, domain, snapshot).catch(() => {}));
  return "mysql";
}

/** Writes a snapshot (or an unknown-domain marker) to Upstash for every isolate to share. */
export async function publishSnapshot(redis: Redis, domain: string, snapshot: RoutingSnapshot | null): Promise<void> {
  if (!snapshot) {
    await redis.set(keys.pointer(domain), { tenantId: null, version: 0 } satisfies Pointer, { ex: UNKNOWN_DOMAIN_TTL_S });
    return;
  }
  const pipeline = redis.pipeline();
  pipeline.set(keys.blob(snapshot.tenantId, snapshot.version), await encodeSnapshot(snapshot), { ex: BLOB_TTL_S });
  pipeline.set(keys.pointer(domain), { tenantId: snapshot.tenantId, version: snapshot.version } satisfies Pointer, { ex: POINTER_TTL_S });
  pipeline.set(keys.tenantDomain(snapshot.tenantId), domain, { ex: 86_400 });
  await pipeline.exec();
}

/**
 * After a committed change: rebuild from MySQL and publish, dropping the pointer of a domain
 * the tenant no longer owns. This isolate's cache is dropped at once; others follow within 2 s.
 */
export async function republishTenant(deps: Omit<SnapshotDeps, "waitUntil">, tenantId: string): Promise<RoutingSnapshot | null> {
  const snapshot = await buildSnapshot(await deps.db(), tenantId);
  for (const [domain, entry] of cache) if (entry.snapshot?.tenantId === tenantId || domain === snapshot?.domain) cache.delete(domain);
  if (!deps.redis) return snapshot;
  const previousDomain = await deps.redis.get<string>(keys.tenantDomain(tenantId));
  if (previousDomain && previousDomain !== snapshot?.domain) await deps.redis.del(keys.pointer(previousDomain));
  if (snapshot?.domain) await publishSnapshot(deps.redis, snapshot.domain, snapshot);
  return snapshot;
}

/** Test seam: forget everything this isolate cached. */
export function clearSnapshotCache(): void {
  cache.clear();
}
