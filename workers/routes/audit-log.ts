import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { listAudit } from "../db/repos/audit-log";
import { requireAuth } from "../middleware/auth";
import { apiRoutes } from "../openapi/declare";
import { AuditEntrySchema, ListAuditQuery } from "../schemas/audit-log";
import { Page } from "../schemas/common";

const route = apiRoutes("Audit log");

export const auditLog = new Hono<AppEnv>().use(requireAuth).get("/", route("Who changed what and when (newest first by default)", { query: ListAuditQuery, response: Page(AuditEntrySchema) }), async (c) => {
  const { order, limit, cursor, ...filters } = c.req.valid("query");
  const db = await c.get("services").db();
  const page = await listAudit(db, c.get("auth").tenantId, filters, { sort: "id", order, limit, cursor, filters });
  return c.json({
    items: page.rows.map((row) => ({
      id: row.id,
      at: row.at.toISOString(),
      actor: { userId: row.actorUserId, email: row.actorEmail, apiKey: row.actorApiKeyId ? { id: row.actorApiKeyId, name: row.actorApiKeyName } : null },
      ip: row.ip,
      action: row.action,
      entityType: row.entityType,
      entityId: row.entityId,
      before: row.before ?? null,
      after: row.after ?? null,
    })),
    nextCursor: page.nextCursor,
  });
});
