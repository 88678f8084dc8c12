import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { assertFallbackExists } from "../db/repos/references";
import { findTenant, updateTenant, type TenantRow } from "../db/repos/tenants";
import type { tenants } from "../db/schema";
import { adminWrites, requireAuth } from "../middleware/auth";
import { apiDocs } from "../openapi/registry";
import { commitChange } from "../lib/change";
import { assertVersion, etag, expectedVersion } from "../lib/concurrency";
import { uniqueOr409 } from "../lib/db-conflicts";
import { notFound } from "../lib/errors";
import { encryptSecret, hashRequestKey, newRequestKey } from "../lib/secrets";
import { readOptionalJson } from "../lib/optional-json";
import { readJson } from "../lib/validation";
import { RequestKeyResponse, RotateRequestKeyBody, TenantSchema, UpdateTenantBody, type TenantDto } from "../schemas/tenant";

const docs = apiDocs("/api/tenant", "Tenant");
docs.get("/", "The tenant's settings", { response: TenantSchema });
docs.put("/", "Change the tenant's settings (only the fields sent)", { auth: "admin", body: UpdateTenantBody, response: TenantSchema, errors: [404, 409] });
docs.post("/request-key", "Generate a new webhook request key (shown once; the old key keeps working for graceSeconds, default 1 hour)", { auth: "admin", body: RotateRequestKeyBody, response: RequestKeyResponse });

export function toTenantDto(row: TenantRow, origin: string): TenantDto {
  return {
    id: row.id,
    name: row.name,
    timezone: row.timezone,
    cloudonixDomain: row.cloudonixDomain,
    hasCloudonixApiKey: row.cloudonixApiKeyEnc !== null,
    requestKey: row.requestKeyHash ? { hint: row.requestKeyHint ?? "", rotatedAt: row.requestKeyRotatedAt?.toISOString() ?? null } : null,
    webhookUrl: `${origin}/api/webhooks/voice-application`,
    defaultFallback: row.defaultFallback ?? null,
    retentionDays: row.retentionDays,
    outboundCallerPatterns: row.outboundCallerPatterns,
    configVersion: row.configVersion,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export const tenant = new Hono<AppEnv>()
  .use(requireAuth, adminWrites)
  .get("/", async (c) => {
    const row = await findTenant(await c.get("services").db(), c.get("auth").tenantId);
    if (!row) throw notFound("Tenant");
    c.header("ETag", etag(row.version));
    return c.json(toTenantDto(row, new URL(c.req.url).origin));
  })
  .put("/", async (c) => {
    const input = await readJson(c, UpdateTenantBody);
    const expected = expectedVersion(c, input.version);
    const { tenantId } = c.get("auth");
    const origin = new URL(c.req.url).origin;
    const apiKeyEnc = input.cloudonixApiKey ? await encryptSecret(input.cloudonixApiKey, c.env.ENCRYPTION_KEY) : null;
    const row = await commitChange(c, { entity: "tenant", action: "updated" }, async (tx, audit) => {
      // The fallback's agent or group is locked before the tenant row: every writer takes
      // entity locks before tenant locks, so two changes never wait on each other in a cycle.
      if (input.defaultFallback !== undefined) await assertFallbackExists(tx, tenantId, input.defaultFallback, "defaultFallback.id");
      const current = await findTenant(tx, tenantId, { forUpdate: true });
      if (!current) throw notFound("Tenant");
      assertVersion("tenant settings", expected, current.version);
      const changes: Partial<typeof tenants.$inferInsert> = {};
      if (input.name !== undefined) changes.name = input.name;
      if (input.timezone !== undefined) changes.timezone = input.timezone;
      if (input.cloudonixDomain !== undefined) changes.cloudonixDomain = input.cloudonixDomain;
      if (input.cloudonixApiKey !== undefined) changes.cloudonixApiKeyEnc = apiKeyEnc;
      if (input.retentionDays !== undefined) changes.retentionDays = input.retentionDays;
      if (input.outboundCallerPatterns !== undefined) changes.outboundCallerPatterns = input.outboundCallerPatterns;
      if (input.defaultFallback !== undefined) changes.defaultFallback = input.defaultFallback;
      if (Object.keys(changes).length === 0) return current;
      await uniqueOr409(
        () => updateTenant(tx, tenantId, changes),
        "tenants_cloudonix_domain_uq",
        `The Cloudonix domain ${input.cloudonixDomain} already belongs to another tenant; each domain routes to one tenant`,
        { field: "cloudonixDomain" },
      );
      const updated = (await findTenant(tx, tenantId))!;
      audit.record(tenantId, toTenantDto(current, origin), toTenantDto(updated, origin));
      return updated;
    });
    c.header("ETag", etag(row.version));
    return c.json(toTenantDto(row, origin));
  })
  .post("/request-key", async (c) => {
    const { tenantId } = c.get("auth");
    const { graceSeconds } = await readOptionalJson(c, RotateRequestKeyBody);
    const requestKey = newRequestKey();
    const requestKeyHash = await hashRequestKey(requestKey);
    const rotatedAt = new Date();
    let previousKeyValidUntil: Date | null = null;
    await commitChange(c, { entity: "tenant", action: "updated" }, async (tx, audit) => {
      const current = await findTenant(tx, tenantId, { forUpdate: true });
      if (!current) throw notFound("Tenant");
      previousKeyValidUntil = current.requestKeyHash && graceSeconds > 0 ? new Date(rotatedAt.getTime() + graceSeconds * 1000) : null;
      await updateTenant(tx, tenantId, {
        requestKeyHash,
        requestKeyHint: requestKey.slice(-4),
        requestKeyRotatedAt: rotatedAt,
        previousRequestKeyHash: previousKeyValidUntil ? current.requestKeyHash : null,
        previousRequestKeyExpiresAt: previousKeyValidUntil,
      });
      audit.record(tenantId, { requestKeyHint: current.requestKeyHint }, { requestKeyHint: requestKey.slice(-4), previousKeyValidUntil }, "tenant.request_key_rotated");
    });
    c.header("Cache-Control", "no-store");
    return c.json({ requestKey, hint: requestKey.slice(-4), rotatedAt: rotatedAt.toISOString(), previousKeyValidUntil: (previousKeyValidUntil as Date | null)?.toISOString() ?? null });
  });
