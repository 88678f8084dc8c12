import { and, eq, inArray, like, or, type SQL } from "drizzle-orm";
import type { Executor } from "../executor";
import { inboundRoutingRules } from "../schema";
import { ancestorPrefixPatterns, type InboundRuleRef } from "../../domain/rule-conflicts";
import { keysetQuery, pageOf, type PageRequest } from "../../lib/pagination";
import { likeEscape } from "../../schemas/common";

export type InboundRow = typeof inboundRoutingRules.$inferSelect;
export type NewInboundRow = typeof inboundRoutingRules.$inferInsert;

const SORT_COLUMNS = {
  pattern: inboundRoutingRules.pattern,
  priority: inboundRoutingRules.priority,
  name: inboundRoutingRules.name,
  createdAt: inboundRoutingRules.createdAt,
  updatedAt: inboundRoutingRules.updatedAt,
} as const;

export interface InboundFilters {
  q?: string | undefined;
  enabled?: boolean | undefined;
  matchType?: "exact" | "prefix" | undefined;
  targetType?: "agent" | "group" | undefined;
  targetId?: string | undefined;
}

export async function listInbound(db: Executor, tenantId: string, filters: InboundFilters, page: PageRequest & { sort: keyof typeof SORT_COLUMNS }) {
  const conditions: (SQL | undefined)[] = [eq(inboundRoutingRules.tenantId, tenantId)];
  if (filters.enabled !== undefined) conditions.push(eq(inboundRoutingRules.enabled, filters.enabled));
  if (filters.matchType) conditions.push(eq(inboundRoutingRules.matchType, filters.matchType));
  if (filters.targetType) conditions.push(eq(inboundRoutingRules.targetType, filters.targetType));
  if (filters.targetId) conditions.push(eq(inboundRoutingRules.targetId, filters.targetId));
  if (filters.q) {
    const digits = filters.q.replace(/[^0-9]/g, "");
    const byName = like(inboundRoutingRules.name, `%${likeEscape(filters.q)}%`);
    conditions.push(digits ? or(byName, like(inboundRoutingRules.pattern, `%${digits}%`)) : byName);
  }
  const query = keysetQuery(page, { sortColumn: SORT_COLUMNS[page.sort], idColumn: inboundRoutingRules.id });
  conditions.push(query.where);
  const rows = await db
    .select()
    .from(inboundRoutingRules)
    .where(and(...conditions))
    .orderBy(...query.orderBy)
    .limit(query.take);
  return pageOf(rows, page, (row) => ({ value: row[page.sort], id: row.id }));
}

export async function findInbound(db: Executor, tenantId: string, id: string, opts: { forUpdate?: boolean } = {}): Promise<InboundRow | null> {
  const query = db
    .select()
    .from(inboundRoutingRules)
    .where(and(eq(inboundRoutingRules.tenantId, tenantId), eq(inboundRoutingRules.id, id)))
    .limit(1);
  const [row] = opts.forUpdate ? await query.for("update") : await query;
  return row ?? null;
}

export async function insertInbound(db: Executor, row: NewInboundRow): Promise<void> {
  await db.insert(inboundRoutingRules).values(row);
}

export async function updateInbound(db: Executor, tenantId: string, id: string, changes: Partial<NewInboundRow>, version: number): Promise<void> {
  await db
    .update(inboundRoutingRules)
    .set({ ...changes, version: version + 1, updatedAt: new Date() })
    .where(and(eq(inboundRoutingRules.tenantId, tenantId), eq(inboundRoutingRules.id, id)));
}

export async function deleteInbound(db: Executor, tenantId: string, id: string): Promise<void> {
  await db.delete(inboundRoutingRules).where(and(eq(inboundRoutingRules.tenantId, tenantId), eq(inboundRoutingRules.id, id)));
}

const refColumns = {
  id: inboundRoutingRules.id,
  name: inboundRoutingRules.name,
  pattern: inboundRoutingRules.pattern,
  matchType: inboundRoutingRules.matchType,
  enabled: inboundRoutingRules.enabled,
  conditionKey: inboundRoutingRules.conditionKey,
  callType: inboundRoutingRules.callType,
};

/**
 * The rules a conflict check of `digits` needs (see domain/rule-conflicts.ts): its prefix
 * ancestors, and every rule under the broadest enabled one. Two indexed queries, whatever
 * the number of rules; the catch-all needs only its duplicate. Both lock what they read (the
 * rows and the index ranges between them) until the transaction ends, so two saves that
 * would together complete a cover neither sees alone run one after the other.
 */
export async function inboundConflictScope(db: Executor, tenantId: string, digits: string, excludeId?: string, callType: "inbound" | "api" = "inbound"): Promise<InboundRuleRef[]> {
  const tenant = eq(inboundRoutingRules.tenantId, tenantId);
  let scope = digits;
  if (digits !== "") {
    const ancestors = await db
      .select(refColumns)
      .from(inboundRoutingRules)
      .where(and(tenant, inArray(inboundRoutingRules.pattern, ancestorPrefixPatterns(digits))))
      .for("update");
    for (const rule of ancestors) {
      const ancestorDigits = rule.pattern.slice(0, -1);
      // Rules for API-originated calls and for inbound calls never compete for a call.
      if (rule.enabled && rule.id !== excludeId && rule.callType === callType && ancestorDigits.length < scope.length) scope = ancestorDigits;
    }
  }
  const rows =
    digits === ""
      ? await db
          .select(refColumns)
          .from(inboundRoutingRules)
          .where(and(tenant, eq(inboundRoutingRules.pattern, "*")))
          .for("update")
      : await db
          .select(refColumns)
          .from(inboundRoutingRules)
          .where(and(tenant, like(inboundRoutingRules.pattern, `${scope}%`)))
          .for("update");
  return rows.filter((row) => row.id !== excludeId && row.callType === callType);
}
