import { sign, verify } from "hono/jwt";

/** Access tokens live one hour; `POST /api/auth/refresh` extends a session up to 12 hours. */
export const ACCESS_TOKEN_TTL_SECONDS = 3_600;
export const SESSION_MAX_AGE_SECONDS = 12 * 3_600;
const ISSUER = "cloudonix-agent-router";

export interface AccessClaims {
  /** User id. */
  sub: string;
  /** Session id (auth_sessions.id): the row logout revokes. */
  sid: string;
  /** Tenant id. */
  tid: string;
  iat: number;
  exp: number;
  /** When the user typed the password (epoch seconds); refresh never moves it. */
  authTime: number;
}

/** HS256-signed JWT. The signature proves who issued it; the session row decides if it still counts. */
export function signAccessToken(claims: AccessClaims, key: string): Promise<string> {
  return sign({ ...claims, iss: ISSUER }, key, "HS256");
}

/** The claims of a well-formed, correctly signed, unexpired token, else null. */
export async function verifyAccessToken(token: string, key: string): Promise<AccessClaims | null> {
  try {
    const payload = await verify(token, key, { alg: "HS256", iss: ISSUER });
    const { sub, sid, tid, iat, exp, authTime } = payload as Record<string, unknown>;
    if (typeof sub !== "string" || typeof sid !== "string" || typeof tid !== "string") return null;
    if (typeof iat !== "number" || typeof exp !== "number" || typeof authTime !== "number") return null;
    return { sub, sid, tid, iat, exp, authTime };
  } catch {
    return null;
  }
}
