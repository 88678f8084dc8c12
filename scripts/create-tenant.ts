// Creates a tenant and its first admin (production and local), or the local demo tenant.
//   tsx scripts/create-tenant.ts --name "Acme" --domain acme.cloudonix.net --email ops@acme.com --password '…'
//   tsx scripts/create-tenant.ts --demo          (idempotent: creates or completes the demo tenant, its users and configuration)
// DATABASE_URL=mysql://user:pass@host/db points it at production (e.g. a PlanetScale branch).
// ENCRYPTION_KEY=… (the Worker's secret; locally read from .dev.vars) gives the tenant its
// callback URLs; without it an admin generates them in Settings.
import { mkdirSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { drizzle } from "drizzle-orm/mysql2";
import * as schema from "../workers/db/schema";
import { createTenantWithAdmin } from "../workers/db/repos/tenants";
import { DEMO, seedDemo } from "./lib/demo-seed";
import { connect, databaseUrl } from "./lib/db";
import { workerEncryptionKey } from "./lib/encryption-key";
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
const encryptionKey = workerEncryptionKey();
try {
  if (values.demo) {
    const { tenantId, created } = await seedDemo(db, encryptionKey);
    console.log(`[create-tenant] demo tenant ${created ? "created" : "checked and completed"} (${tenantId}); demo passwords, request key${encryptionKey ? " and callback URLs" : ""} reset`);
    if (!encryptionKey) console.warn("[create-tenant] no ENCRYPTION_KEY (environment or .dev.vars): the demo's callback URLs were left as they were");
    mkdirSync(".local", { recursive: true });
    const { callbackToken, ...demo } = DEMO;
    writeFileSync(".local/demo.json", JSON.stringify({ tenantId, ...demo, ...(encryptionKey ? { callbackToken } : {}) }, null, 2));
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
      encryptionKey: encryptionKey ?? undefined,
    });
    console.log(`Tenant ${created.tenantId} created with admin ${email}.`);
    console.log(`Webhook request key (shown once; set it as the domain's Request Authorization Key in Cloudonix):`);
    console.log(`  ${created.requestKey}`);
    if (created.callbackToken) {
      console.log(`Callback URLs (the domain profile's session-update-endpoint and cdr-endpoint; Settings shows them again), on your Worker's host:`);
      console.log(`  https://<worker-host>/api/webhooks/c/${created.callbackToken}/session-update`);
      console.log(`  https://<worker-host>/api/webhooks/c/${created.callbackToken}/cdr`);
    } else {
      console.log("No ENCRYPTION_KEY was given: generate the callback URLs in Settings (or run again with ENCRYPTION_KEY=…).");
    }
  }
} catch (err) {
  if (isDuplicateKey(err, "tenants_cloudonix_domain_uq")) fail(`the Cloudonix domain ${values.domain} already belongs to another tenant`);
  if (isDuplicateKey(err, "users_email_uq")) fail(`a user with the email ${values.email} already exists (each email signs in to one tenant)`);
  const cause = (err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message;
  fail(cause);
} finally {
  await connection.end();
}
