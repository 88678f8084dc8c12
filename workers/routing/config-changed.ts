import { eq, sql } from "drizzle-orm";
import { log } from "../lib/log";
import type { Executor } from "../db/executor";
import { tenants } from "../db/schema";
import type { Services } from "../services";
import { republishTenant } from "./snapshot-store";
import { publishConfigChange } from "../realtime/config-events";

export interface ConfigChange {
  entity: "tenant" | "voice_agent" | "agent_group" | "inbound_rule" | "outbound_rule" | "trunk" | "user" | "schedule" | "provider_account" | "campaign";
  action: "created" | "updated" | "deleted" | "toggled" | "members_replaced" | "bulk";
  ids: string[];
}

/**
 * First statement of every configuration change's transaction: takes the tenant row's write
 * lock, so a tenant's changes commit one at a time and their versions in commit order. Taking
 * it first matters: inserting a row that references the tenant takes a shared lock on it, and
 * two changes that both upgrade a shared lock to a write lock at the end deadlock.
 */
export async function lockTenantConfig(tx: Executor, tenantId: string): Promise<void> {
  await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, tenantId)).for("update");
}

/**
 * In the change's own transaction: a committed change always has a new version, so routing,
 * which compares versions, cannot miss it even if the republish below never runs.
 */
export async function bumpConfigVersion(tx: Executor, tenantId: string): Promise<void> {
  await tx
    .update(tenants)
    .set({ configVersion: sql`${tenants.configVersion} + 1` })
    .where(eq(tenants.id, tenantId));
}

/**
 * After the commit: republishes the tenant's routing snapshot to Upstash, so every isolate
 * routes with the change within 2 s, and tells the live dashboards. If the republish fails
 * twice, isolates still reach the new version once the domain's pointer expires (a minute).
 */
export async function markConfigChanged(services: Services, tenantId: string, change: ConfigChange): Promise<void> {
  const deps = { redis: services.redis, db: () => services.db() };
  try {
    await republishTenant(deps, tenantId).catch(() => republishTenant(deps, tenantId));
  } catch (err) {
    log.error("routing.republish_failed", { tenantId, error: err });
  }
  // Live dashboards (TenantHub); never throws.
  await publishConfigChange(services.env, tenantId, change);
}
