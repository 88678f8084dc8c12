import { and, asc, desc, eq, gte, inArray, isNotNull, lt, or, sql, type SQL } from "drizzle-orm";
import type { Executor } from "../executor";
import { agentGroupMembers, agentGroups, callRecords, callRollupSeries, callRollups, callRollupsDaily, tenants, voiceAgents } from "../schema";
import { LIVE_STATUSES, MEASURES, measureColumn, type RollupRecord } from "../../analytics/rollup-math";
import type { Dimensions, RoutingNames, SeriesRow, TargetRow } from "../../analytics/summary";

const CALL_MEASURE_COUNT = 7;

export async function tenantTimezone(db: Executor, tenantId: string): Promise<string> {
  const [row] = await db.select({ timezone: tenants.timezone }).from(tenants).where(eq(tenants.id, tenantId)).limit(1);
  return row?.timezone ?? "UTC";
}

type Range = [number, number];

function dimensionWhere(table: typeof callRollups | typeof callRollupsDaily, d: Dimensions): (SQL | undefined)[] {
  return [d.direction ? eq(table.direction, d.direction) : undefined, d.groupId ? eq(table.groupId, d.groupId) : undefined, d.agentId ? eq(table.agentId, d.agentId) : undefined];
}

const sums = (measures: readonly string[]) => sql.raw(measures.map((m) => `CAST(SUM(${measureColumn(m)}) AS SIGNED) AS ${measureColumn(m)}`).join(", "));
const rowValues = (row: Record<string, unknown>, count: number) => MEASURES.map((m, i) => (i < count ? Number(row[measureColumn(m)] ?? 0) : 0));

type RawRows = Record<string, unknown>[];
const rowsOf = (result: unknown): RawRows => (Array.isArray(result) && Array.isArray(result[0]) ? (result[0] as RawRows) : (result as RawRows));

/**
 * Call measures per series bucket over whole slots [from, to): `bucketStarts` are the starts
 * (epoch ms) of every bucket after the first, and INTERVAL() numbers each row's bucket in SQL,
 * so a month of 15-minute rows comes back as 30 (or 720) sums. Unfiltered (or by direction)
 * from the narrow series table; by group or agent from call_rollups through its indexes.
 */
export async function rollupSeries(db: Executor, tenantId: string, [from, to]: Range, bucketStarts: number[], d: Dimensions): Promise<SeriesRow[]> {
  const narrow = !d.groupId && !d.agentId;
  const table = narrow ? callRollupSeries : callRollups;
  const where = and(eq(table.tenantId, tenantId), gte(table.slotStart, new Date(from)), lt(table.slotStart, new Date(to)), ...(narrow ? [d.direction ? eq(callRollupSeries.direction, d.direction) : undefined] : dimensionWhere(callRollups, d)));
  const bucket = bucketStarts.length
    ? sql`INTERVAL(TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', slot_start), ${sql.join(
        bucketStarts.map((ms) => sql`${Math.floor(ms / 1000)}`),
        sql`, `,
      )})`
    : sql`0`;
  const result = await db.execute(sql`SELECT ${bucket} AS bucket, ${sums(MEASURES.slice(0, CALL_MEASURE_COUNT))} FROM ${table} WHERE ${where} GROUP BY bucket`);
  return rowsOf(result).map((row) => ({ bucket: Number(row.bucket), values: rowValues(row, CALL_MEASURE_COUNT) }));
}

/** Every measure per (group, agent): whole UTC days from the daily table, other slots from call_rollups. */
export async function rollupTargets(db: Executor, tenantId: string, days: Range | null, slots: Range[], d: Dimensions): Promise<TargetRow[]> {
  const parts: SQL[] = [];
  if (days) {
    const where = and(eq(callRollupsDaily.tenantId, tenantId), gte(callRollupsDaily.dayStart, new Date(days[0])), lt(callRollupsDaily.dayStart, new Date(days[1])), ...dimensionWhere(callRollupsDaily, d));
    parts.push(sql`SELECT group_id, agent_id, ${sums(MEASURES)} FROM ${callRollupsDaily} WHERE ${where} GROUP BY group_id, agent_id`);
  }
  for (const [from, to] of slots) {
    const where = and(eq(callRollups.tenantId, tenantId), gte(callRollups.slotStart, new Date(from)), lt(callRollups.slotStart, new Date(to)), ...dimensionWhere(callRollups, d));
    parts.push(sql`SELECT group_id, agent_id, ${sums(MEASURES)} FROM ${callRollups} WHERE ${where} GROUP BY group_id, agent_id`);
  }
  if (!parts.length) return [];
  const result = await db.execute(sql.join(parts, sql` UNION ALL `));
  return rowsOf(result).map((row) => ({ groupId: String(row.group_id), agentId: String(row.agent_id), values: rowValues(row, MEASURES.length) }));
}

