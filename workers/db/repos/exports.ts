import { and, eq, inArray, lt, or, sql } from "drizzle-orm";
import type { Executor } from "../executor";
import { affectedRows } from "../executor";
import { exportsTable } from "../schema";

export type ExportRow = typeof exportsTable.$inferSelect;
export type NewExportRow = typeof exportsTable.$inferInsert;

export async function insertExport(db: Executor, row: NewExportRow): Promise<void> {
  await db.insert(exportsTable).values(row);
}

export async function findExport(db: Executor, tenantId: string, id: string): Promise<ExportRow | null> {
  const [row] = await db
    .select()
    .from(exportsTable)
    .where(and(eq(exportsTable.tenantId, tenantId), eq(exportsTable.id, id)))
    .limit(1);
  return row ?? null;
}

/** Jobs of a tenant still queued, or running with a live lease. */
export async function activeExportCount(db: Executor, tenantId: string, staleBefore: Date): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`COUNT(*)` })
    .from(exportsTable)
    .where(and(eq(exportsTable.tenantId, tenantId), or(eq(exportsTable.status, "queued"), and(eq(exportsTable.status, "running"), sql`${exportsTable.updatedAt} >= ${staleBefore}`))));
  return Number(row?.n ?? 0);
}

/**
 * Takes the job for this worker: a queued job, or a running one whose lease (updated_at) went
 * stale because the worker running it died. false when another worker holds it.
 */
export async function claimExport(db: Executor, id: string, staleBefore: Date, now: Date): Promise<boolean> {
  const result = await db
    .update(exportsTable)
    .set({ status: "running", attempts: sql`${exportsTable.attempts} + 1`, updatedAt: now })
    .where(and(eq(exportsTable.id, id), or(eq(exportsTable.status, "queued"), and(eq(exportsTable.status, "running"), lt(exportsTable.updatedAt, staleBefore)))));
  return affectedRows(result) === 1;
}

export async function updateExport(db: Executor, id: string, changes: Partial<NewExportRow>): Promise<void> {
  await db.update(exportsTable).set(changes).where(eq(exportsTable.id, id));
}

/** Done jobs past their expiry, and failed or stale jobs that still hold an upload or a file. */
export async function exportsToClean(db: Executor, now: Date, staleBefore: Date, limit: number): Promise<ExportRow[]> {
  return db
    .select()
    .from(exportsTable)
    .where(or(and(eq(exportsTable.status, "done"), lt(exportsTable.expiresAt, now)), and(inArray(exportsTable.status, ["queued", "running"]), lt(exportsTable.updatedAt, staleBefore))))
    .limit(limit);
}

/** Deletes (a batch of) expired and failed jobs last touched before `before`; returns how many. */
export async function deleteFinishedExports(db: Executor, before: Date, limit: number): Promise<number> {
  const result = await db.execute(sql`DELETE FROM ${exportsTable} WHERE ${exportsTable.status} IN ('expired', 'failed') AND ${exportsTable.updatedAt} < ${before} LIMIT ${limit}`);
  return affectedRows(result);
}
