import type { Executor } from "../db/executor";
import { enabledEndpointsOf } from "../db/repos/event-webhooks";
import type { EventType } from "../domain/integrations";

/*
 * Which tenants have enabled event webhooks, and for which types: read once per tenant per
 * isolate every 10 s. The queue consumer asks for every batch; a tenant without endpoints
 * (nearly all traffic) then costs no query at all between refreshes, and one query covers
 * every tenant of a batch when they are refreshed. A change made through the API is seen at
 * once by the isolate that made it (forgetEndpoints) and within 10 s by the others.
 */

export const ENDPOINT_CACHE_MS = 10_000;

export interface CachedEndpoint {
  id: string;
  eventTypes: EventType[];
}

const cache = new Map<string, { until: number; endpoints: CachedEndpoint[] }>();
const MAX_TENANTS = 10_000;

export async function endpointsFor(db: Executor, tenantIds: string[], now = Date.now()): Promise<Map<string, CachedEndpoint[]>> {
  const out = new Map<string, CachedEndpoint[]>();
  const stale: string[] = [];
  for (const tenantId of new Set(tenantIds)) {
    const hit = cache.get(tenantId);
    if (hit && hit.until > now) out.set(tenantId, hit.endpoints);
    else stale.push(tenantId);
  }
  if (!stale.length) return out;
  const rows = await enabledEndpointsOf(db, stale);
  if (cache.size + stale.length > MAX_TENANTS) cache.clear();
  for (const tenantId of stale) {
    const endpoints = rows.filter((r) => r.tenantId === tenantId).map((r) => ({ id: r.id, eventTypes: r.eventTypes as EventType[] }));
    cache.set(tenantId, { until: now + ENDPOINT_CACHE_MS, endpoints });
    out.set(tenantId, endpoints);
  }
  return out;
}

/** After a change to a tenant's endpoints: this isolate reads them again on next use. */
export function forgetEndpoints(tenantId: string): void {
  cache.delete(tenantId);
}
