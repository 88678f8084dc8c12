import { and, eq, inArray, like, or, sql, type SQL } from "drizzle-orm";
import type { Executor } from "../executor";
import { outboundRoutingRules, trunks } from "../schema";
import { keysetQuery, pageOf, type PageRequest } from "../../lib/pagination";
import { likeEscape } from "../../schemas/common";

export type TrunkRow = typeof trunks.$inferSelect;
export type NewTrunkRow = typeof trunks.$inferInsert;
export type OutboundRow = typeof outboundRoutingRules.$inferSelect;
export type NewOutboundRow = typeof outboundRoutingRules.$inferInsert;

const TRUNK_SORTS = { name: trunks.name, createdAt: trunks.createdAt, updatedAt: trunks.updatedAt } as const;

export async function listTrunks(db: Executor, tenantId: string, filters: { q?: string | undefined; enabled?: boolean | undefined }, page: PageRequest & { sort: keyof typeof TRUNK_SORTS }) {
  const conditions: (SQL | undefined)[] = [eq(trunks.tenantId, tenantId)];
  if (filters.enabled !== undefined) conditions.push(eq(trunks.enabled, filters.enabled));
  if (filters.q) {
    const text = `%${likeEscape(filters.q)}%`;
    conditions.push(or(like(trunks.name, text), like(trunks.description, text)));
  }
  const query = keysetQuery(page, { sortColumn: TRUNK_SORTS[page.sort], idColumn: trunks.id });
  conditions.push(query.where);
  const rows = await db
    .select()
    .from(trunks)
    .where(and(...conditions))
    .orderBy(...query.orderBy)
    .limit(query.take);
  return pageOf(rows, page, (row) => ({ value: row[page.sort], id: row.id }));
}

export async function findTrunk(db: Executor, tenantId: string, id: string, opts: { forUpdate?: boolean } = {}): Promise<TrunkRow | null> {
  const query = db
    .select()
    .from(trunks)
    .where(and(eq(trunks.tenantId, tenantId), eq(trunks.id, id)))
    .limit(1);
  const [row] = opts.forUpdate ? await query.for("update") : await query;
  return row ?? null;
}

/**
 * The tenant's trunks among `ids`, locked: a trunk cannot be deleted while a rule that is
 * being saved points at it.
 */
export async function lockTrunks(db: Executor, tenantId: string, ids: string[]): Promise<TrunkRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(trunks)
    .where(and(eq(trunks.tenantId, tenantId), inArray(trunks.id, ids)))
    .for("update");
}

export async function insertTrunk(db: Executor, row: NewTrunkRow): Promise<void> {
  await db.insert(trunks).values(row);
}

export async function updateTrunk(db: Executor, tenantId: string, id: string, changes: Partial<NewTrunkRow>): Promise<void> {
  await db
    .update(trunks)
    .set({ ...changes, version: sql`${trunks.version} + 1`, updatedAt: new Date() })
    .where(and(eq(trunks.tenantId, tenantId), eq(trunks.id, id)));
}

export async function deleteTrunk(db: Executor, tenantId: string, id: string): Promise<void> {
  await db.delete(trunks).where(and(eq(trunks.tenantId, tenantId), eq(trunks.id, id)));
}

// --- outbound rules -----------------------------------------------------------------------

const OUTBOUND_SORTS = {
  destinationPrefix: outboundRoutingRules.destinationPrefix,
  priority: outboundRoutingRules.priority,
  name: outboundRoutingRules.name,
  createdAt: outboundRoutingRules.createdAt,
  updatedAt: outboundRoutingRules.updatedAt,
} as const;

export async function listOutbound(db: Executor, tenantId: string, filters: { q?: string | undefined; enabled?: boolean | undefined; trunkId?: string | undefined }, page: PageRequest & { sort: keyof typeof OUTBOUND_SORTS }) {
  const conditions: (SQL | undefined)[] = [eq(outboundRoutingRules.tenantId, tenantId)];
  if (filters.enabled !== undefined) conditions.push(eq(outboundRoutingRules.enabled, filters.enabled));
  if (filters.trunkId) conditions.push(sql`JSON_CONTAINS(${outboundRoutingRules.trunkIds}, ${JSON.stringify(filters.trunkId)})`);
  if (filters.q) {
    const digits = filters.q.replace(/[^0-9]/g, "");
    const byName = like(outboundRoutingRules.name, `%${likeEscape(filters.q)}%`);
    conditions.push(digits ? or(byName, like(outboundRoutingRules.destinationPrefix, `${digits}%`)) : byName);
  }
  const query = keysetQuery(page, { sortColumn: OUTBOUND_SORTS[page.sort], idColumn: outboundRoutingRules.id });
  conditions.push(query.where);
  const rows = await db
    .select()
    .from(outboundRoutingRules)
    .where(and(...conditions))
    .orderBy(...query.orderBy)
    .limit(query.take);
  return pageOf(rows, page, (row) => ({ value: row[page.sort], id: row.id }));
}

export async function findOutbound(db: Executor, tenantId: string, id: string, opts: { forUpdate?: boolean } = {}): Promise<OutboundRow | null> {
  const query = db
    .select()
    .from(outboundRoutingRules)
    .where(and(eq(outboundRoutingRules.tenantId, tenantId), eq(outboundRoutingRules.id, id)))
    .limit(1);
  const [row] = opts.forUpdate ? await query.for("update") : await query;
  return row ?? null;
}

/**
 * The tenant's outbound rules for one destination prefix, for the conflict check of a save
 * about to write one. Locked until the transaction ends (the rows, and the index gap where a
 * new one would go), so two identical rules saved at once cannot both pass: the second waits,
 * or loses a deadlock and is retried, and then sees the first.
 */
export async function outboundWithPrefix(db: Executor, tenantId: string, prefix: string): Promise<OutboundRow[]> {
  return db
    .select()
    .from(outboundRoutingRules)
    .where(and(eq(outboundRoutingRules.tenantId, tenantId), eq(outboundRoutingRules.destinationPrefix, prefix)))
    .for("update");
}

export async function insertOutbound(db: Executor, row: NewOutboundRow): Promise<void> {
  await db.insert(outboundRoutingRules).values(row);
}

export async function updateOutbound(db: Executor, tenantId: string, id: string, changes: Partial<NewOutboundRow>): Promise<void> {
  await db
    .update(outboundRoutingRules)
    .set({ ...changes, version: sql`${outboundRoutingRules.version} + 1`, updatedAt: new Date() })
    .where(and(eq(outboundRoutingRules.tenantId, tenantId), eq(outboundRoutingRules.id, id)));
}

export async function deleteOutbound(db: Executor, tenantId: string, id: string): Promise<void> {
  await db.delete(outboundRoutingRules).where(and(eq(outboundRoutingRules.tenantId, tenantId), eq(outboundRoutingRules.id, id)));
}
