import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { assertFallbackExists } from "../db/repos/references";
import { callbackTokenColumns, findTenant, updateTenant } from "../db/repos/tenants";
import type { tenants } from "../db/schema";
import { adminWrites, requireAuth } from "../middleware/auth";
import { apiRoutes } from "../openapi/declare";
import { commitChange } from "../lib/change";
import { etag } from "../lib/concurrency";
import { saveVersioned } from "../lib/versioned-change";
import { uniqueOr409 } from "../lib/db-conflicts";
import { notFound } from "../lib/errors";
import { encryptSecret, hashRequestKey, newCallbackToken, newRequestKey } from "../lib/secrets";
import { forgetDomainUuids } from "../routing/domain-uuid";
import { readDomainUuidFromCloudonix, uniqueDomainUuid } from "./tenant-domain-uuid";
import { callbackTokenFor, callbackUrls, toTenantDto } from "./tenant-dto";
import { CallbackTokenResponse, RequestKeyResponse, RotateCallbackTokenBody, RotateRequestKeyBody, TenantSchema, UpdateTenantBody } from "../schemas/tenant";

const route = apiRoutes("Tenant");

export const tenant = new Hono<AppEnv>()
  .use(requireAuth, adminWrites)
  .get("/", route("The tenant's settings", { response: TenantSchema }), async (c) => {
    const row = await findTenant(await c.get("services").db(), c.get("auth").tenantId);
    if (!row) throw notFound("Tenant");
    c.header("ETag", etag(row.version));
    c.header("Cache-Control", "no-store");
    return c.json(toTenantDto(row, new URL(c.req.url).origin, await callbackTokenFor(c, row)));
  })
  .put("/", route("Change the tenant's settings (only the fields sent)", { auth: "admin", body: UpdateTenantBody, response: TenantSchema, errors: [404, 409] }), async (c) => {
    const input = c.req.valid("json");
    const { tenantId } = c.get("auth");
    const origin = new URL(c.req.url).origin;
    const apiKeyEnc = input.cloudonixApiKey ? await encryptSecret(input.cloudonixApiKey, c.env.ENCRYPTION_KEY) : null;
    const row = await saveVersioned(c, {
      change: { entity: "tenant", action: "updated" },
      name: "tenant settings",
      notFoundAs: "Tenant",
      version: input.version,
      find: (tx, lock) => findTenant(tx, tenantId, lock),
      audited: (tenantRow) => toTenantDto(tenantRow, origin),
      // The fallback's agent or group is locked before the tenant row: every writer takes
      // entity locks before tenant locks, so two changes never wait on each other in a cycle.
      lockFirst: async (tx) => {
        if (input.defaultFallback !== undefined) await assertFallbackExists(tx, tenantId, input.defaultFallback, "defaultFallback.id");
      },
      apply: async (tx) => {
        const changes: Partial<typeof tenants.$inferInsert> = {};
        if (input.name !== undefined) changes.name = input.name;
        if (input.timezone !== undefined) changes.timezone = input.timezone;
        if (input.cloudonixDomain !== undefined) changes.cloudonixDomain = input.cloudonixDomain;
        if (input.cloudonixDomainUuid !== undefined) changes.cloudonixDomainUuid = input.cloudonixDomainUuid;
        if (input.cloudonixApiKey !== undefined) changes.cloudonixApiKeyEnc = apiKeyEnc;
        if (input.retentionDays !== undefined) changes.retentionDays = input.retentionDays;
        if (input.outboundCallerPatterns !== undefined) changes.outboundCallerPatterns = input.outboundCallerPatterns;
        if (input.defaultFallback !== undefined) changes.defaultFallback = input.defaultFallback;
        if (input.unmatchedAction !== undefined) changes.unmatchedAction = input.unmatchedAction;
        if (input.routingNumberHeader !== undefined) changes.routingNumberHeader = input.routingNumberHeader;
        if (Object.keys(changes).length === 0) return false;
        await uniqueOr409(
          () => uniqueDomainUuid(() => updateTenant(tx, tenantId, changes), input.cloudonixDomainUuid),
          "tenants_cloudonix_domain_uq",
          `The Cloudonix domain ${input.cloudonixDomain} already belongs to another tenant; each domain routes to one tenant`,
          { field: "cloudonixDomain" },
        );
        return true;
      },
    });
    if (input.cloudonixDomainUuid !== undefined) forgetDomainUuids();
    c.header("Cache-Control", "no-store");
    return c.json(toTenantDto(row, origin, await callbackTokenFor(c, row)));
  })
  .post("/cloudonix-domain-uuid", route("Read the Cloudonix domain's UUID from Cloudonix's API (with the tenant's stored API key) and keep it", { auth: "admin", response: TenantSchema, errors: [409, 422, 502] }), readDomainUuidFromCloudonix)
  .post("/request-key", route("Generate a new webhook request key (shown once; the old key keeps working for graceSeconds, default 1 hour)", { auth: "admin", body: RotateRequestKeyBody.optional(), response: RequestKeyResponse }), async (c) => {
    const { tenantId } = c.get("auth");
    const { graceSeconds } = c.req.valid("json");
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
  .post(
    "/callback-token",
    route("Generate new callback URLs for session updates and CDRs (the old ones keep working for graceSeconds, default 1 hour)", { auth: "admin", body: RotateCallbackTokenBody.optional(), response: CallbackTokenResponse }),
    async (c) => {
      const { tenantId } = c.get("auth");
      const { graceSeconds } = c.req.valid("json");
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
    },
  );
