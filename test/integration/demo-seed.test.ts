import { randomBytes } from "node:crypto";
import { drizzle, type MySql2Database } from "drizzle-orm/mysql2";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, it } from "vitest";
import type { Connection } from "mysql2/promise";
import { applyMigrations } from "../../scripts/migrate";
import { connect } from "../../scripts/lib/db";
import { DEMO, seedDemo } from "../../scripts/lib/demo-seed";
import * as schema from "../../workers/db/schema";
import { createTenantWithAdmin } from "../../workers/db/repos/tenants";
import { verifyPassword } from "../../workers/lib/passwords";
import { decryptSecret, verifyRequestKey } from "../../workers/lib/secrets";

const database = `cxlb_tmp_${randomBytes(4).toString("hex")}`;
const base = process.env.TEST_DATABASE_URL!.replace(/\/[^/]+$/, "");
const adminUrl = `${base}/${process.env.DB_TEST_NAME ?? "cxlb_test"}`;

let connection: Connection;
let db: MySql2Database<typeof schema>;

async function demoState() {
  const [tenant] = await db.select().from(schema.tenants).where(eq(schema.tenants.cloudonixDomain, DEMO.domain));
  if (!tenant) return null;
  const count = async (table: typeof schema.voiceAgents | typeof schema.agentGroups | typeof schema.inboundRoutingRules | typeof schema.trunks | typeof schema.outboundRoutingRules | typeof schema.agentGroupMembers | typeof schema.users) =>
    Number((await db.select({ n: sql<number>`COUNT(*)` }).from(table).where(eq(table.tenantId, tenant.id)))[0]!.n);
  return {
    tenant,
    counts: {
      users: await count(schema.users),
      agents: await count(schema.voiceAgents),
      groups: await count(schema.agentGroups),
      members: await count(schema.agentGroupMembers),
      inbound: await count(schema.inboundRoutingRules),
      trunks: await count(schema.trunks),
      outbound: await count(schema.outboundRoutingRules),
    },
  };
}

const user = async (email: string) => (await db.select().from(schema.users).where(eq(schema.users.email, email)))[0];
const COMPLETE = { users: 2, agents: 4, groups: 1, members: 3, inbound: 2, trunks: 1, outbound: 1 };

describe("the demo seed (npm run seed)", () => {
  beforeAll(async () => {
    const admin = await connect(adminUrl);
    await admin.query(`CREATE DATABASE \`${database}\``);
    await admin.end();
    await applyMigrations(`${base}/${database}`);
    connection = await connect(`${base}/${database}`);
    db = drizzle(connection, { schema, mode: "default" });
  });

  afterAll(async () => {
    await connection?.end();
    const admin = await connect(adminUrl);
    await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await admin.end();
  });

  it("rolls back entirely when it cannot finish, leaving no half-made demo", async ({ expect }) => {
    // The viewer's email already signs in to another tenant: the seed must fail after creating the tenant.
    const other = await createTenantWithAdmin(db, { name: "Other", adminEmail: DEMO.viewerEmail, adminPassword: "another-password-123" });
    await expect(seedDemo(db)).rejects.toThrow(/viewer@demo\.local belongs to another tenant/);
    expect(await demoState()).toBeNull();
    await db.delete(schema.tenants).where(eq(schema.tenants.id, other.tenantId));
  });

  it("completes a half-made demo and resets the credentials it prints", async ({ expect }) => {
    // What an interrupted run of the old seed left: the tenant and its admin, nothing else,
    // then someone changed the admin's password, disabled them and rotated the request key.
    const half = await createTenantWithAdmin(db, { name: DEMO.name, cloudonixDomain: DEMO.domain, adminEmail: DEMO.adminEmail, adminPassword: "changed-locally-123" });
    await db.update(schema.users).set({ disabled: true, role: "user" }).where(eq(schema.users.email, DEMO.adminEmail));
    await db.update(schema.tenants).set({ requestKeyHash: "sha256$rotated" }).where(eq(schema.tenants.id, half.tenantId));
    const before = (await demoState())!;

    const result = await seedDemo(db);
    expect(result).toEqual({ tenantId: half.tenantId, created: false });
    const after = (await demoState())!;
    expect(after.counts).toEqual(COMPLETE);
    expect(after.tenant.configVersion).toBeGreaterThan(before.tenant.configVersion);
    expect(await verifyRequestKey(DEMO.requestKey, after.tenant.requestKeyHash!)).toBe(true);

    const admin = (await user(DEMO.adminEmail))!;
    expect(admin).toMatchObject({ role: "admin", disabled: false });
    expect(await verifyPassword(DEMO.adminPassword, admin.passwordHash)).toBe(true);
    const viewer = (await user(DEMO.viewerEmail))!;
    expect(viewer).toMatchObject({ tenantId: half.tenantId, role: "user", disabled: false });
    expect(await verifyPassword(DEMO.viewerPassword, viewer.passwordHash)).toBe(true);
  });

  it("is idempotent: a second run adds nothing and leaves the routing version alone", async ({ expect }) => {
    const before = (await demoState())!;
    await db.update(schema.users).set({ passwordHash: "pbkdf2$changed" }).where(eq(schema.users.email, DEMO.viewerEmail));
    expect(await seedDemo(db)).toEqual({ tenantId: before.tenant.id, created: false });
    const after = (await demoState())!;
    expect(after.counts).toEqual(COMPLETE);
    expect(after.tenant.configVersion).toBe(before.tenant.configVersion);
    expect(await verifyPassword(DEMO.viewerPassword, (await user(DEMO.viewerEmail))!.passwordHash)).toBe(true);
  });

  it("creates the whole demo on an empty database", async ({ expect }) => {
    await db.delete(schema.tenants).where(eq(schema.tenants.cloudonixDomain, DEMO.domain));
    expect(await demoState()).toBeNull();
    const result = await seedDemo(db);
    expect(result.created).toBe(true);
    expect((await demoState())!.counts).toEqual(COMPLETE);
  });

  it("gives the demo its callback token with the Worker's encryption key, and resets it once", async ({ expect }) => {
    const key = randomBytes(32).toString("base64");
    const before = (await demoState())!;
    await seedDemo(db, key);
    const seeded = (await demoState())!;
    expect(await decryptSecret(seeded.tenant.callbackTokenEnc!, key)).toBe(DEMO.callbackToken);
    expect(await verifyRequestKey(DEMO.callbackToken, seeded.tenant.callbackTokenHash!)).toBe(true);
    // Routing checks callbacks against its snapshot: a new token must republish it.
    expect(seeded.tenant.configVersion).toBeGreaterThan(before.tenant.configVersion);
    // Again, under a new key: the same token, readable with that key, and no new version.
    const newKey = randomBytes(32).toString("base64");
    await seedDemo(db, newKey);
    const again = (await demoState())!;
    expect(await decryptSecret(again.tenant.callbackTokenEnc!, newKey)).toBe(DEMO.callbackToken);
    expect(again.tenant.callbackTokenHash).toBe(seeded.tenant.callbackTokenHash);
    expect(again.tenant.configVersion).toBe(seeded.tenant.configVersion);
  });
});
