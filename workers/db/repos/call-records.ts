import { and, asc, desc, eq, gt, gte, inArray, isNotNull, isNull, like, lt, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../client";
import type { Executor } from "../executor";
import { agentGroups, callEvents, callRecords, inboundRoutingRules, outboundRoutingRules, trunks, voiceAgents } from "../schema";
import { normalizeNumber } from "../../domain/numbers";
import { reversedNumber, type NumberMatch } from "../../domain/number-search";
import type { CursorPosition, SortOrder } from "../../analytics/records-cursor";
import type { RecordFilterInput } from "../../schemas/call-records";

export type RecordSort = "startedAt" | "durationSec";

const likeEscape = (text: string) => text.replace(/[\\%_]/g, "\\$&");

interface NumberColumns {
  number: typeof callRecords.fromNumber | typeof callRecords.toNumber;
  reversed: typeof callRecords.fromNumberRev | typeof callRecords.toNumberRev;
}
const FROM: NumberColumns = { number: callRecords.fromNumber, reversed: callRecords.fromNumberRev };
const TO: NumberColumns = { number: callRecords.toNumber, reversed: callRecords.toNumberRev };

/**
 * A number filter matches the stored number with or without its leading "+"; "suffix" matches
 * the reversed normalised number by its start, so that it is a range on that column's index.
 */
function numberCondition(columns: NumberColumns, text: string, match: NumberMatch): SQL | undefined {
  const normal = normalizeNumber(text);
  const digits = /^\d+$/.test(normal) ? normal : null;
  const forms = digits ? [digits, `+${digits}`] : [text];
  if (match === "exact") return inArray(columns.number, forms);
  if (match === "suffix") return like(columns.reversed, `${likeEscape(reversedNumber(text))}%`);
  if (match === "contains") return like(columns.number, `%${likeEscape(digits ?? text)}%`);
  return or(...forms.map((form) => like(columns.number, `${likeEscape(form)}%`)));
}

/** The WHERE of a filtered list (always scoped to one tenant). */
export function recordConditions(tenantId: string, f: Partial<RecordFilterInput>): SQL {
  const c: (SQL | undefined)[] = [eq(callRecords.tenantId, tenantId)];
  if (f.since) c.push(gte(callRecords.startedAt, f.since));
  if (f.until) c.push(lt(callRecords.startedAt, f.until));
  if (f.status?.length) c.push(inArray(callRecords.status, f.status));
  if (f.direction) c.push(eq(callRecords.direction, f.direction));
  if (f.answered !== undefined) c.push(f.answered ? isNotNull(callRecords.answeredAt) : isNull(callRecords.answeredAt));
  if (f.agentId) c.push(eq(callRecords.agentId, f.agentId));
  if (f.groupId) c.push(eq(callRecords.groupId, f.groupId));
  if (f.ruleId) c.push(eq(callRecords.ruleId, f.ruleId));
  if (f.trunkId) c.push(eq(callRecords.trunkId, f.trunkId));
  if (f.caller) c.push(numberCondition(FROM, f.caller, f.callerMatch ?? "prefix"));
  if (f.callee) c.push(numberCondition(TO, f.callee, f.calleeMatch ?? "prefix"));
  return and(...c)!;
}

const sortColumn = (sort: RecordSort) => (sort === "durationSec" ? callRecords.durationSec : callRecords.startedAt);

/**
 * Rows after `position` in (sort, id) order. MySQL puts NULLs first ascending and last
 * descending; the conditions follow that, so no row is skipped or repeated across the NULLs.
 */
function after(sort: RecordSort, order: SortOrder, position: CursorPosition): SQL | undefined {
  const column = sortColumn(sort);
  const id = callRecords.id;
  const value = position.value === null ? null : sort === "startedAt" ? new Date(position.value) : position.value;
  if (order === "asc") {
    if (value === null) return or(and(isNull(column), gt(id, position.id)), isNotNull(column));
    return or(gt(column, value), and(eq(column, value), gt(id, position.id)));
  }
  if (value === null) return and(isNull(column), lt(id, position.id));
  return or(lt(column, value), and(eq(column, value), lt(id, position.id)), sort === "durationSec" ? isNull(column) : undefined);
}

export const listColumns = {
  id: callRecords.id,
  callId: callRecords.callId,
  direction: callRecords.direction,
  fromNumber: callRecords.fromNumber,
  toNumber: callRecords.toNumber,
  callerName: callRecords.callerName,
  status: callRecords.status,
  disposition: callRecords.disposition,
  endReason: callRecords.endReason,
  ruleId: callRecords.ruleId,
  groupId: callRecords.groupId,
  agentId: callRecords.agentId,
  trunkId: callRecords.trunkId,
  attemptCount: callRecords.attemptCount,
  startedAt: callRecords.startedAt,
  answeredAt: callRecords.answeredAt,
  endedAt: callRecords.endedAt,
  durationSec: callRecords.durationSec,
  billableSec: callRecords.billableSec,
  waitPosition: callRecords.waitPosition,
  waitSec: callRecords.waitSec,
  waitOutcome: callRecords.waitOutcome,
};

export type ListedRecord = Pick<typeof callRecords.$inferSelect, keyof typeof listColumns>;

export interface ChunkRequest {
  filters: Partial<RecordFilterInput>;
  sort: RecordSort;
  order: SortOrder;
  after: CursorPosition | null;
  limit: number;
}

/** Past this many matches a number filter is not selective: walking the time index fills a page sooner. */
export const SELECTIVE_NUMBER_MATCHES = 2_000;

const NUMBER_INDEXES = [
  { filter: "caller", match: "callerMatch", columns: FROM, index: "call_records_tenant_from_idx", suffixIndex: "call_records_tenant_from_rev_idx" },
  { filter: "callee", match: "calleeMatch", columns: TO, index: "call_records_tenant_to_idx", suffixIndex: "call_records_tenant_to_rev_idx" },
] as const;

/**
 * The index for a page filtered by caller or callee. A number that few records match is best
 * found through its own index (the reversed number's for a suffix), then sorted (a few
 * thousand rows at most); one that many match, by walking the time index until the page is
 * full. Once a cursor bounds the time index, MariaDB walks it whatever the number's
 * selectivity, through most of the table for a rare number. So the matches are counted first
 * (on the number index alone, capped) and the index is named when they are few.
 */
export async function numberIndexFor(db: Executor, tenantId: string, filters: Partial<RecordFilterInput>): Promise<string | null> {
  for (const { filter, match, columns, index: prefixIndex, suffixIndex } of NUMBER_INDEXES) {
    const text = filters[filter];
    const how = filters[match] ?? "prefix";
    if (!text || how === "contains") continue;
    const index = how === "suffix" ? suffixIndex : prefixIndex;
    const probe = await db
      .select({ one: sql`1` })
      .from(callRecords, { forceIndex: index })
      .where(and(eq(callRecords.tenantId, tenantId), numberCondition(columns, text, how), filters.since ? gte(callRecords.startedAt, filters.since) : undefined, filters.until ? lt(callRecords.startedAt, filters.until) : undefined))
      .limit(SELECTIVE_NUMBER_MATCHES);
    if (probe.length < SELECTIVE_NUMBER_MATCHES) return index;
  }
  return null;
}

async function chunkQuery(db: Executor, tenantId: string, request: ChunkRequest) {
  const direction = request.order === "asc" ? asc : desc;
  const index = await numberIndexFor(db, tenantId, request.filters);
  return {
    where: and(recordConditions(tenantId, request.filters), request.after ? after(request.sort, request.order, request.after) : undefined),
    orderBy: [direction(sortColumn(request.sort)), direction(callRecords.id)],
    hint: index ? { forceIndex: index } : undefined,
  };
}

const pageSelect = (db: Executor, { where, orderBy, hint }: Awaited<ReturnType<typeof chunkQuery>>, limit: number) =>
  db
    .select(listColumns)
    .from(callRecords, hint)
    .where(where)
    .orderBy(...orderBy)
    .limit(limit);

/** One keyset page of records, without the JSON columns (what the list shows). */
export async function readRecords(db: Executor, tenantId: string, request: ChunkRequest): Promise<ListedRecord[]> {
  return pageSelect(db, await chunkQuery(db, tenantId, request), request.limit);
}

/** The SQL readRecords would run for this page, index hint included: to read its plan. */
export async function recordsPageSql(db: Executor, tenantId: string, request: ChunkRequest): Promise<{ sql: string; params: unknown[] }> {
  return pageSelect(db, await chunkQuery(db, tenantId, request), request.limit).toSQL();
}

export const positionOf = (sort: RecordSort, row: { id: string; startedAt: Date; durationSec: number | null }): CursorPosition => ({
  value: sort === "durationSec" ? row.durationSec : row.startedAt.getTime(),
  id: row.id,
});

export async function countRecords(db: Executor, tenantId: string, filters: Partial<RecordFilterInput>): Promise<number> {
  const [row] = await db.select({ n: sql<number>`COUNT(*)` }).from(callRecords).where(recordConditions(tenantId, filters));
  return Number(row?.n ?? 0);
}

export async function findRecord(db: Executor, tenantId: string, id: string) {
  const [row] = await db
    .select()
    .from(callRecords)
    .where(and(eq(callRecords.tenantId, tenantId), eq(callRecords.id, id)))
    .limit(1);
  return row ?? null;
}

export async function findRecordByCallId(db: Executor, tenantId: string, callId: string) {
  const [row] = await db
    .select({ id: callRecords.id, status: callRecords.status })
    .from(callRecords)
    .where(and(eq(callRecords.tenantId, tenantId), eq(callRecords.callId, callId)))
    .limit(1);
  return row ?? null;
}

export async function eventsOfCall(db: Executor, tenantId: string, callId: string, limit = 1000) {
  return db
    .select({ seq: callEvents.seq, type: callEvents.type, at: callEvents.at, data: callEvents.data })
    .from(callEvents)
    .where(and(eq(callEvents.tenantId, tenantId), eq(callEvents.callId, callId)))
    .orderBy(asc(callEvents.seq))
    .limit(limit);
}

/** Display names of the entities a record points at (null where they no longer exist). */
export async function namesFor(db: Executor, tenantId: string, ids: { ruleId: string | null; groupId: string | null; agentId: string | null; trunkId: string | null }): Promise<Record<"rule" | "group" | "agent" | "trunk", string | null>> {
  const one = async (query: Promise<{ name: string }[]>) => (await query)[0]?.name ?? null;
  const [inbound, outbound, group, agent, trunk] = await Promise.all([
    ids.ruleId
      ? one(
          db
            .select({ name: inboundRoutingRules.name })
            .from(inboundRoutingRules)
            .where(and(eq(inboundRoutingRules.tenantId, tenantId), eq(inboundRoutingRules.id, ids.ruleId))),
        )
      : null,
    ids.ruleId
      ? one(
          db
            .select({ name: outboundRoutingRules.name })
            .from(outboundRoutingRules)
            .where(and(eq(outboundRoutingRules.tenantId, tenantId), eq(outboundRoutingRules.id, ids.ruleId))),
        )
      : null,
    ids.groupId
      ? one(
          db
            .select({ name: agentGroups.name })
            .from(agentGroups)
            .where(and(eq(agentGroups.tenantId, tenantId), eq(agentGroups.id, ids.groupId))),
        )
      : null,
    ids.agentId
      ? one(
          db
            .select({ name: voiceAgents.name })
            .from(voiceAgents)
            .where(and(eq(voiceAgents.tenantId, tenantId), eq(voiceAgents.id, ids.agentId))),
        )
      : null,
    ids.trunkId
      ? one(
          db
            .select({ name: trunks.name })
            .from(trunks)
            .where(and(eq(trunks.tenantId, tenantId), eq(trunks.id, ids.trunkId))),
        )
      : null,
  ]);
  return { rule: inbound ?? outbound, group, agent, trunk };
}

/**
 * One keyset page for an export, as plain arrays: the chosen expressions, then the keyset
 * (sort value, id). Runs on the driver directly, with no per-field conversion.
 */
export async function readRawRecords(db: Db, tenantId: string, request: ChunkRequest, expressions: SQL[]): Promise<{ rows: unknown[][]; last: CursorPosition | null }> {
  const { where, orderBy, hint } = await chunkQuery(db, tenantId, request);
  const keyValue = request.sort === "durationSec" ? sql`${callRecords.durationSec}` : sql`TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', ${callRecords.startedAt}) DIV 1000`;
  const selection = Object.fromEntries([...expressions, keyValue, sql`${callRecords.id}`].map((e, i) => [`c${i}`, e.mapWith(String)]));
  const query = db
    .select(selection)
    .from(callRecords, hint)
    .where(where)
    .orderBy(...orderBy)
    .limit(request.limit)
    .toSQL();
  // drizzle's mysql2 database keeps the connection it was given (promise API) as $client.
  const client = (db as unknown as { $client: { query(options: { sql: string; values: unknown[]; rowsAsArray: boolean }): Promise<[unknown, unknown]> } }).$client;
  const [rows] = (await client.query({ sql: query.sql, values: query.params, rowsAsArray: true })) as [unknown[][], unknown];
  const lastRow = rows.at(-1);
  const n = expressions.length;
  const last = lastRow ? { value: lastRow[n] === null ? null : Number(lastRow[n]), id: String(lastRow[n + 1]) } : null;
  return { rows, last };
}
