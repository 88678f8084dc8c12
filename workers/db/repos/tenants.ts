import { eq, sql } from "drizzle-orm";
import type { Executor } from "../executor";
import type { MySql2Database } from "drizzle-orm/mysql2";
import { tenants, users } from "../schema";
import type * as schema from "../schema";
import { newId } from "../../lib/ids";
import { hashPassword } from "../../lib/passwords";
import { encryptSecret, hashRequestKey, newCallbackToken, newRequestKey } from "../../lib/secrets";

type AnyDb = MySql2Database<typeof schema>;

export interface NewTenantInput {
  name: string;
  cloudonixDomain?: string | null;
  timezone?: string;
  adminEmail: string;
  adminPassword: string;
  adminName?: string;
  /** Normally generated; a fixed key is only for the local demo. */
  requestKey?: string;
  /**
   * The Worker's ENCRYPTION_KEY: with it the tenant also gets its callback URLs' capability
   * token (stored encrypted, so Settings can show the URLs again). Without it, an admin
   * generates one in Settings.
   */
  encryptionKey?: string;
}

export interface CreatedTenant {
  tenantId: string;
  adminUserId: string;
  /** Shown once; only its hash is stored. */
  requestKey: string;
  /** The capability token of the tenant's callback URLs; null without an encryption key. */
  callbackToken: string | null;
}

/** The columns of a new callback token, the previous one retired at once. */
export async function callbackTokenColumns(token: string, encryptionKey: string, rotatedAt = new Date()) {
  const [callbackTokenEnc, callbackTokenHash] = await Promise.all([encryptSecret(token, encryptionKey), hashRequestKey(token)]);
  return { callbackTokenEnc, callbackTokenHash, callbackTokenRotatedAt: rotatedAt, previousCallbackTokenHash: null, previousCallbackTokenExpiresAt: null };
}

/** Creates a tenant, its first admin, its webhook request key and callback token in one transaction. */
export async function createTenantWithAdmin(db: AnyDb, input: NewTenantInput): Promise<CreatedTenant> {
  const tenantId = newId("ten");
  const adminUserId = newId("usr");
  const requestKey = input.requestKey ?? newRequestKey();
  const callbackToken = input.encryptionKey ? newCallbackToken() : null;
  const [requestKeyHash, passwordHash, callback] = await Promise.all([hashRequestKey(requestKey), hashPassword(input.adminPassword), callbackToken ? callbackTokenColumns(callbackToken, input.encryptionKey!) : null]);
  await db.transaction(async (tx) => {
    await tx.insert(tenants).values({
      id: tenantId,
      name: input.name,
      timezone: input.timezone ?? "UTC",
      cloudonixDomain: input.cloudonixDomain?.toLowerCase() ?? null,
      requestKeyHash,
      requestKeyHint: requestKey.slice(-4),
      requestKeyRotatedAt: new Date(),
      ...callback,
    });
    await tx.insert(users).values({
      id: adminUserId,
      tenantId,
      email: input.adminEmail.toLowerCase(),
      name: input.adminName ?? "Administrator",
      passwordHash,
      role: "admin",
    });
  });
  return { tenantId, adminUserId, requestKey, callbackToken };
}

export async function findTenantByDomain(db: AnyDb, domain: string) {
  const [row] = await db.select().from(tenants).where(eq(tenants.cloudonixDomain, domain.toLowerCase())).limit(1);
  return row ?? null;
}

export type TenantRow = typeof tenants.$inferSelect;

export async function findTenant(db: Executor, id: string, opts: { forUpdate?: boolean } = {}): Promise<TenantRow | null> {
  const query = db.select().from(tenants).where(eq(tenants.id, id)).limit(1);
  const [row] = opts.forUpdate ? await query.for("update") : await query;
  return row ?? null;
}

/** Applies `changes` and bumps the settings version; the caller holds the row lock. */
export async function updateTenant(db: Executor, id: string, changes: Partial<typeof tenants.$inferInsert>): Promise<void> {
  await db
    .update(tenants)
    .set({ ...changes, version: sql`${tenants.version} + 1`, updatedAt: new Date() })
    .where(eq(tenants.id, id));
}
