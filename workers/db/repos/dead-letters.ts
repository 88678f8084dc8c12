import { and, asc, count, eq, gt, gte, lt, type SQL } from "drizzle-orm";
import type { Executor } from "../executor";
import { affectedRows } from "../executor";
import { deadLetters } from "../schema";
import { keysetQuery, pageOf, type PageRequest } from "../../lib/pagination";
import type { DeadLetterFilters } from "../../schemas/dead-letters";

/*
 * Reads and resolutions of dead_letters for the delivery debugger, always by tenant: a letter
 * whose body named no tenant (tenant_id NULL) is never read or changed here.
 */

export type DeadLetterRow = typeof deadLetters.$inferSelect;

/** The list's columns: everything but the body. */
const listColumns = {
  id: deadLetters.id,
  queue: deadLetters.queue,
  messageId: deadLetters.messageId,
  kind: deadLetters.kind,
  callId: deadLetters.callId,
  error: deadLetters.error,
  attempts: deadLetters.attempts,
  status: deadLetters.status,
  bodyTruncated: deadLetters.bodyTruncated,
  receivedAt: deadLetters.receivedAt,
  replayedAt: deadLetters.replayedAt,
  resolvedAt: deadLetters.resolvedAt,
  resolvedBy: deadLetters.resolvedBy,
};
export type ListedDeadLetter = Omit<DeadLetterRow, "tenantId" | "body">;

export async function listDeadLetters(db: Executor, tenantId: string, filters: DeadLetterFilters, page: PageRequest) {
  const conditions: (SQL | undefined)[] = [eq(deadLetters.tenantId, tenantId)];
  if (filters.status) conditions.push(eq(deadLetters.status, filters.status));
  if (filters.kind) conditions.push(eq(deadLetters.kind, filters.kind));
  if (filters.queue) conditions.push(eq(deadLetters.queue, filters.queue));
  if (filters.callId) conditions.push(eq(deadLetters.callId, filters.callId));
  if (filters.since) conditions.push(gte(deadLetters.receivedAt, filters.since));
  if (filters.until) conditions.push(lt(deadLetters.receivedAt, filters.until));
  const query = keysetQuery(page, { sortColumn: deadLetters.receivedAt, idColumn: deadLetters.id });
  conditions.push(query.where);
  const rows: ListedDeadLetter[] = await db
    .select(listColumns)
    .from(deadLetters)
    .where(and(...conditions))
    .orderBy(...query.orderBy)
    .limit(query.take);
  return pageOf(rows, page, (row) => ({ value: row.receivedAt, id: row.id }));
}

export async function findDeadLetter(db: Executor, tenantId: string, id: number): Promise<DeadLetterRow | null> {
  const [row] = await db
    .select()
    .from(deadLetters)
    .where(and(eq(deadLetters.tenantId, tenantId), eq(deadLetters.id, id)))
    .limit(1);
  return row ?? null;
}

/** The tenant's parked letters after `afterId`, oldest first, bodies included. */
export async function parkedLetters(db: Executor, tenantId: string, afterId: number, limit: number): Promise<DeadLetterRow[]> {
  return db
    .select()
    .from(deadLetters)
    .where(and(eq(deadLetters.tenantId, tenantId), eq(deadLetters.status, "parked"), gt(deadLetters.id, afterId)))
    .orderBy(asc(deadLetters.id))
    .limit(limit);
}

export async function countParked(db: Executor, tenantId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(deadLetters)
    .where(and(eq(deadLetters.tenantId, tenantId), eq(deadLetters.status, "parked")));
  return row?.n ?? 0;
}

/**
 * Moves a parked letter to `status`; false when it was no longer parked (someone resolved it
 * first), so two admins acting at once resolve it, and audit it, once.
 */
export async function resolveLetter(db: Executor, tenantId: string, id: number, status: "replayed" | "discarded", by: string, at = new Date()): Promise<boolean> {
  const result = await db
    .update(deadLetters)
    .set({ status, resolvedAt: at, resolvedBy: by, ...(status === "replayed" ? { replayedAt: at } : {}) })
    .where(and(eq(deadLetters.tenantId, tenantId), eq(deadLetters.id, id), eq(deadLetters.status, "parked")));
  return affectedRows(result) === 1;
}
