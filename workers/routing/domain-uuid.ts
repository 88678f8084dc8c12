import { eq } from "drizzle-orm";
import { tenants } from "../db/schema";
import { LruMap } from "../lib/lru";
import type { Services } from "../services";

/*
 * Some CDRs name their Cloudonix domain only by its UUID (owner.domain.uuid). Which domain a
 * UUID is changes only when an admin edits it, so answers are kept in the isolate for a while:
 * a known UUID for a minute, an unknown one for 10 s (so made-up UUIDs cost one query each per
 * isolate at most every 10 s; refusals are rate-limited per address besides).
 */
const KNOWN_MS = 60_000;
const UNKNOWN_MS = 10_000;
const cache = new LruMap<string, { domain: string | null; until: number }>(10_000);

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The Cloudonix domain name of the tenant whose domain has this UUID, or null. */
export async function domainForUuid(services: Services, uuid: string, now = Date.now()): Promise<string | null> {
  const key = uuid.trim().toLowerCase();
  if (!UUID.test(key)) return null;
  const cached = cache.get(key);
  if (cached && cached.until > now) return cached.domain;
  const db = await services.db();
  const [row] = await db.select({ domain: tenants.cloudonixDomain }).from(tenants).where(eq(tenants.cloudonixDomainUuid, key)).limit(1);
  const domain = row?.domain ?? null;
  cache.set(key, { domain, until: now + (domain ? KNOWN_MS : UNKNOWN_MS) });
  return domain;
}

/** After a tenant's UUID changed: this isolate forgets what it knew (others within a minute). */
export function forgetDomainUuids(): void {
  cache.clear();
}
