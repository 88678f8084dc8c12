import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { countApiKeys, deleteApiKey, findApiKey, insertApiKey, listApiKeys, MAX_API_KEYS, revokeApiKey, type NewApiKeyRow } from "../db/repos/api-keys";
import { insertAudit } from "../db/repos/audit-log";
import { lockTenantConfig } from "../routing/config-changed";
import { requireAuth } from "../middleware/auth";
import { apiRoutes } from "../openapi/declare";
import { newApiKey, roleAtMost } from "../lib/api-keys";
import { actorLabel, auditContext } from "../lib/change";
import { AppError, forbidden, notFound } from "../lib/errors";
import { newId } from "../lib/ids";
import { log } from "../lib/log";
import { IdParams } from "../schemas/common";
import { ApiKeyList, ApiKeySchema, CreateApiKeyBody, CreatedApiKey, toApiKeyDto } from "../schemas/api-keys";

const route = apiRoutes("API keys", { auth: "admin" });

/*
 * Tenant API keys (lib/api-keys.ts): admins only, reading included, since the list says which
 * systems hold the tenant's keys. A key is shown once, in the answer that creates it. Keys are
 * not routing configuration: their changes are audited but bump no configuration version.
 */
export const apiKeysRoutes = new Hono<AppEnv>()
  .use(requireAuth, async (c, next) => {
    if (c.get("auth").role !== "admin") throw forbidden("Only an admin of this tenant may see or manage API keys");
    await next();
  })
  .get("/", route("List the tenant's API keys (never the keys themselves)", { response: ApiKeyList }), async (c) => {
    const rows = await listApiKeys(await c.get("services").db(), c.get("auth").tenantId);
    const now = new Date();
    return c.json({ items: rows.map((row) => toApiKeyDto(row, now)) });
  })
  .post(
    "/",
    route("Create an API key: the answer carries the key, shown this once", {
      body: CreateApiKeyBody,
      response: CreatedApiKey,
      status: 201,
      errors: [409],
      description: `At most ${MAX_API_KEYS} keys per tenant, revoked ones included. A request made with an API key may create keys of its own role or below.`,
    }),
    async (c) => {
      const input = c.req.valid("json");
      const auth = c.get("auth");
      if (!roleAtMost(input.role, auth.role)) throw forbidden("A key cannot create a key with a higher role than its own");
      const secret = await newApiKey();
      const row: NewApiKeyRow = {
        id: newId("key"),
        tenantId: auth.tenantId,
        name: input.name,
        role: input.role,
        keyHash: secret.hash,
        keyHint: secret.hint,
        createdByUserId: auth.kind === "user" ? auth.userId : null,
        createdByApiKeyId: auth.kind === "api_key" ? auth.keyId : null,
        createdByName: actorLabel(auth),
        expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
      };
      const db = await c.get("services").db();
      const created = await db.transaction(async (tx) => {
        // The tenant row's lock counts and inserts one request at a time: the cap holds.
        await lockTenantConfig(tx, auth.tenantId);
        if ((await countApiKeys(tx, auth.tenantId)) >= MAX_API_KEYS) {
          throw new AppError(409, "TOO_MANY_API_KEYS", `This tenant has ${MAX_API_KEYS} API keys; delete revoked or unused ones first`, { max: MAX_API_KEYS });
        }
        await insertApiKey(tx, row);
        const stored = (await findApiKey(tx, auth.tenantId, row.id!))!;
        await insertAudit(tx, auditContext(c), [{ action: "api_key.created", entityType: "api_key", entityId: stored.id, before: null, after: toApiKeyDto(stored) }]);
        return stored;
      });
      log.info("api_key.created", { keyId: created.id, role: created.role, hint: created.keyHint });
      c.header("Location", `/api/api-keys/${created.id}`);
      return c.json({ ...toApiKeyDto(created), key: secret.key }, 201);
    },
  )
  .get("/:id", route("Get an API key (not the key itself)", { params: IdParams, response: ApiKeySchema }), async (c) => {
    const row = await findApiKey(await c.get("services").db(), c.get("auth").tenantId, c.req.param("id"));
    if (!row) throw notFound("API key");
    return c.json(toApiKeyDto(row));
  })
  .post("/:id/revoke", route("Revoke an API key: it fails from the very next request (revoking a revoked key changes nothing)", { params: IdParams, response: ApiKeySchema }), async (c) => {
    const { tenantId } = c.get("auth");
    const id = c.req.param("id");
    const db = await c.get("services").db();
    const row = await db.transaction(async (tx) => {
      const before = await findApiKey(tx, tenantId, id, { forUpdate: true });
      if (!before) throw notFound("API key");
      if (!(await revokeApiKey(tx, tenantId, id))) return before;
      const after = (await findApiKey(tx, tenantId, id))!;
      await insertAudit(tx, auditContext(c), [{ action: "api_key.revoked", entityType: "api_key", entityId: id, before: toApiKeyDto(before), after: toApiKeyDto(after) }]);
      return after;
    });
    return c.json(toApiKeyDto(row));
  })
  .delete("/:id", route("Delete an API key (revoked or not): it fails from the very next request and leaves the list", { params: IdParams }), async (c) => {
    const { tenantId } = c.get("auth");
    const id = c.req.param("id");
    const db = await c.get("services").db();
    await db.transaction(async (tx) => {
      const before = await findApiKey(tx, tenantId, id, { forUpdate: true });
      if (!before) throw notFound("API key");
      await deleteApiKey(tx, tenantId, id);
      await insertAudit(tx, auditContext(c), [{ action: "api_key.deleted", entityType: "api_key", entityId: id, before: toApiKeyDto(before), after: null }]);
    });
    return c.body(null, 204);
  });
