import { and, asc, eq, gt, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { affectedRows } from "../db/executor";
import { callEvents, callRecords, tenants } from "../db/schema";
import { floorDay } from "../analytics/slots";

/*
 * Retention: each tenant's call records (with their events), rollups and webhook deliveries
 * older than its retention_days go, a bounded batch at a time, within a budget per run; what
 * a run leaves, the next hourly run continues. The cut-off is aligned to a UTC day (the
 * coarsest rollup), so every rollup row and the records it sums always go together.
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
}

export interface RetentionResult {
  tenants: number;
  records: number;
  events: number;
  rollups: number;
  deliveries: number;
  /** false when the budget ran out before everything due was deleted. */
  complete: boolean;
}

export const retentionCutoff = (now: number, days: number) => floorDay(now - days * DAY);

export async function runRetention(db: Db, options: RetentionOptions = {}): Promise<RetentionResult> {
  const now = options.now ?? Date.now();
  const batch = options.batchRows ?? 2_000;
  const maxRows = options.maxRows ?? 200_000;
  const deadline = Date.now() + (options.budgetMs ?? 25_000);
  const result: RetentionResult = { tenants: 0, records: 0, events: 0, rollups: 0, deliveries: 0, complete: true };
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

  let after = "";
  for (let page = 0; page < 10_000; page++) {
    const list = await db
      .select({ id: tenants.id, days: tenants.retentionDays })
      .from(tenants)
      .where(and(gt(tenants.id, after), options.tenantIds ? inArray(tenants.id, options.tenantIds) : undefined))
      .orderBy(asc(tenants.id))
      .limit(200);
    for (const tenant of list) {
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
          const events = await tx.delete(callEvents).where(and(eq(callEvents.tenantId, tenant.id), inArray(callEvents.callId, rows.map((r) => r.callId))));
          const records = await tx.delete(callRecords).where(and(eq(callRecords.tenantId, tenant.id), inArray(callRecords.id, rows.map((r) => r.id))));
          return { events: affectedRows(events), records: affectedRows(records) };
        });
        result.events += deleted.events;
        result.records += deleted.records;
        return rows.length;
      });
      for (const [table, column] of [["call_rollups", "slot_start"], ["call_rollup_series", "slot_start"], ["call_rollups_daily", "day_start"]] as const) {
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
      if (!result.complete) return result;
    }
    if (list.length < 200) break;
    after = list[list.length - 1]!.id;
  }
  if (options.tenantIds) return result;
  await drain(async () => {
    const cutoff = new Date(now - UNKNOWN_TENANT_DAYS * DAY);
    const n = affectedRows(await db.execute(sql`DELETE FROM webhook_events WHERE tenant_id IS NULL AND received_at < ${cutoff} LIMIT ${batch}`));
    result.deliveries += n;
    return n;
  });
  return result;
}
