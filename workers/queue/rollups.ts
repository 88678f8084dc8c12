import { and, eq, inArray, isNotNull, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import type { Executor } from "../db/executor";
import { callRecords, callRollupSeries, callRollups, callRollupsDaily } from "../db/schema";
import { MEASURES, SERIES_MEASURE_COUNT, dailyCells, mergeCells, measureColumn, rollupDelta, rollupSignature, seriesCells, type Cell } from "../analytics/rollup-math";
import { TERMINAL_STATES } from "../domain/call-machine";

export interface CallRef {
  tenantId: string;
  callId: string;
}

const increment = (measures: readonly string[]) => Object.fromEntries(measures.map((m) => [m, sql.raw(`${measureColumn(m)} + VALUES(${measureColumn(m)})`)])) as Record<string, SQL>;
const INCREMENT = increment(MEASURES);
const SERIES_MEASURES = MEASURES.slice(0, SERIES_MEASURE_COUNT);
const INCREMENT_SERIES = increment(SERIES_MEASURES);

/**
 * Brings call_rollups in line with the current records of `calls`: each record's contribution
 * is recomputed from its row and the rollups move by the difference from what its rollup_sig
 * says was counted before. The rows are locked for the transaction, so concurrent consumers
 * (or a redelivered batch) serialise on them and never count a call twice.
 */
export async function applyRollups(db: Db, calls: CallRef[]): Promise<number> {
  if (!calls.length) return 0;
  return db.transaction(async (tx) => {
    const rows = await tx
      .select({
        id: callRecords.id,
        tenantId: callRecords.tenantId,
        startedAt: callRecords.startedAt,
        direction: callRecords.direction,
        status: callRecords.status,
        groupId: callRecords.groupId,
        agentId: callRecords.agentId,
        answeredAt: callRecords.answeredAt,
        durationSec: callRecords.durationSec,
        attempts: callRecords.attempts,
        rollupSig: callRecords.rollupSig,
      })
      .from(callRecords)
      .where(and(or(...calls.map((c) => and(eq(callRecords.tenantId, c.tenantId), eq(callRecords.callId, c.callId)))), or(inArray(callRecords.status, [...TERMINAL_STATES]), isNotNull(callRecords.rollupSig))))
      .orderBy(callRecords.id)
      .for("update");
    const changes = rows.map((row) => ({ id: row.id, tenantId: row.tenantId, before: row.rollupSig, after: rollupSignature(row) })).filter((change) => change.before !== change.after);
    if (!changes.length) return 0;
    const byTenant = new Map<string, Cell[][]>();
    for (const change of changes) {
      const list = byTenant.get(change.tenantId) ?? [];
      list.push(rollupDelta(change.before, change.after));
      byTenant.set(change.tenantId, list);
    }
    for (const [tenantId, deltas] of [...byTenant].sort(([a], [b]) => (a < b ? -1 : 1))) {
      await upsertCells(tx, tenantId, mergeCells(deltas));
    }
    const cases = sql.join(
      changes.map((c) => sql`WHEN ${c.id} THEN ${c.after}`),
      sql` `,
    );
    await tx
      .update(callRecords)
      .set({ rollupSig: sql`CASE ${callRecords.id} ${cases} END` })
      .where(
        inArray(
          callRecords.id,
          changes.map((c) => c.id),
        ),
      );
    return changes.length;
  });
}

/**
 * Adds each cell's values onto its rows in the three rollup tables (15-minute, daily, series),
 * created at zero when missing. Cells arrive sorted, so concurrent writers lock rows in one order.
 */
export async function upsertCells(tx: Executor, tenantId: string, cells: Cell[]): Promise<void> {
  if (!cells.length) return;
  const measures = (cell: Cell, names: readonly string[]) => Object.fromEntries(names.map((m, j) => [m, cell.values[j]!]));
  for (let i = 0; i < cells.length; i += 500) {
    const chunk = cells.slice(i, i + 500);
    await tx
      .insert(callRollups)
      .values(chunk.map((cell) => ({ tenantId, slotStart: new Date(cell.slot), direction: cell.direction, groupId: cell.groupId, agentId: cell.agentId, ...measures(cell, MEASURES) })))
      .onDuplicateKeyUpdate({ set: INCREMENT });
  }
  const daily = dailyCells(cells);
  for (let i = 0; i < daily.length; i += 500) {
    await tx
      .insert(callRollupsDaily)
      .values(daily.slice(i, i + 500).map((cell) => ({ tenantId, dayStart: new Date(cell.slot), direction: cell.direction, groupId: cell.groupId, agentId: cell.agentId, ...measures(cell, MEASURES) })))
      .onDuplicateKeyUpdate({ set: INCREMENT });
  }
  const series = seriesCells(cells);
  for (let i = 0; i < series.length; i += 500) {
    await tx
      .insert(callRollupSeries)
      .values(series.slice(i, i + 500).map((cell) => ({ tenantId, slotStart: new Date(cell.slot), direction: cell.direction, ...measures(cell, SERIES_MEASURES) })))
      .onDuplicateKeyUpdate({ set: INCREMENT_SERIES });
  }
}
