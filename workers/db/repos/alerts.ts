import { and, asc, eq, inArray, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import { affectedRows, type Executor } from "../executor";
import { alertRules, alerts } from "../schema";
import { keysetQuery, pageOf, type PageRequest } from "../../lib/pagination";

export type AlertRuleRow = typeof alertRules.$inferSelect;
export type NewAlertRuleRow = typeof alertRules.$inferInsert;
export type AlertRow = typeof alerts.$inferSelect;

// --- rules ----------------------------------------------------------------------------------

export async function listAlertRules(db: Executor, tenantId: string): Promise<AlertRuleRow[]> {
  return db.select().from(alertRules).where(eq(alertRules.tenantId, tenantId)).orderBy(asc(alertRules.createdAt), asc(alertRules.id));
}

export async function countAlertRules(db: Executor, tenantId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`COUNT(*)` }).from(alertRules).where(eq(alertRules.tenantId, tenantId));
  return Number(row?.n ?? 0);
}

export async function findAlertRule(db: Executor, tenantId: string, id: string, opts: { forUpdate?: boolean } = {}): Promise<AlertRuleRow | null> {
  const query = db
    .select()
    .from(alertRules)
    .where(and(eq(alertRules.tenantId, tenantId), eq(alertRules.id, id)))
    .limit(1);
  const [row] = opts.forUpdate ? await query.for("update") : await query;
  return row ?? null;
}

export async function alertRuleById(db: Executor, id: string): Promise<AlertRuleRow | null> {
  const [row] = await db.select().from(alertRules).where(eq(alertRules.id, id)).limit(1);
  return row ?? null;
}

/** The enabled rules of some kinds, of some tenants (every tenant when `tenantIds` is undefined). */
export async function enabledRulesOfKinds(db: Executor, kinds: string[], tenantIds?: string[]): Promise<AlertRuleRow[]> {
  if (tenantIds && !tenantIds.length) return [];
  return db
    .select()
    .from(alertRules)
    .where(and(eq(alertRules.enabled, true), inArray(alertRules.kind, kinds), tenantIds ? inArray(alertRules.tenantId, tenantIds) : undefined));
}

export async function insertAlertRule(db: Executor, row: NewAlertRuleRow): Promise<void> {
  await db.insert(alertRules).values(row);
}

export async function updateAlertRule(db: Executor, tenantId: string, id: string, changes: Partial<NewAlertRuleRow>): Promise<void> {
  await db
    .update(alertRules)
    .set({ ...changes, version: sql`${alertRules.version} + 1`, updatedAt: new Date() })
    .where(and(eq(alertRules.tenantId, tenantId), eq(alertRules.id, id)));
}

export async function deleteAlertRule(db: Executor, tenantId: string, id: string): Promise<void> {
  await db.delete(alertRules).where(and(eq(alertRules.tenantId, tenantId), eq(alertRules.id, id)));
}

// --- alerts ---------------------------------------------------------------------------------

export async function findOpenAlert(db: Executor, tenantId: string, openKey: string): Promise<AlertRow | null> {
  const [row] = await db
    .select()
    .from(alerts)
    .where(and(eq(alerts.tenantId, tenantId), eq(alerts.openKey, openKey)))
    .limit(1);
  return row ?? null;
}

export async function insertAlert(db: Executor, row: typeof alerts.$inferInsert): Promise<void> {
  await db.insert(alerts).values(row);
}

/** Notes a repeat notification, unless another evaluator noted one since `seen` (then false). */
export async function markRenotified(db: Executor, id: string, seen: Date | null, at: Date, message: string, details: Record<string, unknown> | null): Promise<boolean> {
  const result = await db
    .update(alerts)
    .set({ lastNotifiedAt: at, notifications: sql`${alerts.notifications} + 1`, message, details, updatedAt: at })
    .where(and(eq(alerts.id, id), eq(alerts.status, "open"), seen ? eq(alerts.lastNotifiedAt, seen) : isNull(alerts.lastNotifiedAt)));
  return affectedRows(result) > 0;
}

/** Resolves an open alert; false when it was not open any more. */
export async function markResolved(db: Executor, id: string, at: Date): Promise<boolean> {
  const result = await db
    .update(alerts)
    .set({ status: "resolved", openKey: null, resolvedAt: at, updatedAt: at })
    .where(and(eq(alerts.id, id), eq(alerts.status, "open")));
  return affectedRows(result) > 0;
}

/** The open alerts of a tenant about one subject (an endpoint, an agent), whichever rule opened them. */
export async function openAlertsAbout(db: Executor, tenantId: string, subjectType: string, subjectId: string): Promise<AlertRow[]> {
  return db
    .select()
    .from(alerts)
    .where(and(eq(alerts.tenantId, tenantId), eq(alerts.status, "open"), eq(alerts.subjectType, subjectType), eq(alerts.subjectId, subjectId)));
}

export async function openAlertsOfRule(db: Executor, tenantId: string, ruleId: string): Promise<AlertRow[]> {
  return db
    .select()
    .from(alerts)
    .where(and(eq(alerts.tenantId, tenantId), eq(alerts.status, "open"), eq(alerts.ruleId, ruleId)));
}

/** Every open alert of these rules (the cron resolves what no longer holds). */
export async function openAlertsOfRules(db: Executor, ruleIds: string[]): Promise<AlertRow[]> {
  if (!ruleIds.length) return [];
  return db
    .select()
    .from(alerts)
    .where(and(eq(alerts.status, "open"), inArray(alerts.ruleId, ruleIds)));
}

export async function listAlerts(db: Executor, tenantId: string, filters: { status?: "open" | "resolved" | undefined }, page: PageRequest) {
  const conditions: (SQL | undefined)[] = [eq(alerts.tenantId, tenantId)];
  if (filters.status) conditions.push(eq(alerts.status, filters.status));
  const query = keysetQuery(page, { sortColumn: alerts.openedAt, idColumn: alerts.id });
  conditions.push(query.where);
  const rows = await db
    .select()
    .from(alerts)
    .where(and(...conditions))
    .orderBy(...query.orderBy)
    .limit(query.take);
  return pageOf(rows, page, (row) => ({ value: row.openedAt, id: row.id }));
}

/** The names of these rules, for the alerts list (a deleted rule has none). */
export async function ruleNames(db: Executor, tenantId: string, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db
    .select({ id: alertRules.id, name: alertRules.name })
    .from(alertRules)
    .where(and(eq(alertRules.tenantId, tenantId), or(...ids.map((id) => eq(alertRules.id, id)))));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Resolved alerts older than `before` go (at most `limit` a run); open ones stay whatever their age. */
export async function purgeResolvedAlerts(db: Executor, before: Date, limit: number): Promise<number> {
  const old = await db
    .select({ id: alerts.id })
    .from(alerts)
    .where(and(eq(alerts.status, "resolved"), lt(alerts.resolvedAt, before)))
    .limit(limit);
  if (!old.length) return 0;
  await db.delete(alerts).where(
    inArray(
      alerts.id,
      old.map((r) => r.id),
    ),
  );
  return old.length;
}
