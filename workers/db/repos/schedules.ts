import { and, count, eq, inArray, like, sql, type SQL } from "drizzle-orm";
import type { Executor } from "../executor";
import { inboundRoutingRules, schedules, type FallbackTarget } from "../schema";
import { assertFallbackExists } from "./references";
import { keysetQuery, pageOf, type PageRequest } from "../../lib/pagination";
import { AppError } from "../../lib/errors";
import { likeEscape } from "../../schemas/common";

export type ScheduleRow = typeof schedules.$inferSelect;
export type NewScheduleRow = typeof schedules.$inferInsert;

const SORTS = { name: schedules.name, createdAt: schedules.createdAt, updatedAt: schedules.updatedAt } as const;

export async function listSchedules(db: Executor, tenantId: string, filters: { q?: string | undefined }, page: PageRequest & { sort: keyof typeof SORTS }) {
  const conditions: (SQL | undefined)[] = [eq(schedules.tenantId, tenantId)];
  if (filters.q) conditions.push(like(schedules.name, `%${likeEscape(filters.q)}%`));
  const query = keysetQuery(page, { sortColumn: SORTS[page.sort], idColumn: schedules.id });
  conditions.push(query.where);
  const rows = await db
    .select()
    .from(schedules)
    .where(and(...conditions))
    .orderBy(...query.orderBy)
    .limit(query.take);
  return pageOf(rows, page, (row) => ({ value: row[page.sort], id: row.id }));
}

/** id → how many of the tenant's inbound rules use the schedule (absent = none). */
export async function ruleCounts(db: Executor, tenantId: string, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: inboundRoutingRules.scheduleId, n: count() })
    .from(inboundRoutingRules)
    .where(and(eq(inboundRoutingRules.tenantId, tenantId), inArray(inboundRoutingRules.scheduleId, ids)))
    .groupBy(inboundRoutingRules.scheduleId);
  return new Map(rows.map((row) => [row.id!, Number(row.n)]));
}

export async function findSchedule(db: Executor, tenantId: string, id: string, opts: { forUpdate?: boolean } = {}): Promise<ScheduleRow | null> {
  const query = db
    .select()
    .from(schedules)
    .where(and(eq(schedules.tenantId, tenantId), eq(schedules.id, id)))
    .limit(1);
  const [row] = opts.forUpdate ? await query.for("update") : await query;
  return row ?? null;
}

/**
 * 404 unless `id` is one of the tenant's schedules. Locked until the transaction ends, so a
 * concurrent delete waits and then sees the rule that now uses it.
 */
export async function assertScheduleExists(db: Executor, tenantId: string, id: string, field: string): Promise<void> {
  const [row] = await db
    .select({ id: schedules.id })
    .from(schedules)
    .where(and(eq(schedules.tenantId, tenantId), eq(schedules.id, id)))
    .limit(1)
    .for("update");
  if (!row) throw new AppError(404, "NOT_FOUND", `Schedule ${id} not found in this tenant (${field})`, { field, missing: [id] });
}

/** 409 naming the inbound rules that still use the schedule. */
export async function assertScheduleUnused(db: Executor, tenantId: string, id: string): Promise<void> {
  const rules = await db
    .select({ id: inboundRoutingRules.id, name: inboundRoutingRules.name, pattern: inboundRoutingRules.pattern })
    .from(inboundRoutingRules)
    .where(and(eq(inboundRoutingRules.tenantId, tenantId), eq(inboundRoutingRules.scheduleId, id)))
    .orderBy(inboundRoutingRules.pattern)
    .limit(100);
  if (rules.length === 0) return;
  const names = rules
    .slice(0, 10)
    .map((rule) => `"${rule.name || rule.pattern}" (${rule.id})`)
    .join(", ");
  throw new AppError(409, "IN_USE", `Cannot delete: the schedule is used by inbound rule${rules.length > 1 ? "s" : ""} ${names}${rules.length > 10 ? ", …" : ""}. Take it off those rules first.`, {
    usedBy: rules.map((rule) => ({ ruleId: rule.id, name: rule.name, pattern: rule.pattern })),
  });
}

export async function insertSchedule(db: Executor, row: NewScheduleRow): Promise<void> {
  await db.insert(schedules).values(row);
}

export async function updateSchedule(db: Executor, tenantId: string, id: string, changes: Partial<NewScheduleRow>): Promise<void> {
  await db
    .update(schedules)
    .set({ ...changes, version: sql`${schedules.version} + 1`, updatedAt: new Date() })
    .where(and(eq(schedules.tenantId, tenantId), eq(schedules.id, id)));
}

export async function deleteSchedule(db: Executor, tenantId: string, id: string): Promise<void> {
  await db.delete(schedules).where(and(eq(schedules.tenantId, tenantId), eq(schedules.id, id)));
}

/** A rule's schedule and closed target must be the tenant's; both stay locked until the save commits. */
export async function assertScheduleRefs(db: Executor, tenantId: string, input: { scheduleId?: string | null | undefined; closedTarget?: FallbackTarget | null | undefined }): Promise<void> {
  if (input.scheduleId) await assertScheduleExists(db, tenantId, input.scheduleId, "scheduleId");
  if (input.closedTarget) await assertFallbackExists(db, tenantId, input.closedTarget, "closedTarget.id");
}
