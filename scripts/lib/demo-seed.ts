import type { MySql2Database } from "drizzle-orm/mysql2";
import { eq, sql } from "drizzle-orm";
import * as schema from "../../workers/db/schema";
import type { Executor } from "../../workers/db/executor";
import { newId } from "../../workers/lib/ids";
import { hashPassword } from "../../workers/lib/passwords";
import { encryptSecret, hashRequestKey } from "../../workers/lib/secrets";
import { callbackTokenColumns } from "../../workers/db/repos/tenants";
import { seedDemoConfiguration } from "./demo-config";

/** What `npm start` prints; the seed makes every one of these true again on each run. */
export const DEMO = {
  name: "Demo Voice Co",
  domain: "demo.cloudonix.net",
  adminEmail: "admin@demo.local",
  adminPassword: "demo-admin-password",
  viewerEmail: "viewer@demo.local",
  viewerPassword: "demo-viewer-password",
  requestKey: "cxrk_local_demo_request_key_not_secret",
  /** The capability token of the demo's callback URLs (…/api/webhooks/c/{token}/cdr). */
  callbackToken: "cxcb_local_demo_callback_token_not_secret",
  /** The demo's Cloudonix API key: campaigns start calls with it, at the Cloudonix stand-in `npm start` runs. */
  cloudonixApiKey: "XIlocalDemoCloudonixApiKeyNotSecret",
};

export interface DemoSeedResult {
  tenantId: string;
  created: boolean;
}

interface DemoUser {
  email: string;
  name: string;
  role: "admin" | "user";
  passwordHash: string;
}

/** Creates the user, or gives it back the printed password, its role and access. */
async function ensureUser(tx: Executor, tenantId: string, user: DemoUser): Promise<void> {
  const [existing] = await tx.select({ id: schema.users.id, tenantId: schema.users.tenantId }).from(schema.users).where(eq(schema.users.email, user.email)).for("update");
  if (!existing) {
    await tx.insert(schema.users).values({ id: newId("usr"), tenantId, ...user });
    return;
  }
  if (existing.tenantId !== tenantId) throw new Error(`${user.email} belongs to another tenant (${existing.tenantId}); delete that user first`);
  await tx.update(schema.users).set({ passwordHash: user.passwordHash, role: user.role, disabled: false }).where(eq(schema.users.id, existing.id));
}

/**
 * The local demo tenant, its admin and viewer, its request key, its callback token (with the
 * Worker's `encryptionKey`, so Settings can show the URLs) and a small configuration, in one
 * transaction: a run that dies half-way leaves nothing, and a run over a half-made demo (or one
 * changed by hand) completes it and resets the credentials it prints.
 */
export async function seedDemo(db: MySql2Database<typeof schema>, encryptionKey: string | null = null): Promise<DemoSeedResult> {
  const [adminHash, viewerHash, requestKeyHash, callbackHash] = await Promise.all([hashPassword(DEMO.adminPassword), hashPassword(DEMO.viewerPassword), hashRequestKey(DEMO.requestKey), hashRequestKey(DEMO.callbackToken)]);
  const requestKey = { requestKeyHash, requestKeyHint: DEMO.requestKey.slice(-4), previousRequestKeyHash: null, previousRequestKeyExpiresAt: null };
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: schema.tenants.id, requestKeyHash: schema.tenants.requestKeyHash, callbackTokenHash: schema.tenants.callbackTokenHash }).from(schema.tenants).where(eq(schema.tenants.cloudonixDomain, DEMO.domain)).for("update");
    const tenantId = existing?.id ?? newId("ten");
    if (!existing) {
      await tx.insert(schema.tenants).values({ id: tenantId, name: DEMO.name, cloudonixDomain: DEMO.domain, requestKeyRotatedAt: new Date(), ...requestKey });
    } else if (existing.requestKeyHash !== requestKeyHash) {
      await tx
        .update(schema.tenants)
        .set({ ...requestKey, requestKeyRotatedAt: new Date() })
        .where(eq(schema.tenants.id, tenantId));
    }
    await ensureUser(tx, tenantId, { email: DEMO.adminEmail, name: "Demo Admin", role: "admin", passwordHash: adminHash });
    await ensureUser(tx, tenantId, { email: DEMO.viewerEmail, name: "Demo Viewer", role: "user", passwordHash: viewerHash });
    const keyReset = existing !== undefined && existing.requestKeyHash !== requestKeyHash;
    const callbackReset = encryptionKey !== null && existing?.callbackTokenHash !== callbackHash;
    if (callbackReset)
      await tx
        .update(schema.tenants)
        .set(await callbackTokenColumns(DEMO.callbackToken, encryptionKey))
        .where(eq(schema.tenants.id, tenantId));
    // Same token: encrypted again under the current key (.dev.vars may have a new one), so
    // Settings can always show the URLs; routing checks the hash, which did not change.
    else if (encryptionKey !== null) {
      const { callbackTokenEnc } = await callbackTokenColumns(DEMO.callbackToken, encryptionKey);
      await tx.update(schema.tenants).set({ callbackTokenEnc }).where(eq(schema.tenants.id, tenantId));
    }
    // Campaigns call out through Cloudonix's API with the tenant's key (the stand-in accepts any XI… key).
    if (encryptionKey !== null)
      await tx
        .update(schema.tenants)
        .set({ cloudonixApiKeyEnc: await encryptSecret(DEMO.cloudonixApiKey, encryptionKey) })
        .where(eq(schema.tenants.id, tenantId));
    const configAdded = await seedDemoConfiguration(tx, tenantId);
    // Routing caches snapshots by this version; a repaired demo must not route from the old one.
    if (existing && (configAdded || keyReset || callbackReset))
      await tx
        .update(schema.tenants)
        .set({ configVersion: sql`${schema.tenants.configVersion} + 1` })
        .where(eq(schema.tenants.id, tenantId));
    return { tenantId, created: !existing };
  });
}
