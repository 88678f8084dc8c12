import { and, asc, eq, gt, inArray, lt, lte, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { affectedRows } from "../db/executor";
import { callEvents, callRecords, tenants } from "../db/schema";
import { loadCursor, saveCursor } from "./job-cursor";
import { floorDay } from "../analytics/slots";

/*
 * Retention: each tenant's call records (with their events), rollups and webhook deliveries
 * older than its retention_days go, a bounded batch at a time, within a budget per run. The
 * walk over tenants is a ring kept in job_cursors: a run starts after the tenant the last run
 * visited last, goes on past the end to the deliveries of no tenant and round to the first
 * tenant, and stops when its budget is spent or the ring is done. So however many tenants
 * there are, each is reached within (tenants + 1) runs, even when the ones before it always
 * have more to delete than one run's budget. The cut-off is aligned to a UTC day (the coarsest
 * rollup), so every rollup row and the records it sums always go together.
 */

const DAY = 86_400_000;
/** Deliveries that matched no tenant (refused webhooks) are kept this long. */
export const UNKNOWN_TENANT_DAYS = 30;

export interface RetentionOptions {
  now?: number;
  batchRows?: number;
  /** Stop after deleting this many rows in total (the next run continues). */
  maxRows?: number;
  /** Stop after this much wall time. */
  budgetMs?: number;
  /** Only these tenants (tests, or an operator re-running one tenant); default every tenant. */
  tenantIds?: string[];
  /**
   * The job_cursors row the walk resumes from and is saved to. Default "retention" over every
   * tenant; with tenantIds, none unless named (the walk then starts at the first tenant).
   */
  cursorName?: string | null;
  /** Tenants read per query. */
  pageSize?: number;
}

export const RETENTION_CURSOR = "retention";
/** The ring's last stop after every tenant: the deliveries that matched no tenant. */
export const NO_TENANT_STOP = "~no-tenant";

export interface RetentionResult {
  tenants: number;
  records: number;
  events: number;
  rollups: number;
  deliveries: number;
  /** false when the budget ran out before everything due was deleted. */
  complete: boolean;
  /** The stop the run started after ("" = the first tenant) and the last one it visited. */
  from: string;
  cursor: string;
  /** The walk went past the last tenant and round to the first. */
  wrapped: boolean;
}

export const retentionCutoff = (now: number, days: number) => floorDay(now - days * DAY);

export async function runRetention(db: Db, options: RetentionOptions = {}): Promise<RetentionResult> {
  const now = options.now ?? Date.now();
  const batch = options.batchRows ?? 2_000;
  const maxRows = options.maxRows ?? 200_000;
  const deadline = Date.now() + (options.budgetMs ?? 25_000);
  const pageSize = options.pageSize ?? 200;
  const result: RetentionResult = { tenants: 0, records: 0, events: 0, rollups: 0, deliveries: 0, complete: true, from: "", cursor: "", wrapped: false };
  const spent = () => result.records + result.events + result.rollups + result.deliveries;
  const outOfBudget = () => spent() >= maxRows || Date.now() > deadline;

  /** Runs `step` until it deletes less than a batch, or the budget is spent. */
  const drain = async (step: () => Promise<number>): Promise<void> => {
    for (let i = 0; i < 100_000; i++) {
      if (outOfBudget()) {
        result.complete = false;
        return;
      }
      if ((await step()) < batch) return;
    }
  };

  /** Deletes what is due for one tenant, as far as the budget goes. */
  const cleanTenant = async (tenant: { id: string; days: number }): Promise<void> => {
    const cutoff = new Date(retentionCutoff(now, Math.max(1, tenant.days)));
    result.tenants++;
    await drain(async () => {
      const rows = await db
        .select({ id: callRecords.id, callId: callRecords.callId })
        .from(callRecords)
        .where(and(eq(callRecords.tenantId, tenant.id), lt(callRecords.startedAt, cutoff)))
        .orderBy(asc(callRecords.startedAt))
        .limit(batch);
      if (!rows.length) return 0;
      // One transaction: a failure between the two must not leave records whose events are gone.
      const deleted = await db.transaction(async (tx) => {
        const events = await tx.delete(callEvents).where(
          and(
            eq(callEvents.tenantId, tenant.id),
            inArray(
              callEvents.callId,
              rows.map((r) => r.callId),
            ),
          ),
        );
        const records = await tx.delete(callRecords).where(
          and(
            eq(callRecords.tenantId, tenant.id),
            inArray(
              callRecords.id,
              rows.map((r) => r.id),
            ),
          ),
        );
        return { events: affectedRows(events), records: affectedRows(records) };
      });
      result.events += deleted.events;
      result.records += deleted.records;
      return rows.length;
    });
    for (const [table, column] of [
      ["call_rollups", "slot_start"],
      ["call_rollup_series", "slot_start"],
      ["call_rollups_daily", "day_start"],
    ] as const) {
      await drain(async () => {
        const n = affectedRows(await db.execute(sql`DELETE FROM ${sql.raw(table)} WHERE tenant_id = ${tenant.id} AND ${sql.raw(column)} < ${cutoff} LIMIT ${batch}`));
        result.rollups += n;
        return n;
      });
    }
    await drain(async () => {
      const n = affectedRows(await db.execute(sql`DELETE FROM webhook_events WHERE tenant_id = ${tenant.id} AND received_at < ${cutoff} LIMIT ${batch}`));
      result.deliveries += n;
      return n;
    });
  };

  const cleanNoTenant = () =>
    drain(async () => {
      const cutoff = new Date(now - UNKNOWN_TENANT_DAYS * DAY);
      const n = affectedRows(await db.execute(sql`DELETE FROM webhook_events WHERE tenant_id IS NULL AND received_at < ${cutoff} LIMIT ${batch}`));
      result.deliveries += n;
      return n;
    });

  /** Tenants after `after` (and up to `upTo`, when given), in id order, a page at a time. */
  async function* tenantsBetween(after: string, upTo: string | null) {
    for (let page = 0; page < 100_000; page++) {
      const list = await db
        .select({ id: tenants.id, days: tenants.retentionDays })
        .from(tenants)
        .where(and(gt(tenants.id, after), upTo === null ? undefined : lte(tenants.id, upTo), options.tenantIds ? inArray(tenants.id, options.tenantIds) : undefined))
        .orderBy(asc(tenants.id))
        .limit(pageSize);
      yield* list;
      if (list.length < pageSize) return;
      after = list[list.length - 1]!.id;
    }
  }

  const cursorName = options.cursorName === undefined ? (options.tenantIds ? null : RETENTION_CURSOR) : options.cursorName;
  const start = cursorName ? await loadCursor(db, cursorName) : "";
  const from = start === NO_TENANT_STOP ? "" : start;
  result.from = from;
  result.cursor = start;
  let visits = 0;
  /** The budget is spent before the next stop: the next run starts there. */
  const spentBefore = () => visits > 0 && outOfBudget();
  const incomplete = () => ({ ...result, complete: false });
  const visit = async (stop: string, work: () => Promise<void>): Promise<void> => {
    visits++;
    const save = async () => {
      result.cursor = stop;
      if (cursorName) await saveCursor(db, cursorName, stop);
    };
    try {
      await work();
    } catch (err) {
      // Moved past even when its work failed, so a tenant that keeps failing cannot hold up the rest.
      await save().catch(() => {});
      throw err;
    }
    await save();
  };

  // From the cursor to the end, then (over every tenant) the deliveries of no tenant, then from
  // the first tenant round to the cursor; a run always visits at least its first stop.
  for await (const tenant of tenantsBetween(from, null)) {
    if (spentBefore()) return incomplete();
    await visit(tenant.id, () => cleanTenant(tenant));
  }
  if (!options.tenantIds) {
    if (spentBefore()) return incomplete();
    await visit(NO_TENANT_STOP, cleanNoTenant);
  }
  if (from) {
    for await (const tenant of tenantsBetween("", from)) {
      if (spentBefore()) return incomplete();
      result.wrapped = true;
      await visit(tenant.id, () => cleanTenant(tenant));
    }
  }
  return result;
}
