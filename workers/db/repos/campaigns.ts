import { and, eq, inArray, like, or, sql, type SQL } from "drizzle-orm";
import type { Executor } from "../executor";
import { agentGroupMembers, agentGroups, campaigns, doNotCall, providerAccounts, voiceAgents } from "../schema";
import type { TargetAccount } from "../../campaigns/runner-types";
import { keysetQuery, pageOf, type PageRequest } from "../../lib/pagination";
import { likeEscape } from "../../schemas/common";
import type { CampaignStatus } from "../../campaigns/types";

export type CampaignRow = typeof campaigns.$inferSelect;
export type NewCampaignRow = typeof campaigns.$inferInsert;

const SORTS = { name: campaigns.name, createdAt: campaigns.createdAt, updatedAt: campaigns.updatedAt } as const;

export async function listCampaigns(db: Executor, tenantId: string, filters: { q?: string | undefined; status?: CampaignStatus | undefined }, page: PageRequest & { sort: keyof typeof SORTS }) {
  const conditions: (SQL | undefined)[] = [eq(campaigns.tenantId, tenantId)];
  if (filters.status) conditions.push(eq(campaigns.status, filters.status));
  if (filters.q) conditions.push(like(campaigns.name, `%${likeEscape(filters.q)}%`));
  const query = keysetQuery(page, { sortColumn: SORTS[page.sort], idColumn: campaigns.id });
  conditions.push(query.where);
  const rows = await db
    .select()
    .from(campaigns)
    .where(and(...conditions))
    .orderBy(...query.orderBy)
    .limit(query.take);
  return pageOf(rows, page, (row) => ({ value: row[page.sort], id: row.id }));
}

export async function findCampaign(db: Executor, tenantId: string, id: string, opts: { forUpdate?: boolean } = {}): Promise<CampaignRow | null> {
  const query = db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.tenantId, tenantId), eq(campaigns.id, id)))
    .limit(1);
  const [row] = opts.forUpdate ? await query.for("update") : await query;
  return row ?? null;
}

export async function insertCampaign(db: Executor, row: NewCampaignRow): Promise<void> {
  await db.insert(campaigns).values(row);
}

export async function updateCampaign(db: Executor, tenantId: string, id: string, changes: Partial<NewCampaignRow>): Promise<void> {
  await db
    .update(campaigns)
    .set({ ...changes, version: sql`${campaigns.version} + 1`, updatedAt: new Date() })
    .where(and(eq(campaigns.tenantId, tenantId), eq(campaigns.id, id)));
}

/** Mirrors a status the campaign's runner reached on its own (completed, paused by an error); no version bump. */
export async function syncCampaignStatus(db: Executor, tenantId: string, id: string, status: CampaignStatus, finishedAt: Date | null): Promise<void> {
  await db
    .update(campaigns)
    .set({ status, ...(finishedAt ? { finishedAt } : {}) })
    .where(and(eq(campaigns.tenantId, tenantId), eq(campaigns.id, id)));
}

export async function deleteCampaign(db: Executor, tenantId: string, id: string): Promise<void> {
  await db.delete(campaigns).where(and(eq(campaigns.tenantId, tenantId), eq(campaigns.id, id)));
}

/** The campaigns whose runner may still dial: told at once of numbers put on the do-not-call list. */
export async function openCampaignIds(db: Executor, tenantId: string): Promise<string[]> {
  const rows = await db
    .select({ id: campaigns.id })
    .from(campaigns)
    .where(and(eq(campaigns.tenantId, tenantId), inArray(campaigns.status, ["draft", "running", "paused"])));
  return rows.map((r) => r.id);
}

/** How many of the target's agents could take a call: enabled members of the (enabled) group, or the agent itself. */
export async function targetAgents(db: Executor, tenantId: string, target: { type: "agent" | "group"; id: string }): Promise<{ exists: boolean; enabled: boolean; agents: number }> {
  if (target.type === "agent") {
    const [agent] = await db
      .select({ enabled: voiceAgents.enabled })
      .from(voiceAgents)
      .where(and(eq(voiceAgents.tenantId, tenantId), eq(voiceAgents.id, target.id)));
    return { exists: Boolean(agent), enabled: agent?.enabled ?? false, agents: agent?.enabled ? 1 : 0 };
  }
  const [group] = await db
    .select({ enabled: agentGroups.enabled })
    .from(agentGroups)
    .where(and(eq(agentGroups.tenantId, tenantId), eq(agentGroups.id, target.id)));
  if (!group) return { exists: false, enabled: false, agents: 0 };
  const [count] = await db
    .select({ n: sql<number>`COUNT(*)` })
    .from(agentGroupMembers)
    .innerJoin(voiceAgents, eq(voiceAgents.id, agentGroupMembers.agentId))
    .where(and(eq(agentGroupMembers.tenantId, tenantId), eq(agentGroupMembers.groupId, target.id), eq(voiceAgents.enabled, true)));
  return { exists: true, enabled: group.enabled, agents: Number(count?.n ?? 0) };
}

