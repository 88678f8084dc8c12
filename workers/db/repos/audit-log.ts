import { and, eq, gte, like, lt, or, type SQL } from "drizzle-orm";
import type { Executor } from "../executor";
import { auditLog } from "../schema";
import { redact, type AuditContext, type AuditEntry } from "../../lib/audit";
import { keysetQuery, pageOf, type PageRequest } from "../../lib/pagination";

export async function insertAudit(db: Executor, context: AuditContext, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const at = new Date();
  await db.insert(auditLog).values(
    entries.map((entry) => ({
      tenantId: context.tenantId,
      actorUserId: context.actor.userId,
      actorEmail: context.actor.email,
      actorApiKeyId: context.actor.apiKeyId ?? null,
      actorApiKeyName: context.actor.apiKeyName ?? null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      before: entry.before === undefined ? null : redact(entry.before),
      after: entry.after === undefined ? null : redact(entry.after),
      ip: context.ip,
      at,
    })),
  );
}

export interface AuditFilters {
  entityType?: string | undefined;
  entityId?: string | undefined;
  /** A user id, an email or an API key id. */
  actor?: string | undefined;
  /** Exact action ("voice_agent.deleted"), or a prefix ending in "." ("voice_agent."). */
  action?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

export async function listAudit(db: Executor, tenantId: string, filters: AuditFilters, page: PageRequest) {
  const conditions: (SQL | undefined)[] = [eq(auditLog.tenantId, tenantId)];
  if (filters.entityType) conditions.push(eq(auditLog.entityType, filters.entityType));
  if (filters.entityId) conditions.push(eq(auditLog.entityId, filters.entityId));
  if (filters.actor) conditions.push(or(eq(auditLog.actorUserId, filters.actor), eq(auditLog.actorEmail, filters.actor.toLowerCase()), eq(auditLog.actorApiKeyId, filters.actor)));
  if (filters.action) {
    conditions.push(filters.action.endsWith(".") ? like(auditLog.action, `${filters.action.replace(/[\\%_]/g, "\\$&")}%`) : eq(auditLog.action, filters.action));
  }
  if (filters.from) conditions.push(gte(auditLog.at, filters.from));
  if (filters.to) conditions.push(lt(auditLog.at, filters.to));
  const query = keysetQuery(page, { sortColumn: auditLog.id, idColumn: auditLog.id });
  conditions.push(query.where);
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(...conditions))
    .orderBy(...query.orderBy)
    .limit(query.take);
  return pageOf(rows, page, (row) => ({ value: row.id, id: row.id }));
}