/** The records of the ragged edges, with what their contribution needs. */
export async function edgeRecords(db: Executor, tenantId: string, edges: [number, number][], direction?: string): Promise<RollupRecord[]> {
  if (!edges.length) return [];
  return db
    .select({
      startedAt: callRecords.startedAt,
      direction: callRecords.direction,
      status: callRecords.status,
      groupId: callRecords.groupId,
      agentId: callRecords.agentId,
      answeredAt: callRecords.answeredAt,
      durationSec: callRecords.durationSec,
      attempts: callRecords.attempts,
    })
    .from(callRecords)
    .where(
      and(eq(callRecords.tenantId, tenantId), or(...edges.map(([from, to]) => and(gte(callRecords.startedAt, new Date(from)), lt(callRecords.startedAt, new Date(to))))), direction ? eq(callRecords.direction, direction as "inbound" | "outbound") : undefined),
    );
}

function recordDimensions(d: Dimensions): (SQL | undefined)[] {
  return [d.direction ? eq(callRecords.direction, d.direction) : undefined, d.groupId ? eq(callRecords.groupId, d.groupId) : undefined, d.agentId ? eq(callRecords.agentId, d.agentId) : undefined];
}

export async function inProgressCount(db: Executor, tenantId: string, since: number, until: number, d: Dimensions): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`COUNT(*)` })
    .from(callRecords)
    .where(and(eq(callRecords.tenantId, tenantId), inArray(callRecords.status, [...LIVE_STATUSES]), gte(callRecords.startedAt, new Date(since)), lt(callRecords.startedAt, new Date(until)), ...recordDimensions(d)));
  return Number(row?.n ?? 0);
}

/**
 * Durations of answered calls in [lower, upper) seconds, in order, from the `offset`-th (or,
 * `fromTop`, counting down from the largest): the exact median's second step, reading one
 * duration bin from the duration index from whichever end is nearer.
 */
export async function durationsInBin(db: Executor, tenantId: string, since: number, until: number, d: Dimensions, bin: { lower: number; upper: number | null }, offset: number, count: number, fromTop = false): Promise<number[]> {
  const rows = await db
    .select({ d: callRecords.durationSec })
    .from(callRecords)
    .where(
      and(
        eq(callRecords.tenantId, tenantId),
        gte(callRecords.durationSec, bin.lower),
        bin.upper === null ? undefined : lt(callRecords.durationSec, bin.upper),
        gte(callRecords.startedAt, new Date(since)),
        lt(callRecords.startedAt, new Date(until)),
        isNotNull(callRecords.answeredAt),
        ...recordDimensions(d),
      ),
    )
    .orderBy(fromTop ? desc(callRecords.durationSec) : asc(callRecords.durationSec))
    .limit(count)
    .offset(offset);
  const values = rows.map((r) => r.d ?? 0);
  return fromTop ? values.reverse() : values;
}

export async function routingNames(db: Executor, tenantId: string): Promise<RoutingNames> {
  const [agents, groups, members] = await Promise.all([
    db.select({ id: voiceAgents.id, name: voiceAgents.name, enabled: voiceAgents.enabled, weight: voiceAgents.weight }).from(voiceAgents).where(eq(voiceAgents.tenantId, tenantId)),
    db.select({ id: agentGroups.id, name: agentGroups.name, strategy: agentGroups.strategy }).from(agentGroups).where(eq(agentGroups.tenantId, tenantId)),
    db
      .select({ groupId: agentGroupMembers.groupId, agentId: agentGroupMembers.agentId, priority: agentGroupMembers.priority, weight: agentGroupMembers.weight, position: agentGroupMembers.position })
      .from(agentGroupMembers)
      .where(eq(agentGroupMembers.tenantId, tenantId))
      .orderBy(asc(agentGroupMembers.groupId), asc(agentGroupMembers.position)),
  ]);
  const names: RoutingNames = {
    agents: new Map(agents.map((a) => [a.id, { name: a.name, enabled: a.enabled, weight: a.weight }])),
    groups: new Map(groups.map((g) => [g.id, { name: g.name, strategy: g.strategy, members: [] }])),
  };
  for (const m of members) names.groups.get(m.groupId)?.members.push({ agentId: m.agentId, priority: m.priority, weight: m.weight });
  return names;
}
