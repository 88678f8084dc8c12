import type { Redis } from "@upstash/redis/cloudflare";
import { log } from "../lib/log";
import type { Db } from "../db/client";
import { LruMap } from "../lib/lru";
import { buildSnapshot } from "./snapshot-builder";
import { publishedDomain, publishSnapshot, readBlob, readPointer, releaseDomain } from "./snapshot-publish";
import type { RoutingSnapshot } from "./snapshot-types";
import { findTenantByDomain } from "./tenant-lookup";

/*
 * Where a tenant's routing snapshot comes from, fastest first:
 *   1. isolate memory: used as is for FRESH_MS, served while revalidating in the background up
 *      to MAX_AGE_MS, so a committed change reaches every isolate within 2 s;
 *   2. Upstash: the domain's pointer ({tenantId, version}) and the tenant's blob, so an
 *      unchanged configuration costs one tiny GET per isolate per second (snapshot-publish.ts);
 *   3. MySQL: when Upstash misses or is down;
 *   4. with MySQL down: the domain's long-lived last-known pointer in Upstash, else the last
 *      snapshot this isolate held, however old. While serving such a stale snapshot, a domain
 *      is retried at most every STALE_RETRY_MS, in the background.
 */
export const FRESH_MS = 1_000;
export const MAX_AGE_MS = 2_000;
export const STALE_RETRY_MS = 2_000;
/** Domains come from unauthenticated requests: the isolate keeps at most this many of each kind. */
export const CACHE_CAPACITY = 1_000;

