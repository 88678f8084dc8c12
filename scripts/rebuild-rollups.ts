// Brings the analytics rollups in line with the call records, for records stored before the
// rollups existed (or after restoring a backup). Idempotent: it uses the queue consumer's own
// applyRollups, which counts each record's change once (call_records.rollup_sig).
//   tsx scripts/rebuild-rollups.ts [--database NAME] [--tenant ID]           count records not yet counted
//   tsx scripts/rebuild-rollups.ts --derive --tenant ID [--database NAME]    rebuild the daily and series
//                                                                            tables from call_rollups
import { parseArgs } from "node:util";
import { drizzle } from "drizzle-orm/mysql2";
import * as schema from "../workers/db/schema";
import { applyRollups } from "../workers/queue/rollups";
import { MEASURES, SERIES_MEASURE_COUNT, measureColumn } from "../workers/analytics/rollup-math";
import { connect, databaseUrl } from "./lib/db";

const { values } = parseArgs({ options: { database: { type: "string" }, tenant: { type: "string" }, derive: { type: "boolean", default: false } } });
const connection = await connect(databaseUrl(values.database));
const db = drizzle(connection, { schema, mode: "default" });
try {
  if (values.derive) {
    if (!values.tenant) throw new Error("--derive needs --tenant");
    const all = MEASURES.map(measureColumn);
    const series = all.slice(0, SERIES_MEASURE_COUNT);
    const sums = (cols: string[]) => cols.map((c) => `SUM(${c})`).join(", ");
    await connection.beginTransaction();
    await connection.query("DELETE FROM call_rollups_daily WHERE tenant_id = ?", [values.tenant]);
    await connection.query("DELETE FROM call_rollup_series WHERE tenant_id = ?", [values.tenant]);
    await connection.query(
      `INSERT INTO call_rollups_daily (tenant_id, day_start, direction, group_id, agent_id, ${all.join(", ")})
       SELECT tenant_id, CAST(DATE(slot_start) AS DATETIME), direction, group_id, agent_id, ${sums(all)} FROM call_rollups WHERE tenant_id = ? GROUP BY tenant_id, DATE(slot_start), direction, group_id, agent_id`,
      [values.tenant],
    );
    await connection.query(
      `INSERT INTO call_rollup_series (tenant_id, slot_start, direction, ${series.join(", ")})
       SELECT tenant_id, slot_start, direction, ${sums(series)} FROM call_rollups WHERE tenant_id = ? GROUP BY tenant_id, slot_start, direction`,
      [values.tenant],
    );
    await connection.commit();
    console.log(`[rollups] daily and series tables rebuilt for ${values.tenant}`);
  } else {
    let total = 0;
    for (let round = 0; round < 100_000; round++) {
      const [rows] = (await connection.query(
        `SELECT tenant_id AS tenantId, call_id AS callId FROM call_records
         WHERE rollup_sig IS NULL AND status IN ('completed', 'failed', 'timeout') ${values.tenant ? "AND tenant_id = ?" : ""} LIMIT 500`,
        values.tenant ? [values.tenant] : [],
      )) as unknown as [{ tenantId: string; callId: string }[]];
      if (!rows.length) break;
      total += await applyRollups(db, rows);
      if (round % 20 === 0) console.log(`[rollups] ${total} records counted`);
    }
    console.log(`[rollups] done: ${total} records counted`);
  }
} finally {
  await connection.end();
}
