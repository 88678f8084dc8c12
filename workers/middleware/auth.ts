import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { findActiveSession } from "../db/repos/auth-sessions";
import type { Services } from "../services";
import { AppError, forbidden } from "../lib/errors";
import { verifyAccessToken } from "../lib/tokens";
import { isApiKeyToken } from "../lib/api-keys";
import { setLogContext } from "../lib/log";
import { authenticateApiKey } from "./api-key-auth";

export type Role = "admin" | "user";

interface AuthBase {
  tenantId: string;
  role: Role;
  tenantName: string;
}

/** A signed-in user, by an access token of a live session. */
export interface UserAuth extends AuthBase {
  kind: "user";
  userId: string;
  email: string;
  name: string;
  sessionId: string;
  sessionExpiresAt: Date;
  /** When the user signed in with a password (epoch seconds). */
  authTime: number;
}

/** A tenant API key (automation): its own actor, no user and no session behind it. */
export interface ApiKeyAuth extends AuthBase {
  kind: "api_key";
  keyId: string;
  keyName: string;
}

/** Who is calling; set by requireAuth as c.get("auth"). */
export type AuthContext = UserAuth | ApiKeyAuth;

export const unauthenticated = (message: string) => new AppError(401, "UNAUTHENTICATED", message, undefined, { "WWW-Authenticate": 'Bearer realm="api"' });

export function bearerToken(header: string | undefined): string | null {
  const match = header ? /^Bearer[ ]+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header) : null;
  return match?.[1] ?? null;
}

/**
 * Checks an access token: its signature and expiry, then its session row (one query), so a
 * logout, a disabled user or a role change counts from the very next request. Usable outside
 * HTTP middleware, e.g. for a WebSocket upgrade that carries the token another way.
 */
export async function authenticateToken(services: Services, token: string): Promise<UserAuth> {
  const claims = await verifyAccessToken(token, services.env.TOKEN_SIGNING_KEY);
  if (!claims) throw unauthenticated("The access token is invalid or has expired; sign in again");
  const session = await findActiveSession(await services.db(), claims.sid);
  if (!session || session.userId !== claims.sub || session.tenantId !== claims.tid) {
    throw unauthenticated("This session has ended (signed out, expired, or the user was disabled); sign in again");
  }
  return {
    kind: "user",
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

/**
 * 401 unless the request carries `Authorization: Bearer <token>` of a live session, or of a
 * live API key (api-key-auth.ts: rate-limited per key, its last use recorded).
 */
export const requireAuth = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearerToken(c.req.header("authorization"));
  if (!token) throw unauthenticated("Sign in first: send Authorization: Bearer <token> (POST /api/auth/login returns one) or an API key");
  const auth = isApiKeyToken(token) ? await authenticateApiKey(c, token) : await authenticateToken(c.get("services"), token);
  c.set("auth", auth);
  setLogContext({ tenantId: auth.tenantId });
  await next();
});

/**
 * For what only a signed-in user has (their session, password, live connections): an API key
 * gets 403 naming why.
 */
export function userAuth(c: Context<AppEnv>): UserAuth {
  const auth = c.get("auth");
  if (auth.kind !== "user") throw new AppError(403, "API_KEY_NOT_ALLOWED", "This endpoint is for a signed-in user's own session; an API key cannot use it");
  return auth;
}

const READS = new Set(["GET", "HEAD", "OPTIONS"]);

/** For a configuration router: every signed-in user reads, only admins write. Use after requireAuth. */
export const adminWrites = createMiddleware<AppEnv>(async (c, next) => {
  if (!READS.has(c.req.method) && c.get("auth").role !== "admin") {
    throw forbidden("Only an admin of this tenant may change configuration; your role is read-only");
  }
  await next();
});
