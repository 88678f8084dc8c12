import { and, count, eq, inArray, like, or, sql, type SQL } from "drizzle-orm";
import type { Executor } from "../executor";
import { providerAccounts, voiceAgents } from "../schema";
import { keysetQuery, pageOf, type PageRequest } from "../../lib/pagination";
import { likeEscape } from "../../schemas/common";
import { AppError } from "../../lib/errors";

export type ProviderAccountRow = typeof providerAccounts.$inferSelect;
export type NewProviderAccountRow = typeof providerAccounts.$inferInsert;

const SORTS = { name: providerAccounts.name, createdAt: providerAccounts.createdAt, updatedAt: providerAccounts.updatedAt } as const;

export async function listProviderAccounts(db: Executor, tenantId: string, filters: { q?: string | undefined }, page: PageRequest & { sort: keyof typeof SORTS }) {
  const conditions: (SQL | undefined)[] = [eq(providerAccounts.tenantId, tenantId)];
  if (filters.q) {
    const text = `%${likeEscape(filters.q)}%`;
    conditions.push(or(like(providerAccounts.name, text), like(providerAccounts.description, text)));
  }
  const query = keysetQuery(page, { sortColumn: SORTS[page.sort], idColumn: providerAccounts.id });
  conditions.push(query.where);
  const rows = await db
    .select()
    .from(providerAccounts)
    .where(and(...conditions))
    .orderBy(...query.orderBy)
    .limit(query.take);
  return pageOf(rows, page, (row) => ({ value: row[page.sort], id: row.id }));
}

export async function findProviderAccount(db: Executor, tenantId: string, id: string, opts: { forUpdate?: boolean } = {}): Promise<ProviderAccountRow | null> {
  const query = db
    .select()
    .from(providerAccounts)
    .where(and(eq(providerAccounts.tenantId, tenantId), eq(providerAccounts.id, id)))
    .limit(1);
  const [row] = opts.forUpdate ? await query.for("update") : await query;
  return row ?? null;
}

/** How many agents each account has. */
export async function agentCounts(db: Executor, tenantId: string, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: voiceAgents.providerAccountId, n: count() })
    .from(voiceAgents)
    .where(and(eq(voiceAgents.tenantId, tenantId), inArray(voiceAgents.providerAccountId, ids)))
    .groupBy(voiceAgents.providerAccountId);
  return new Map(rows.map((row) => [row.id!, Number(row.n)]));
}

export async function insertProviderAccount(db: Executor, row: NewProviderAccountRow): Promise<void> {
  await db.insert(providerAccounts).values(row);
}

export async function updateProviderAccount(db: Executor, tenantId: string, id: string, changes: Partial<NewProviderAccountRow>): Promise<void> {
  await db
    .update(providerAccounts)
    .set({ ...changes, version: sql`${providerAccounts.version} + 1`, updatedAt: new Date() })
    .where(and(eq(providerAccounts.tenantId, tenantId), eq(providerAccounts.id, id)));
}

export async function deleteProviderAccount(db: Executor, tenantId: string, id: string): Promise<void> {
  await db.delete(providerAccounts).where(and(eq(providerAccounts.tenantId, tenantId), eq(providerAccounts.id, id)));
}

/**
 * An agent's account must be the tenant's; locked until the transaction ends, so the account
 * cannot be deleted while an agent that is being saved points at it.
 */
export async function assertProviderAccountExists(db: Executor, tenantId: string, id: string, field: string): Promise<void> {
  const [row] = await db
    .select({ id: providerAccounts.id })
    .from(providerAccounts)
    .where(and(eq(providerAccounts.tenantId, tenantId), eq(providerAccounts.id, id)))
    .for("update");
  if (!row) throw new AppError(404, "NOT_FOUND", `Provider account ${id} not found in this tenant (${field})`, { field, missing: [id] });
}

/** 409 IN_USE naming the agents (at most 20) while any is assigned to the account. */
export async function assertProviderAccountUnused(db: Executor, tenantId: string, id: string): Promise<void> {
  const agents = await db
    .select({ id: voiceAgents.id, name: voiceAgents.name })
    .from(voiceAgents)
    .where(and(eq(voiceAgents.tenantId, tenantId), eq(voiceAgents.providerAccountId, id)))
    .limit(20)
    .for("update");
  if (agents.length > 0) {
    throw new AppError(409, "IN_USE", `The provider account is assigned to ${agents.length === 20 ? "20 or more agents" : `${agents.length} agent${agents.length > 1 ? "s" : ""}`} (${agents.map((a) => a.name).join(", ")}); assign them elsewhere first`, {
      agents,
    });
  }
}
