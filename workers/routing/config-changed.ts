import { eq, sql } from "drizzle-orm";
import type { Services } from "../services";
import { tenants } from "../db/schema";
import { republishTenant } from "./snapshot-store";
import { publishConfigChange } from "../realtime/config-events";

export interface ConfigChange {
  entity: "tenant" | "voice_agent" | "agent_group" | "inbound_rule" | "outbound_rule" | "trunk" | "user";
  action: "created" | "updated" | "deleted" | "toggled" | "members_replaced" | "bulk";
  ids: string[];
}

/**
 * The one hook every committed configuration change calls: bumps the tenant's config
 * version and republishes its routing snapshot to Upstash, so every isolate routes with the
 * change within 2 s. Call it after the transaction commits.
 */
export async function markConfigChanged(services: Services, tenantId: string, change: ConfigChange): Promise<void> {
  const db = await services.db();
  await db.update(tenants).set({ configVersion: sql`${tenants.configVersion} + 1` }).where(eq(tenants.id, tenantId));
  try {
    await republishTenant({ redis: services.redis, db: () => services.db() }, tenantId);
  } catch (err) {
    // The version bump is committed, so isolates that fall back to MySQL see the change; the
    // Upstash pointer expires within a minute at worst.
    console.warn(`routing: could not republish the snapshot of ${tenantId}: ${(err as Error).message}`);
  }
  // Live dashboards (TenantHub); never throws.
  await publishConfigChange(services.env, tenantId, change);
}
