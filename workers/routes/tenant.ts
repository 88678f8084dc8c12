import { Hono, type Context } from "hono";
import type { AppEnv } from "../app-env";
import { assertFallbackExists } from "../db/repos/references";
import { callbackTokenColumns, findTenant, updateTenant, type TenantRow } from "../db/repos/tenants";
import type { tenants } from "../db/schema";
import { adminWrites, requireAuth } from "../middleware/auth";
import { apiDocs } from "../openapi/registry";
import { commitChange } from "../lib/change";
import { assertVersion, etag, expectedVersion } from "../lib/concurrency";
import { uniqueOr409 } from "../lib/db-conflicts";
import { notFound } from "../lib/errors";
import { decryptSecret, encryptSecret, hashRequestKey, newCallbackToken, newRequestKey } from "../lib/secrets";
import { readOptionalJson } from "../lib/optional-json";
import { readJson } from "../lib/validation";
import { CallbackTokenResponse, RequestKeyResponse, RotateCallbackTokenBody, RotateRequestKeyBody, TenantSchema, UpdateTenantBody, type TenantDto } from "../schemas/tenant";

const docs = apiDocs("/api/tenant", "Tenant");
docs.get("/", "The tenant's settings", { response: TenantSchema });
docs.put("/", "Change the tenant's settings (only the fields sent)", { auth: "admin", body: UpdateTenantBody, response: TenantSchema, errors: [404, 409] });
docs.post("/request-key", "Generate a new webhook request key (shown once; the old key keeps working for graceSeconds, default 1 hour)", { auth: "admin", body: RotateRequestKeyBody, response: RequestKeyResponse });
docs.post("/callback-token", "Generate new callback URLs for session updates and CDRs (the old ones keep working for graceSeconds, default 1 hour)", { auth: "admin", body: RotateCallbackTokenBody, response: CallbackTokenResponse });

/** The tenant's callback URLs: the token in the path is what authenticates Cloudonix's callbacks. */
export function callbackUrls(origin: string, token: string) {
  const base = `${origin}/api/webhooks/c/${encodeURIComponent(token)}`;
  return { sessionUpdate: `${base}/session-update`, cdr: `${base}/cdr` };
}

/**
 * The callback token, for admins only (read-only users never see it). A token that no longer
 * decrypts (ENCRYPTION_KEY changed) shows no URLs rather than failing the settings page; a
 * rotation makes new ones.
 */
async function callbackTokenFor(c: Context<AppEnv>, row: TenantRow): Promise<string | null> {
  if (c.get("auth").role !== "admin" || !row.callbackTokenEnc) return null;
  try {
    return await decryptSecret(row.callbackTokenEnc, c.env.ENCRYPTION_KEY);
  } catch (err) {
    console.warn(`[${c.get("requestId")}] tenant ${row.id}: the callback token does not decrypt (${(err as Error).message}); rotate it`);
    return null;
  }
}

/** `callbackToken` only for admins; without it (audit entries, read-only users) callbackUrls is null. */
export function toTenantDto(row: TenantRow, origin: string, callbackToken: string | null = null): TenantDto {
  return {
    id: row.id,
    name: row.name,
    timezone: row.timezone,
    cloudonixDomain: row.cloudonixDomain,
    hasCloudonixApiKey: row.cloudonixApiKeyEnc !== null,
    requestKey: row.requestKeyHash ? { hint: row.requestKeyHint ?? "", rotatedAt: row.requestKeyRotatedAt?.toISOString() ?? null } : null,
    webhookUrl: `${origin}/api/webhooks/voice-application`,
    hasCallbackToken: row.callbackTokenHash !== null,
    callbackTokenRotatedAt: row.callbackTokenRotatedAt?.toISOString() ?? null,
    callbackUrls: callbackToken ? callbackUrls(origin, callbackToken) : null,
    defaultFallback: row.defaultFallback ?? null,
    retentionDays: row.retentionDays,
    outboundCallerPatterns: row.outboundCallerPatterns,
    routingNumberHeader: row.routingNumberHeader ?? null,
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
    c.header("Cache-Control", "no-store");
    return c.json(toTenantDto(row, new URL(c.req.url).origin, await callbackTokenFor(c, row)));
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
      if (input.routingNumberHeader !== undefined) changes.routingNumberHeader = input.routingNumberHeader;
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
    c.header("Cache-Control", "no-store");
    return c.json(toTenantDto(row, origin, await callbackTokenFor(c, row)));
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
  })
  .post("/callback-token", async (c) => {
    const { tenantId } = c.get("auth");
    const { graceSeconds } = await readOptionalJson(c, RotateCallbackTokenBody);
    const token = newCallbackToken();
    const rotatedAt = new Date();
    const columns = await callbackTokenColumns(token, c.env.ENCRYPTION_KEY, rotatedAt);
    let previousTokenValidUntil: Date | null = null;
    // commitChange bumps the configuration version: the snapshot that checks callbacks is republished.
    await commitChange(c, { entity: "tenant", action: "updated" }, async (tx, audit) => {
      const current = await findTenant(tx, tenantId, { forUpdate: true });
      if (!current) throw notFound("Tenant");
      previousTokenValidUntil = current.callbackTokenHash && graceSeconds > 0 ? new Date(rotatedAt.getTime() + graceSeconds * 1000) : null;
      await updateTenant(tx, tenantId, {
        ...columns,
        previousCallbackTokenHash: previousTokenValidUntil ? current.callbackTokenHash : null,
        previousCallbackTokenExpiresAt: previousTokenValidUntil,
      });
      // The token itself is never audited: only that it changed, and how long the old one lives.
      audit.record(tenantId, { callbackTokenRotatedAt: current.callbackTokenRotatedAt }, { callbackTokenRotatedAt: rotatedAt, previousUrlsValidUntil: previousTokenValidUntil }, "tenant.callback_token_rotated");
    });
    c.header("Cache-Control", "no-store");
    return c.json({
      callbackUrls: callbackUrls(new URL(c.req.url).origin, token),
      rotatedAt: rotatedAt.toISOString(),
      previousTokenValidUntil: (previousTokenValidUntil as Date | null)?.toISOString() ?? null,
    });
  });
