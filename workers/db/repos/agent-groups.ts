import { and, asc, eq, inArray, like, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "../executor";
import { agentGroupMembers, agentGroups, voiceAgents } from "../schema";
import { keysetQuery, pageOf, type PageRequest } from "../../lib/pagination";
import { likeEscape } from "../../schemas/common";

export type GroupRow = typeof agentGroups.$inferSelect;
export type NewGroupRow = typeof agentGroups.$inferInsert;
export type GroupWithCount = GroupRow & { memberCount: number };

const memberCount = sql<number>`(SELECT COUNT(*) FROM ${agentGroupMembers} WHERE ${agentGroupMembers.groupId} = ${agentGroups.id})`.mapWith(Number);
const SORT_COLUMNS = { name: agentGroups.name, createdAt: agentGroups.createdAt, updatedAt: agentGroups.updatedAt } as const;

export interface GroupFilters {
  q?: string | undefined;
  strategy?: GroupRow["strategy"] | undefined;
  enabled?: boolean | undefined;
  agentId?: string | undefined;
}

export async function listGroups(db: Executor, tenantId: string, filters: GroupFilters, page: PageRequest & { sort: keyof typeof SORT_COLUMNS }) {
  const conditions: (SQL | undefined)[] = [eq(agentGroups.tenantId, tenantId)];
  if (filters.strategy) conditions.push(eq(agentGroups.strategy, filters.strategy));
  if (filters.enabled !== undefined) conditions.push(eq(agentGroups.enabled, filters.enabled));
  if (filters.q) {
    const text = `%${likeEscape(filters.q)}%`;
    conditions.push(or(like(agentGroups.name, text), like(agentGroups.description, text)));
  }
  if (filters.agentId) {
    conditions.push(
      inArray(
        agentGroups.id,
        db
          .select({ id: agentGroupMembers.groupId })
          .from(agentGroupMembers)
          .where(and(eq(agentGroupMembers.tenantId, tenantId), eq(agentGroupMembers.agentId, filters.agentId))),
      ),
    );
  }
  const query = keysetQuery(page, { sortColumn: SORT_COLUMNS[page.sort], idColumn: agentGroups.id });
  conditions.push(query.where);
  const rows = await db
    .select({ group: agentGroups, memberCount })
    .from(agentGroups)
    .where(and(...conditions))
    .orderBy(...query.orderBy)
    .limit(query.take);
  const flat = rows.map((row) => ({ ...row.group, memberCount: row.memberCount }));
  return pageOf(flat, page, (row) => ({ value: row[page.sort], id: row.id }));
}

export async function findGroup(db: Executor, tenantId: string, id: string, opts: { forUpdate?: boolean } = {}): Promise<GroupRow | null> {
  const query = db
    .select()
    .from(agentGroups)
    .where(and(eq(agentGroups.tenantId, tenantId), eq(agentGroups.id, id)))
    .limit(1);
  const [row] = opts.forUpdate ? await query.for("update") : await query;
  return row ?? null;
}

export async function insertGroup(db: Executor, row: NewGroupRow): Promise<void> {
  await db.insert(agentGroups).values(row);
}

export async function updateGroup(db: Executor, tenantId: string, id: string, changes: Partial<NewGroupRow>): Promise<void> {
  await db
    .update(agentGroups)
    .set({ ...changes, version: sql`${agentGroups.version} + 1`, updatedAt: new Date() })
    .where(and(eq(agentGroups.tenantId, tenantId), eq(agentGroups.id, id)));
}

export async function deleteGroup(db: Executor, tenantId: string, id: string): Promise<void> {
  await db.delete(agentGroups).where(and(eq(agentGroups.tenantId, tenantId), eq(agentGroups.id, id)));
}

export interface MemberView {
  agentId: string;
  position: number;
  priority: number;
  weight: number | null;
  capacity: number | null;
  agent: { name: string; provider: string; enabled: boolean; weight: number; maxConcurrentCalls: number | null };
}

/** A group's members in order, with the agent fields a member list shows. */
export async function membersOf(db: Executor, tenantId: string, groupId: string): Promise<MemberView[]> {
  const rows = await db
    .select({
      agentId: agentGroupMembers.agentId,
      position: agentGroupMembers.position,
      priority: agentGroupMembers.priority,
      weight: agentGroupMembers.weight,
      capacity: agentGroupMembers.maxConcurrentCalls,
      name: voiceAgents.name,
      provider: voiceAgents.provider,
      enabled: voiceAgents.enabled,
      agentWeight: voiceAgents.weight,
      maxConcurrentCalls: voiceAgents.maxConcurrentCalls,
    })
    .from(agentGroupMembers)
    .innerJoin(voiceAgents, eq(voiceAgents.id, agentGroupMembers.agentId))
    .where(and(eq(agentGroupMembers.tenantId, tenantId), eq(agentGroupMembers.groupId, groupId)))
    .orderBy(asc(agentGroupMembers.position));
  return rows.map((row) => ({
    agentId: row.agentId,
    position: row.position,
    priority: row.priority,
    weight: row.weight,
    capacity: row.capacity,
    agent: { name: row.name, provider: row.provider, enabled: row.enabled, weight: row.agentWeight, maxConcurrentCalls: row.maxConcurrentCalls },
  }));
}

export interface MemberWrite {
  agentId: string;
  priority?: number | undefined;
  weight?: number | null | undefined;
  capacity?: number | null | undefined;
}

/** Replaces the member list in one statement pair; run inside the caller's transaction. */
export async function replaceMembers(db: Executor, tenantId: string, groupId: string, members: MemberWrite[]): Promise<void> {
  await db.delete(agentGroupMembers).where(and(eq(agentGroupMembers.tenantId, tenantId), eq(agentGroupMembers.groupId, groupId)));
  if (members.length === 0) return;
  await db.insert(agentGroupMembers).values(
    members.map((member, position) => ({
      groupId,
      agentId: member.agentId,
      tenantId,
      position,
      priority: member.priority ?? 0,
      weight: member.weight ?? null,
      maxConcurrentCalls: member.capacity ?? null,
    })),
  );
}

export type AgentSummary = MemberView["agent"];

const AgentSummaryRow = z.object({
  id: z.string(),
  name: z.string(),
  provider: z.string(),
  // TINYINT(1) arrives as 0/1 on a raw query.
  enabled: z.union([z.boolean(), z.number()]).transform(Boolean),
  weight: z.number().int(),
  maxConcurrentCalls: z.number().int().nullable(),
});

/**
 * Name, provider, state and limits of the tenant's agents among `ids` (absent ids are missing
 * from the map), for a member list about to be stored. The rows are share-locked until the
 * transaction ends, so an agent deleted meanwhile either waits for the members to commit (and
 * its delete then removes them) or is already gone here (404), never a foreign-key failure at
 * the insert. LOCK IN SHARE MODE because MariaDB 10.11 has no FOR SHARE (MySQL 8 takes both).
 */
export async function agentSummaries(db: Executor, tenantId: string, ids: string[]): Promise<Map<string, AgentSummary>> {
  const out = new Map<string, AgentSummary>();
  if (ids.length === 0) return out;
  const [rows] = await db.execute(sql`
    SELECT ${voiceAgents.id} AS id, ${voiceAgents.name} AS name, ${voiceAgents.provider} AS provider, ${voiceAgents.enabled} AS enabled,
           ${voiceAgents.weight} AS weight, ${voiceAgents.maxConcurrentCalls} AS maxConcurrentCalls
    FROM ${voiceAgents}
    WHERE ${and(eq(voiceAgents.tenantId, tenantId), inArray(voiceAgents.id, ids))}
    LOCK IN SHARE MODE`);
  for (const { id, ...agent } of z.array(AgentSummaryRow).parse(rows)) out.set(id, agent);
  return out;
}

/** A group's member settings in order, without the agents' fields (for the audit trail). */
export async function memberSettings(db: Executor, tenantId: string, groupId: string) {
  return db
    .select({ agentId: agentGroupMembers.agentId, priority: agentGroupMembers.priority, weight: agentGroupMembers.weight, capacity: agentGroupMembers.maxConcurrentCalls })
    .from(agentGroupMembers)
    .where(and(eq(agentGroupMembers.tenantId, tenantId), eq(agentGroupMembers.groupId, groupId)))
    .orderBy(asc(agentGroupMembers.position));
}
