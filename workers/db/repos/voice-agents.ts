import { and, eq, inArray, like, or, sql, type SQL } from "drizzle-orm";
import type { Executor } from "../executor";
import { agentGroupMembers, voiceAgents } from "../schema";
import { keysetQuery, pageOf, type PageRequest } from "../../lib/pagination";
import { likeEscape } from "../../schemas/common";

export type AgentRow = typeof voiceAgents.$inferSelect;
export type NewAgentRow = typeof voiceAgents.$inferInsert;

const SORT_COLUMNS = {
  name: voiceAgents.name,
  createdAt: voiceAgents.createdAt,
  updatedAt: voiceAgents.updatedAt,
  provider: voiceAgents.provider,
  weight: voiceAgents.weight,
} as const;

export interface AgentFilters {
  q?: string | undefined;
  provider?: string | undefined;
  enabled?: boolean | undefined;
  tags?: string[] | undefined;
  groupId?: string | undefined;
}

export async function listAgents(db: Executor, tenantId: string, filters: AgentFilters, page: PageRequest & { sort: keyof typeof SORT_COLUMNS }) {
  const conditions: (SQL | undefined)[] = [eq(voiceAgents.tenantId, tenantId)];
  if (filters.provider) conditions.push(eq(voiceAgents.provider, filters.provider));
  if (filters.enabled !== undefined) conditions.push(eq(voiceAgents.enabled, filters.enabled));
  for (const tag of filters.tags ?? []) conditions.push(sql`JSON_CONTAINS(${voiceAgents.tags}, ${JSON.stringify(tag)})`);
  if (filters.q) {
    const text = `%${likeEscape(filters.q)}%`;
    conditions.push(or(like(voiceAgents.name, text), like(voiceAgents.serviceValue, text), like(voiceAgents.username, text), sql`JSON_SEARCH(${voiceAgents.tags}, 'one', ${`%${likeEscape(filters.q.toLowerCase())}%`}) IS NOT NULL`));
  }
  if (filters.groupId) {
    conditions.push(
      inArray(
        voiceAgents.id,
        db
          .select({ id: agentGroupMembers.agentId })
          .from(agentGroupMembers)
          .where(and(eq(agentGroupMembers.tenantId, tenantId), eq(agentGroupMembers.groupId, filters.groupId))),
      ),
    );
  }
  const sortColumn = SORT_COLUMNS[page.sort];
  const query = keysetQuery(page, { sortColumn, idColumn: voiceAgents.id });
  conditions.push(query.where);
  const rows = await db
    .select(LIST_COLUMNS)
    .from(voiceAgents)
    .where(and(...conditions))
    .orderBy(...query.orderBy)
    .limit(query.take);
  return pageOf(rows, page, (row) => ({ value: row[page.sort], id: row.id }));
}

/** What a list shows: no tenant id, and only whether a password is set (lists can hold 1,000 rows). */
const LIST_COLUMNS = {
  id: voiceAgents.id,
  name: voiceAgents.name,
  provider: voiceAgents.provider,
  serviceValue: voiceAgents.serviceValue,
  username: voiceAgents.username,
  hasPassword: sql<boolean>`(${voiceAgents.passwordEnc} IS NOT NULL)`.mapWith((value) => Number(value) === 1),
  enabled: voiceAgents.enabled,
  maxConcurrentCalls: voiceAgents.maxConcurrentCalls,
  weight: voiceAgents.weight,
  tags: voiceAgents.tags,
  providerAccountId: voiceAgents.providerAccountId,
  version: voiceAgents.version,
  createdAt: voiceAgents.createdAt,
  updatedAt: voiceAgents.updatedAt,
};

export async function findAgent(db: Executor, tenantId: string, id: string, opts: { forUpdate?: boolean } = {}): Promise<AgentRow | null> {
  const query = db
    .select()
    .from(voiceAgents)
    .where(and(eq(voiceAgents.tenantId, tenantId), eq(voiceAgents.id, id)))
    .limit(1);
  const [row] = opts.forUpdate ? await query.for("update") : await query;
  return row ?? null;
}

/** The tenant's agents among `ids`, locked when asked (bulk changes). */
export async function findAgents(db: Executor, tenantId: string, ids: string[], opts: { forUpdate?: boolean } = {}): Promise<AgentRow[]> {
  if (ids.length === 0) return [];
  const query = db
    .select()
    .from(voiceAgents)
    .where(and(eq(voiceAgents.tenantId, tenantId), inArray(voiceAgents.id, ids)));
  return opts.forUpdate ? await query.for("update") : await query;
}

export async function insertAgent(db: Executor, row: NewAgentRow): Promise<void> {
  await db.insert(voiceAgents).values(row);
}

/** Applies `changes` and bumps the version; the caller holds the row lock. */
export async function updateAgent(db: Executor, tenantId: string, id: string, changes: Partial<NewAgentRow>): Promise<void> {
  await db
    .update(voiceAgents)
    .set({ ...changes, version: sql`${voiceAgents.version} + 1`, updatedAt: new Date() })
    .where(and(eq(voiceAgents.tenantId, tenantId), eq(voiceAgents.id, id)));
}

export async function setAgentsEnabled(db: Executor, tenantId: string, ids: string[], enabled: boolean): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(voiceAgents)
    .set({ enabled, version: sql`${voiceAgents.version} + 1`, updatedAt: new Date() })
    .where(and(eq(voiceAgents.tenantId, tenantId), inArray(voiceAgents.id, ids)));
}

export async function deleteAgents(db: Executor, tenantId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.delete(voiceAgents).where(and(eq(voiceAgents.tenantId, tenantId), inArray(voiceAgents.id, ids)));
}

/** Ids of the groups each agent belongs to. */
export async function groupsOfAgents(db: Executor, tenantId: string, agentIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(agentIds.map((id) => [id, []]));
  if (agentIds.length === 0) return out;
  const rows = await db
    .select({ agentId: agentGroupMembers.agentId, groupId: agentGroupMembers.groupId })
    .from(agentGroupMembers)
    .where(and(eq(agentGroupMembers.tenantId, tenantId), inArray(agentGroupMembers.agentId, agentIds)))
    .orderBy(agentGroupMembers.groupId);
  for (const row of rows) out.get(row.agentId)?.push(row.groupId);
  return out;
}
