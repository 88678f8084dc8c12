import { inArray } from "drizzle-orm";
import type { Db } from "../db/client";
import { tenants } from "../db/schema";

/*
 * Which tenant uses a Cloudonix domain, when Upstash cannot say. The domain is whatever an
 * unauthenticated caller sent, so a flood of made-up domains must not cost a query each: an
 * isolate runs one lookup at a time, at most one every MIN_GAP_MS, and every domain asked for
 * meanwhile joins the next one, a single indexed IN (…) query. Real tenants rarely get here
 * (only when their Upstash pointer expired), so the gap costs them nothing in practice.
 */
const MAX_BATCH = 1_000;
const MIN_GAP_MS = 50;

export interface TenantRow {
  id: string;
  version: number;
}

interface Batch {
  domains: Set<string>;
  rows: Promise<Map<string, TenantRow>>;
}

let open: Batch | null = null;
let previous: Promise<unknown> = Promise.resolve();
let nextStartAt = 0;

export async function findTenantByDomain(domain: string, openDb: () => Promise<Db>): Promise<TenantRow | null> {
  let batch = open;
  if (!batch || batch.domains.size >= MAX_BATCH) {
    const domains = new Set<string>();
    const rows = previous.then(async () => {
      const wait = nextStartAt - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      // From here on, newcomers start the next batch instead of joining this one.
      if (open?.domains === domains) open = null;
      nextStartAt = Date.now() + MIN_GAP_MS;
      return query(openDb, [...domains]);
    });
    batch = open = { domains, rows };
    previous = rows.catch(() => {});
  }
  batch.domains.add(domain);
  return (await batch.rows).get(domain) ?? null;
}

async function query(openDb: () => Promise<Db>, domains: string[]): Promise<Map<string, TenantRow>> {
  const db = await openDb();
  const rows = await db.select({ id: tenants.id, version: tenants.configVersion, domain: tenants.cloudonixDomain }).from(tenants).where(inArray(tenants.cloudonixDomain, domains));
  return new Map(rows.map((row) => [row.domain!.toLowerCase(), { id: row.id, version: row.version }]));
}
