// Creates a tenant and its first admin (production and local), or the local demo tenant.
//   tsx scripts/create-tenant.ts --name "Acme" --domain acme.cloudonix.net --email ops@acme.com --password '…'
//   tsx scripts/create-tenant.ts --demo          (idempotent; also seeds demo agents, a group and rules)
// DATABASE_URL=mysql://user:pass@host/db points it at production (e.g. a PlanetScale branch).
import { mkdirSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { drizzle } from "drizzle-orm/mysql2";
import { eq } from "drizzle-orm";
import * as schema from "../workers/db/schema";
import { createTenantWithAdmin, findTenantByDomain } from "../workers/db/repos/tenants";
import { seedDemoConfiguration } from "./lib/demo-config";
import { connect, databaseUrl } from "./lib/db";
import { hashPassword } from "../workers/lib/passwords";
import { isDuplicateKey } from "../workers/db/executor";
import { CloudonixDomain, TenantName, TimeZone } from "../workers/schemas/tenant";
import { Email, NewPassword } from "../workers/schemas/users";

export const DEMO = {
  name: "Demo Voice Co",
  domain: "demo.cloudonix.net",
  adminEmail: "admin@demo.local",
  adminPassword: "demo-admin-password",
  viewerEmail: "viewer@demo.local",
  viewerPassword: "demo-viewer-password",
  requestKey: "cxrk_local_demo_request_key_not_secret",
};

const { values } = parseArgs({
  options: {
    demo: { type: "boolean", default: false },
    name: { type: "string" },
    domain: { type: "string" },
    email: { type: "string" },
    password: { type: "string" },
    timezone: { type: "string", default: "UTC" },
    database: { type: "string" },
  },
});

function fail(message: string): never {
  console.error(`[create-tenant] ${message}`);
  process.exit(2);
}

const connection = await connect(databaseUrl(values.database));
const db = drizzle(connection, { schema, mode: "default" });
try {
  if (values.demo) {
    let tenant = await findTenantByDomain(db, DEMO.domain);
    if (!tenant) {
      await createTenantWithAdmin(db, {
        name: DEMO.name,
        cloudonixDomain: DEMO.domain,
        adminEmail: DEMO.adminEmail,
        adminPassword: DEMO.adminPassword,
        requestKey: DEMO.requestKey,
      });
      tenant = (await findTenantByDomain(db, DEMO.domain))!;
      await db.insert(schema.users).values({
        id: `usr_demo_viewer_${tenant.id.slice(-6)}`,
        tenantId: tenant.id,
        email: DEMO.viewerEmail,
        name: "Demo Viewer",
        passwordHash: await hashPassword(DEMO.viewerPassword),
        role: "user",
      });
      await seedDemoConfiguration(db, tenant.id);
      console.log(`[create-tenant] demo tenant created (${tenant.id})`);
    } else {
      // Keep the printed credentials true even if someone changed the password locally.
      await db.update(schema.users).set({ passwordHash: await hashPassword(DEMO.adminPassword), disabled: false }).where(eq(schema.users.email, DEMO.adminEmail));
      console.log(`[create-tenant] demo tenant already exists (${tenant.id})`);
    }
    mkdirSync(".local", { recursive: true });
    writeFileSync(".local/demo.json", JSON.stringify({ tenantId: tenant.id, ...DEMO }, null, 2));
  } else {
    const { name, domain, email, password, timezone } = values;
    if (!name || !email || !password) fail("--name, --email and --password are required (or --demo)");
    // The same rules the API applies (PUT /api/tenant, POST /api/users).
    const check = <T>(flag: string, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { message: string }[] } } }, value: unknown): T => {
      const result = schema.safeParse(value);
      if (!result.success) fail(`${flag}: ${result.error.issues[0]?.message ?? "invalid"}`);
      return result.data;
    };
    const created = await createTenantWithAdmin(db, {
      name: check("--name", TenantName, name),
      cloudonixDomain: domain ? check("--domain", CloudonixDomain, domain) : null,
      timezone: check("--timezone", TimeZone, timezone),
      adminEmail: check("--email", Email, email),
      adminPassword: check("--password", NewPassword, password),
    });
    console.log(`Tenant ${created.tenantId} created with admin ${email}.`);
    console.log(`Webhook request key (shown once; set it as the domain's Request Authorization Key in Cloudonix):`);
    console.log(`  ${created.requestKey}`);
  }
} catch (err) {
  if (isDuplicateKey(err, "tenants_cloudonix_domain_uq")) fail(`the Cloudonix domain ${values.domain} already belongs to another tenant`);
  if (isDuplicateKey(err, "users_email_uq")) fail(`a user with the email ${values.email} already exists (each email signs in to one tenant)`);
  const cause = (err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message;
  fail(cause);
} finally {
  await connection.end();
}