/**
 * The provider accounts of the target's enabled agents (each once, with its cap), when every one
 * of them has an account; null when one has none (nothing but the campaign's limits caps its
 * calls) or when no agent is enabled.
 */
export async function targetAccounts(db: Executor, tenantId: string, target: { type: "agent" | "group"; id: string }): Promise<TargetAccount[] | null> {
  const agents = db
    .select({ agentId: voiceAgents.id, accountId: voiceAgents.providerAccountId, cap: providerAccounts.maxConcurrentCalls })
    .from(voiceAgents)
    .leftJoin(providerAccounts, and(eq(providerAccounts.id, voiceAgents.providerAccountId), eq(providerAccounts.tenantId, tenantId)));
  const rows =
    target.type === "agent"
      ? await agents.where(and(eq(voiceAgents.tenantId, tenantId), eq(voiceAgents.id, target.id), eq(voiceAgents.enabled, true)))
      : await agents.innerJoin(agentGroupMembers, eq(agentGroupMembers.agentId, voiceAgents.id)).where(and(eq(agentGroupMembers.tenantId, tenantId), eq(agentGroupMembers.groupId, target.id), eq(voiceAgents.enabled, true)));
  if (!rows.length || rows.some((r) => r.accountId === null || r.cap === null)) return null;
  const accounts = new Map(rows.map((r) => [r.accountId!, r.cap!]));
  return [...accounts].map(([id, cap]) => ({ id, cap })).sort((a, b) => a.id.localeCompare(b.id));
}

/** The campaigns MySQL knows to be under way (their runners may dial): told of changes to their target's accounts. */
export async function runningCampaigns(db: Executor, tenantId: string): Promise<CampaignRow[]> {
  return db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.tenantId, tenantId), inArray(campaigns.status, ["running", "paused"])));
}

// --- do-not-call -------------------------------------------------------------------------

/** Which of `numbers` are on the tenant's list, asked 1,000 at a time. */
export async function doNotCallAmong(db: Executor, tenantId: string, numbers: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < numbers.length; i += 1_000) {
    const chunk = numbers.slice(i, i + 1_000);
    const rows = await db
      .select({ number: doNotCall.number })
      .from(doNotCall)
      .where(and(eq(doNotCall.tenantId, tenantId), inArray(doNotCall.number, chunk)));
    for (const row of rows) found.add(row.number);
  }
  return found;
}

export async function removeDoNotCall(db: Executor, tenantId: string, number: string): Promise<boolean> {
  const [result] = await db.delete(doNotCall).where(and(eq(doNotCall.tenantId, tenantId), eq(doNotCall.number, number)));
  return ((result as unknown as { affectedRows?: number }).affectedRows ?? 0) > 0;
}

const DNC_SORTS = { number: doNotCall.number, createdAt: doNotCall.createdAt } as const;

export async function listDoNotCall(db: Executor, tenantId: string, filters: { q?: string | undefined }, page: PageRequest & { sort: keyof typeof DNC_SORTS }) {
  const conditions: (SQL | undefined)[] = [eq(doNotCall.tenantId, tenantId)];
  if (filters.q) {
    const digits = filters.q.replace(/[^0-9]/g, "");
    conditions.push(or(like(doNotCall.number, `+${digits}%`), like(doNotCall.number, `${digits}%`)));
  }
  const query = keysetQuery(page, { sortColumn: DNC_SORTS[page.sort], idColumn: doNotCall.number });
  conditions.push(query.where);
  const rows = await db
    .select()
    .from(doNotCall)
    .where(and(...conditions))
    .orderBy(...query.orderBy)
    .limit(query.take);
  return pageOf(rows, page, (row) => ({ value: row[page.sort], id: row.number }));
}
