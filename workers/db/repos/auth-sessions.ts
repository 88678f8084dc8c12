import { and, eq, isNull, lt, ne, or } from "drizzle-orm";
import { affectedRows, type Executor } from "../executor";
import { authSessions, tenants, users } from "../schema";

export interface NewSession {
  id: string;
  userId: string;
  tenantId: string;
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
}

export async function insertSession(db: Executor, session: NewSession): Promise<void> {
  await db.insert(authSessions).values(session);
}

/** The session with its user and tenant name, for per-request authentication (one query). */
export async function findActiveSession(db: Executor, sessionId: string, now = new Date()) {
  const [row] = await db
    .select({
      sessionId: authSessions.id,
      expiresAt: authSessions.expiresAt,
      revokedAt: authSessions.revokedAt,
      userId: users.id,
      tenantId: users.tenantId,
      email: users.email,
      name: users.name,
      role: users.role,
      disabled: users.disabled,
      tenantName: tenants.name,
    })
    .from(authSessions)
    .innerJoin(users, eq(users.id, authSessions.userId))
    .innerJoin(tenants, eq(tenants.id, users.tenantId))
    .where(eq(authSessions.id, sessionId))
    .limit(1);
  if (!row || row.revokedAt || row.disabled || row.expiresAt <= now) return null;
  return row;
}

export async function revokeSession(db: Executor, sessionId: string): Promise<void> {
  await db
    .update(authSessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(authSessions.id, sessionId), isNull(authSessions.revokedAt)));
}

/** Disabling a user (or resetting a password) ends every session they hold, at once, except `keep`. */
export async function revokeUserSessions(db: Executor, userId: string, keep?: string): Promise<void> {
  await db
    .update(authSessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(authSessions.userId, userId), isNull(authSessions.revokedAt), keep ? ne(authSessions.id, keep) : undefined));
}

/** Deletes up to `limit` sessions that ended (expired or revoked) more than a day before `now`; returns how many. */
export async function deleteStaleSessions(db: Executor, now: Date, limit: number): Promise<number> {
  const dayAgo = new Date(now.getTime() - 86_400_000);
  const result = await db
    .delete(authSessions)
    .where(or(lt(authSessions.expiresAt, dayAgo), lt(authSessions.revokedAt, dayAgo)))
    .limit(limit);
  return affectedRows(result);
}
