// Creates a tenant and its first admin (production and local), or the local demo tenant.
//   tsx scripts/create-tenant.ts --name "Acme" --domain acme.cloudonix.net --email ops@acme.com --password '…'
//   tsx scripts/create-tenant.ts --demo          (idempotent: creates or completes the demo tenant, its users and configuration)
// DATABASE_URL=mysql://user:pass@host/db points it at production (e.g. a PlanetScale branch).
import { mkdirSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { drizzle } from "drizzle-orm/mysql2";
import * as schema from "../workers/db/schema";
import { createTenantWithAdmin } from "../workers/db/repos/tenants";
import { DEMO, seedDemo } from "./lib/demo-seed";
import { connect, databaseUrl } from "./lib/db";
import { isDuplicateKey } from "../workers/db/executor";
import { CloudonixDomain, TenantName, TimeZone } from "../workers/schemas/tenant";
import { Email, NewPassword } from "../workers/schemas/users";

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
    const { tenantId, created } = await seedDemo(db);
    console.log(`[create-tenant] demo tenant ${created ? "created" : "checked and completed"} (${tenantId}); demo passwords and request key reset`);
    mkdirSync(".local", { recursive: true });
    writeFileSync(".local/demo.json", JSON.stringify({ tenantId, ...DEMO }, null, 2));
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
