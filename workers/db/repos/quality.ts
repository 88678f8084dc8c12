import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "../executor";
import { agentGroups, callRecords, voiceAgents } from "../schema";
import { POOR_MOS, type QualitySums } from "../../analytics/quality";
import { LIVE_STATUSES } from "../../analytics/rollup-math";

export type QualityBy = "agent" | "group" | "provider";

/** One key's sums: `key` is null for calls without an agent (group), or whose agent was deleted (provider). */
export interface QualityKeySums extends QualitySums {
  key: string | null;
  name: string | null;
  /** The call named no agent (group) / the agent or group no longer exists. */
  missing: "none" | "deleted" | null;
}

type RawRow = Record<string, unknown>;
const rowsOf = (result: unknown): RawRow[] => (Array.isArray(result) && Array.isArray(result[0]) ? (result[0] as RawRow[]) : (result as RawRow[]));
const n = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

// Per call, the lower of receive and transmit MOS when both were reported, else the one that was.
// LEAST() is NULL as soon as one side is.
const MOS = sql`COALESCE(LEAST(r.mos_rx, r.mos_tx), r.mos_rx, r.mos_tx)`;

/** What each grouping selects and groups by, over call_records r LEFT JOIN voice_agents a. */
function grouping(by: QualityBy): { key: SQL; name: SQL; missing: SQL; join: SQL; groupBy: SQL } {
  if (by === "group") {
    return {
      key: sql`r.group_id`,
      name: sql`MAX(g.name)`,
      missing: sql`CASE WHEN r.group_id IS NULL THEN 'none' WHEN MAX(g.id) IS NULL THEN 'deleted' END`,
      join: sql`LEFT JOIN ${agentGroups} g ON g.tenant_id = r.tenant_id AND g.id = r.group_id`,
      groupBy: sql`r.group_id`,
    };
  }
  const agents = sql`LEFT JOIN ${voiceAgents} a ON a.tenant_id = r.tenant_id AND a.id = r.agent_id`;
  if (by === "agent") {
    return {
      key: sql`r.agent_id`,
      name: sql`MAX(a.name)`,
      missing: sql`CASE WHEN r.agent_id IS NULL THEN 'none' WHEN MAX(a.id) IS NULL THEN 'deleted' END`,
      join: agents,
      groupBy: sql`r.agent_id`,
    };
  }
  // A deleted agent's provider is unknown: its calls are counted together, apart from calls with no agent.
  return {
    key: sql`a.provider`,
    name: sql`NULL`,
    missing: sql`CASE WHEN a.provider IS NOT NULL THEN NULL WHEN r.agent_id IS NULL THEN 'none' ELSE 'deleted' END`,
    join: agents,
    groupBy: sql`a.provider, r.agent_id IS NULL`,
  };
}

/**
 * Quality and cost sums per agent, group or provider of the tenant's calls that started in
 * [since, until) and have ended (as the summary counts them). One pass over the (tenant_id, started_at) index range; costs are
 * summed as DECIMAL (exact), the rest as counts and sums the caller averages.
 */
export async function qualitySums(db: Executor, tenantId: string, since: Date, until: Date, by: QualityBy): Promise<QualityKeySums[]> {
  const g = grouping(by);
  const live = sql.join(
    LIVE_STATUSES.map((s) => sql`${s}`),
    sql`, `,
  );
  const result = await db.execute(sql`
    SELECT ${g.key} AS k, ${g.name} AS name, ${g.missing} AS missing,
      COUNT(*) AS calls,
      SUM(r.mos_rx IS NOT NULL OR r.mos_tx IS NOT NULL OR r.jitter_ms IS NOT NULL OR r.packet_loss_pct IS NOT NULL) AS with_quality,
      COUNT(${MOS}) AS mos_calls, SUM(${MOS}) AS mos_sum, SUM(${MOS} < ${POOR_MOS}) AS poor,
      COUNT(r.jitter_ms) AS jitter_calls, SUM(r.jitter_ms) AS jitter_sum,
      COUNT(r.packet_loss_pct) AS loss_calls, SUM(r.packet_loss_pct) AS loss_sum,
      SUM(r.billable_sec) AS billed,
      SUM(r.rated_cost) AS rated, SUM(CASE WHEN r.rated_cost IS NOT NULL THEN r.billable_sec END) AS rated_billed,
      SUM(r.sell_cost) AS sell, SUM(CASE WHEN r.sell_cost IS NOT NULL THEN r.billable_sec END) AS sell_billed
    FROM ${callRecords} r FORCE INDEX (call_records_tenant_started_idx)
    ${g.join}
    WHERE r.tenant_id = ${tenantId} AND r.started_at >= ${since} AND r.started_at < ${until} AND r.status NOT IN (${live})
    GROUP BY ${g.groupBy}`);
  return rowsOf(result).map((row) => ({
    key: row.k === null || row.k === undefined ? null : String(row.k),
    name: row.name === null || row.name === undefined ? null : String(row.name),
    missing: row.missing === "none" || row.missing === "deleted" ? row.missing : null,
    calls: n(row.calls),
    callsWithQuality: n(row.with_quality),
    mosCalls: n(row.mos_calls),
    mosSum: n(row.mos_sum),
    poorMosCalls: n(row.poor),
    jitterCalls: n(row.jitter_calls),
    jitterSum: n(row.jitter_sum),
    lossCalls: n(row.loss_calls),
    lossSum: n(row.loss_sum),
    billedSec: n(row.billed),
    ratedCost: n(row.rated),
    ratedBilledSec: n(row.rated_billed),
    sellCost: n(row.sell),
    sellBilledSec: n(row.sell_billed),
  }));
}
