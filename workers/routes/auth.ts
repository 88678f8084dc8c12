import { Hono } from "hono";
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { insertAudit } from "../db/repos/audit-log";
import { insertSession, revokeSession, revokeUserSessions } from "../db/repos/auth-sessions";
import { findTenant } from "../db/repos/tenants";
import { findUser, findUserByEmail, recordLogin, updateUser, type UserRow } from "../db/repos/users";
import type { Executor } from "../db/executor";
import { requireAuth, userAuth } from "../middleware/auth";
import { apiRoutes } from "../openapi/declare";
import { auditContext } from "../lib/change";
import { clientIp } from "../lib/client-ip";
import { AppError } from "../lib/errors";
import { randomToken } from "../lib/ids";
import { countLoginAttempt, loginSucceeded } from "../lib/login-throttle";
import { hashPassword, verifyPassword } from "../lib/passwords";
import { attemptCounter } from "../lib/rate-limit";
import { ACCESS_TOKEN_TTL_SECONDS, SESSION_MAX_AGE_SECONDS, signAccessToken } from "../lib/tokens";
import { ChangePasswordBody, LoginBody, LogoutBody, MeResponse, TokenResponse } from "../schemas/users";
import { closeLiveSockets } from "../realtime/close-sockets";

const route = apiRoutes("Authentication");

/** Verifying against a throw-away hash when the email is unknown keeps both paths equally slow. */
let decoyHash: Promise<string> | undefined;

const invalidCredentials = () => new AppError(401, "INVALID_CREDENTIALS", "The email or password is not correct");

async function issueToken(c: Context<AppEnv>, db: Executor, user: UserRow, tenantName: string, authTime: number) {
  const now = Math.floor(Date.now() / 1000);
  const exp = Math.min(now + ACCESS_TOKEN_TTL_SECONDS, authTime + SESSION_MAX_AGE_SECONDS);
  const sessionId = randomToken(24);
  await insertSession(db, {
    id: sessionId,
    userId: user.id,
    tenantId: user.tenantId,
    expiresAt: new Date(exp * 1000),
    ip: clientIp(c),
    userAgent: c.req.header("user-agent")?.slice(0, 300) ?? null,
  });
  const token = await signAccessToken({ sub: user.id, sid: sessionId, tid: user.tenantId, iat: now, exp, authTime }, c.env.TOKEN_SIGNING_KEY);
  return {
    token,
    tokenType: "Bearer" as const,
    expiresAt: new Date(exp * 1000).toISOString(),
    user: { id: user.id, email: user.email, name: user.name, role: user.role },
    tenant: { id: user.tenantId, name: tenantName },
  };
}

export const auth = new Hono<AppEnv>()
  .post("/login", route("Sign in with email and password", { auth: "none", body: LoginBody, response: TokenResponse, errors: [429], description: "Failed sign-ins are throttled per account and per client address (429 with Retry-After)." }), async (c) => {
    const { email, password } = c.req.valid("json");
    const services = c.get("services");
    const counter = attemptCounter(services.redis, services.config.upstash?.url);
    const ip = clientIp(c);
    await countLoginAttempt(counter, email, ip);

    const db = await services.db();
    const user = await findUserByEmail(db, email);
    const ok = user ? await verifyPassword(password, user.passwordHash) : await verifyPassword(password, await (decoyHash ??= hashPassword(randomToken())));
    const audit = user ? { tenantId: user.tenantId, actor: { userId: user.id, email: user.email }, ip } : null;
    if (!user || !ok) {
      if (audit) await insertAudit(db, audit, [{ action: "auth.login_failed", entityType: "user", entityId: user!.id }]);
      throw invalidCredentials();
    }
    await loginSucceeded(counter, email, ip);
    if (user.disabled) throw new AppError(401, "ACCOUNT_DISABLED", "This account is disabled; ask an admin of your tenant to enable it");
    const tenant = await findTenant(db, user.tenantId);
    const body = await issueToken(c, db, user, tenant?.name ?? "", Math.floor(Date.now() / 1000));
    await recordLogin(db, user.id);
    await insertAudit(db, audit!, [{ action: "auth.login", entityType: "user", entityId: user.id }]);
    return c.json(body);
  })
  .use(requireAuth)
  .post("/logout", route('Sign out: the token stops working at once ({"allSessions": true} ends every session of the user)', { body: LogoutBody.optional(), bodyType: "application/json" }), async (c) => {
    const { allSessions } = c.req.valid("json");
    const db = await c.get("services").db();
    const auth = userAuth(c);
    if (allSessions) await revokeUserSessions(db, auth.userId);
    else await revokeSession(db, auth.sessionId);
    closeLiveSockets(c, auth.tenantId, allSessions ? { userId: auth.userId } : { sessionId: auth.sessionId }, "signed_out");
    await insertAudit(db, auditContext(c), [{ action: "auth.logout", entityType: "user", entityId: auth.userId }]);
    return c.body(null, 204);
  })
  .get("/user", route("The signed-in user, their role and tenant", { response: MeResponse }), (c) => {
    const auth = userAuth(c);
    return c.json({
      user: { id: auth.userId, email: auth.email, name: auth.name, role: auth.role },
      role: auth.role,
      tenant: { id: auth.tenantId, name: auth.tenantName },
      session: { id: auth.sessionId, expiresAt: auth.sessionExpiresAt.toISOString() },
    });
  })
  .post("/refresh", route("Exchange a live token for a fresh one (sessions last at most 12 hours from sign-in)", { response: TokenResponse }), async (c) => {
    const auth = userAuth(c);
    if (Date.now() / 1000 >= auth.authTime + SESSION_MAX_AGE_SECONDS - 60) {
      throw new AppError(401, "SESSION_TOO_OLD", "This session is 12 hours old; sign in again with your password");
    }
    const db = await c.get("services").db();
    const user = await findUser(db, auth.tenantId, auth.userId);
    if (!user) throw invalidCredentials();
    const body = await issueToken(c, db, user, auth.tenantName, auth.authTime);
    await revokeSession(db, auth.sessionId);
    return c.json(body);
  })
  .post("/password", route("Change your own password (ends your other sessions)", { body: ChangePasswordBody, errors: [403] }), async (c) => {
    const { currentPassword, newPassword } = c.req.valid("json");
    const auth = userAuth(c);
    const db = await c.get("services").db();
    const user = await findUser(db, auth.tenantId, auth.userId);
    if (!user || !(await verifyPassword(currentPassword, user.passwordHash))) {
      throw new AppError(403, "WRONG_PASSWORD", "The current password is not correct");
    }
    await updateUser(db, auth.tenantId, auth.userId, { passwordHash: await hashPassword(newPassword) });
    await revokeUserSessions(db, auth.userId, auth.sessionId);
    closeLiveSockets(c, auth.tenantId, { userId: auth.userId, exceptSessionId: auth.sessionId }, "revoked");
    await insertAudit(db, auditContext(c), [{ action: "user.password_changed", entityType: "user", entityId: auth.userId }]);
    return c.body(null, 204);
  });