interface CacheEntry {
  snapshot: RoutingSnapshot;
  fetchedAt: number;
  /** Set while the snapshot is stale (MySQL down): no refresh is started before then. */
  retryAt?: number;
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

const known = new LruMap<string, CacheEntry>(CACHE_CAPACITY);
// "No tenant uses this domain", and since when. Kept apart from `known` so that a flood of
// made-up domains cannot push the real tenants out of memory.
const unknown = new LruMap<string, number>(CACHE_CAPACITY);

const clock = (deps: SnapshotDeps) => deps.now ?? Date.now();

/** Loads in progress, by domain: a burst of calls after the cache aged asks Upstash once, not once per call. */
const loading = new Map<string, Promise<SnapshotLookup>>();
/** How long a request waits on another request's load before loading for itself (that request may be cancelled mid-way). */
export const SHARED_LOAD_WAIT_MS = 3_000;

function loadOnce(domain: string, deps: SnapshotDeps, current: RoutingSnapshot | null): Promise<SnapshotLookup> {
  const pending = loading.get(domain);
  if (pending) {
    let answered = false;
    const ownLoad = new Promise<SnapshotLookup>((resolve, reject) => {
      setTimeout(() => {
        if (!answered) load(domain, deps, current).then(resolve, reject);
      }, SHARED_LOAD_WAIT_MS);
    });
    return Promise.race([pending, ownLoad]).finally(() => {
      answered = true;
    });
  }
  const started = load(domain, deps, current).finally(() => loading.delete(domain));
  loading.set(domain, started);
  return started;
}

/** The tenant snapshot for a Cloudonix domain; snapshot null means no tenant has that domain. */
export async function snapshotForDomain(domainInput: string, deps: SnapshotDeps): Promise<SnapshotLookup> {
  const domain = domainInput.trim().toLowerCase();
  const now = clock(deps);
  const entry = known.get(domain);
  if (entry?.retryAt !== undefined) {
    if (now >= entry.retryAt) {
      entry.retryAt = now + STALE_RETRY_MS;
      revalidate(domain, entry, deps);
    }
    return { snapshot: entry.snapshot, source: "stale" };
  }
  if (entry) {
    const age = now - entry.fetchedAt;
    if (age < FRESH_MS) return { snapshot: entry.snapshot, source: "memory" };
    if (age < MAX_AGE_MS) {
      revalidate(domain, entry, deps);
      return { snapshot: entry.snapshot, source: "memory" };
    }
  } else {
    const unknownSince = unknown.get(domain);
    if (unknownSince !== undefined && now - unknownSince < MAX_AGE_MS) return { snapshot: null, source: "memory" };
  }
  try {
    const loaded = await loadOnce(domain, deps, entry?.snapshot ?? null);
    remember(domain, loaded, now);
    return loaded;
  } catch (err) {
    if (!entry) throw new RoutingUnavailableError(err);
    log.warn("routing.serving_isolate_snapshot", { domain, error: err });
    entry.retryAt = now + STALE_RETRY_MS;
    return { snapshot: entry.snapshot, source: "stale" };
  }
}

function revalidate(domain: string, entry: CacheEntry, deps: SnapshotDeps): void {
  if (entry.refreshing) return;
  entry.refreshing = load(domain, deps, entry.snapshot)
    .then(
      (loaded) => remember(domain, loaded, clock(deps)),
      (err: Error) => {
        log.warn("routing.refresh_failed", { domain, action: "serving its last snapshot", error: err });
        entry.retryAt = clock(deps) + STALE_RETRY_MS;
      },
    )
    .finally(() => {
      entry.refreshing = undefined;
    });
  deps.waitUntil(entry.refreshing);
}

function remember(domain: string, loaded: SnapshotLookup, now: number): void {
  if (!loaded.snapshot) {
    known.delete(domain);
    unknown.set(domain, now);
    return;
  }
  unknown.delete(domain);
  known.set(domain, { snapshot: loaded.snapshot, fetchedAt: now, retryAt: loaded.source === "stale" ? now + STALE_RETRY_MS : undefined });
}

const sameVersion = (snapshot: RoutingSnapshot | null, other: { tenantId: string; version: number }) => snapshot !== null && snapshot.tenantId === other.tenantId && snapshot.version === other.version;

async function load(domain: string, deps: SnapshotDeps, current: RoutingSnapshot | null): Promise<SnapshotLookup> {
  let redis = deps.redis;
  if (redis) {
    try {
      const pointer = await readPointer(redis, domain, "pointer");
      if (pointer && sameVersion(current, pointer)) return { snapshot: current, source: "redis" };
      const snapshot = pointer ? await readBlob(redis, pointer, domain) : null;
      if (snapshot) return { snapshot, source: "redis" };
    } catch (err) {
      log.warn("routing.upstash_unavailable", { action: "reading MySQL", error: err });
      redis = null;
    }
  }
  try {
    return await loadFromMysql(domain, deps, current, redis);
  } catch (err) {
    const last = redis ? await lastKnown(redis, domain) : null;
    if (!last) throw err;
    // What this isolate holds may be newer than Upstash's last-known (its publish failed).
    const newer = current?.tenantId === last.tenantId && current.version > last.version ? current : last;
    log.warn("routing.mysql_unavailable", { domain, servingVersion: newer.version, error: err });
    return { snapshot: newer, source: "stale" };
  }
}

async function lastKnown(redis: Redis, domain: string): Promise<RoutingSnapshot | null> {
  try {
    const pointer = await readPointer(redis, domain, "lastKnown");
    return pointer ? await readBlob(redis, pointer, domain) : null;
  } catch {
    return null;
  }
}

async function loadFromMysql(domain: string, deps: SnapshotDeps, current: RoutingSnapshot | null, redis: Redis | null): Promise<SnapshotLookup> {
  const row = await findTenantByDomain(domain, () => deps.db());
  let snapshot = row && sameVersion(current, { tenantId: row.id, version: row.version }) ? current : null;
  if (row && !snapshot) snapshot = await buildSnapshot(await deps.db(), row.id);
  // The tenant may have changed its domain between the two reads.
  if (snapshot?.domain !== domain) return { snapshot: null, source: "mysql" };
  // Renews the expired pointer for every isolate (compare-and-set: never moves it back).
  if (redis) {
    deps.waitUntil(publishSnapshot(redis, snapshot).catch((err: Error) => log.warn("routing.publish_failed", { domain, error: err })));
  }
  return { snapshot, source: "mysql" };
}

/**
 * After a committed change: rebuild from MySQL and publish, and stop routing a domain the
 * tenant no longer owns. This isolate's cache is dropped at once; others follow within 2 s.
 */
export async function republishTenant(deps: Omit<SnapshotDeps, "waitUntil">, tenantId: string): Promise<RoutingSnapshot | null> {
  const snapshot = await buildSnapshot(await deps.db(), tenantId);
  for (const [domain, entry] of known.entries()) if (entry.snapshot.tenantId === tenantId) known.delete(domain);
  if (snapshot?.domain) {
    known.delete(snapshot.domain);
    unknown.delete(snapshot.domain);
  }
  if (!deps.redis) return snapshot;
  const previousDomain = await publishedDomain(deps.redis, tenantId);
  const written = snapshot ? await publishSnapshot(deps.redis, snapshot) : true;
  if (written && previousDomain && previousDomain !== snapshot?.domain) await releaseDomain(deps.redis, previousDomain, tenantId);
  return snapshot;
}

/** Test seam: forget everything this isolate cached. */
export function clearSnapshotCache(): void {
  known.clear();
  unknown.clear();
  loading.clear();
}
