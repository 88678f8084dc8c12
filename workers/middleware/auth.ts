import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { findActiveSession } from "../db/repos/auth-sessions";
import type { Services } from "../services";
import { AppError, forbidden } from "../lib/errors";
import { verifyAccessToken } from "../lib/tokens";

export type Role = "admin" | "user";

/** Who is calling; set by requireAuth as c.get("auth"). */
export interface AuthContext {
  userId: string;
  tenantId: string;
  role: Role;
  email: string;
  name: string;
  tenantName: string;
  sessionId: string;
  sessionExpiresAt: Date;
  /** When the user signed in with a password (epoch seconds). */
  authTime: number;
}

const unauthenticated = (message: string) => new AppError(401, "UNAUTHENTICATED", message, undefined, { "WWW-Authenticate": 'Bearer realm="api"' });

export function bearerToken(header: string | undefined): string | null {
  const match = header ? /^Bearer[ ]+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header) : null;
  return match?.[1] ?? null;
}

/**
 * Checks an access token: its signature and expiry, then its session row (one query), so a
 * logout, a disabled user or a role change counts from the very next request. Usable outside
 * HTTP middleware, e.g. for a WebSocket upgrade that carries the token another way.
 */
export async function authenticateToken(services: Services, token: string): Promise<AuthContext> {
  const claims = await verifyAccessToken(token, services.env.TOKEN_SIGNING_KEY);
  if (!claims) throw unauthenticated("The access token is invalid or has expired; sign in again");
  const session = await findActiveSession(await services.db(), claims.sid);
  if (!session || session.userId !== claims.sub || session.tenantId !== claims.tid) {
    throw unauthenticated("This session has ended (signed out, expired, or the user was disabled); sign in again");
  }
  return {
    userId: session.userId,
    tenantId: session.tenantId,
    role: session.role,
    email: session.email,
    name: session.name,
    tenantName: session.tenantName,
    sessionId: session.sessionId,
    sessionExpiresAt: session.expiresAt,
    authTime: claims.authTime,
  };
}

/** 401 unless the request carries `Authorization: Bearer <token>` of a live session. */
export const requireAuth = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearerToken(c.req.header("authorization"));
  if (!token) throw unauthenticated("Sign in first: send Authorization: Bearer <token> (POST /api/auth/login returns one)");
  c.set("auth", await authenticateToken(c.get("services"), token));
  await next();
});

const READS = new Set(["GET", "HEAD", "OPTIONS"]);

/** For a configuration router: every signed-in user reads, only admins write. Use after requireAuth. */
export const adminWrites = createMiddleware<AppEnv>(async (c, next) => {
  if (!READS.has(c.req.method) && c.get("auth").role !== "admin") {
    throw forbidden("Only an admin of this tenant may change configuration; your role is read-only");
  }
  await next();
});
