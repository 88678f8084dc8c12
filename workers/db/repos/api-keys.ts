import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import { affectedRows, type Executor } from "../executor";
import { apiKeys, tenants } from "../schema";

export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type NewApiKeyRow = typeof apiKeys.$inferInsert;

/** At most this many keys per tenant, revoked ones included (delete them to make room). */
export const MAX_API_KEYS = 100;

export async function insertApiKey(db: Executor, row: NewApiKeyRow): Promise<void> {
  await db.insert(apiKeys).values(row);
}

export async function countApiKeys(db: Executor, tenantId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(apiKeys).where(eq(apiKeys.tenantId, tenantId));
  return Number(row?.n ?? 0);
}

/** Every key of the tenant, newest first (at most MAX_API_KEYS, so no paging). */
export async function listApiKeys(db: Executor, tenantId: string): Promise<ApiKeyRow[]> {
  return db.select().from(apiKeys).where(eq(apiKeys.tenantId, tenantId)).orderBy(desc(apiKeys.createdAt), desc(apiKeys.id)).limit(MAX_API_KEYS);
}

export async function findApiKey(db: Executor, tenantId: string, id: string, opts: { forUpdate?: boolean } = {}): Promise<ApiKeyRow | null> {
  const query = db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id)))
    .limit(1);
  const [row] = opts.forUpdate ? await query.for("update") : await query;
  return row ?? null;
}

/**
 * The key with this hash and its tenant's name, for per-request authentication (one indexed
 * query); null when there is none, or it is revoked or expired, so it fails the very next request.
 */
export async function findUsableApiKey(db: Executor, keyHash: string, now = new Date()) {
  const [row] = await db
    .select({
      id: apiKeys.id,
      tenantId: apiKeys.tenantId,
      name: apiKeys.name,
      role: apiKeys.role,
      expiresAt: apiKeys.expiresAt,
      revokedAt: apiKeys.revokedAt,
      lastUsedAt: apiKeys.lastUsedAt,
      tenantName: tenants.name,
    })
    .from(apiKeys)
    .innerJoin(tenants, eq(tenants.id, apiKeys.tenantId))
    .where(eq(apiKeys.keyHash, keyHash))
    .limit(1);
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) return null;
  return row;
}

/**
 * Records a use, at most once per `everyMs` per key: the condition is in the UPDATE, so
 * concurrent requests of one key write the row once between them.
 */
export async function touchApiKey(db: Executor, id: string, now: Date, everyMs: number): Promise<boolean> {
  const result = await db
    .update(apiKeys)
    .set({ lastUsedAt: now })
    .where(and(eq(apiKeys.id, id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, new Date(now.getTime() - everyMs)))));
  return affectedRows(result) > 0;
}

/** Revokes the key now; false when it was already revoked. */
export async function revokeApiKey(db: Executor, tenantId: string, id: string, now = new Date()): Promise<boolean> {
  const result = await db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)));
  return affectedRows(result) > 0;
}

export async function deleteApiKey(db: Executor, tenantId: string, id: string): Promise<void> {
  await db.delete(apiKeys).where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id)));
}
