import { and, eq, like, or, sql, type SQL } from "drizzle-orm";
import type { Executor } from "../executor";
import { users } from "../schema";
import { keysetQuery, pageOf, type PageRequest } from "../../lib/pagination";
import { likeEscape } from "../../schemas/common";

export type UserRow = typeof users.$inferSelect;
export type NewUserRow = typeof users.$inferInsert;

/** Emails are unique across tenants, so sign-in needs only the email. */
export async function findUserByEmail(db: Executor, email: string): Promise<UserRow | null> {
  const [row] = await db.select().from(users).where(eq(users.email, email.toLowerCase())).limit(1);
  return row ?? null;
}

export async function findUser(db: Executor, tenantId: string, id: string, opts: { forUpdate?: boolean } = {}): Promise<UserRow | null> {
  const query = db
    .select()
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.id, id)))
    .limit(1);
  const [row] = opts.forUpdate ? await query.for("update") : await query;
  return row ?? null;
}

const SORT_COLUMNS = { email: users.email, name: users.name, createdAt: users.createdAt } as const;

export interface UserFilters {
  q?: string | undefined;
  role?: "admin" | "user" | undefined;
  disabled?: boolean | undefined;
}

export async function listUsers(db: Executor, tenantId: string, filters: UserFilters, page: PageRequest & { sort: keyof typeof SORT_COLUMNS }) {
  const conditions: (SQL | undefined)[] = [eq(users.tenantId, tenantId)];
  if (filters.role) conditions.push(eq(users.role, filters.role));
  if (filters.disabled !== undefined) conditions.push(eq(users.disabled, filters.disabled));
  if (filters.q) {
    const text = `%${likeEscape(filters.q)}%`;
    conditions.push(or(like(users.email, text), like(users.name, text)));
  }
  const query = keysetQuery(page, { sortColumn: SORT_COLUMNS[page.sort], idColumn: users.id });
  conditions.push(query.where);
  const rows = await db
    .select()
    .from(users)
    .where(and(...conditions))
    .orderBy(...query.orderBy)
    .limit(query.take);
  return pageOf(rows, page, (row) => ({ value: row[page.sort], id: row.id }));
}

export async function insertUser(db: Executor, row: NewUserRow): Promise<void> {
  await db.insert(users).values(row);
}

export async function updateUser(db: Executor, tenantId: string, id: string, changes: Partial<NewUserRow>): Promise<void> {
  await db
    .update(users)
    .set({ ...changes, version: sql`${users.version} + 1`, updatedAt: new Date() })
    .where(and(eq(users.tenantId, tenantId), eq(users.id, id)));
}

export async function deleteUser(db: Executor, tenantId: string, id: string): Promise<void> {
  await db.delete(users).where(and(eq(users.tenantId, tenantId), eq(users.id, id)));
}

export async function recordLogin(db: Executor, id: string): Promise<void> {
  await db.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, id));
}

/**
 * The ids of the tenant's active admins, locked until the transaction ends: two admins
 * demoting each other at the same moment are serialised, so one admin always remains.
 */
export async function lockActiveAdmins(db: Executor, tenantId: string): Promise<string[]> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.role, "admin"), eq(users.disabled, false)))
    .orderBy(users.id)
    .for("update");
  return rows.map((row) => row.id);
}
