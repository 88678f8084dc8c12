import { eq } from "drizzle-orm";
import { describe, it } from "vitest";
import * as schema from "../../workers/db/schema";
import { call, createTenantFixture, login, randomIp, withDb } from "./helpers/fixtures";

describe("sign-in", () => {
  it("returns a bearer token, the user, role and tenant; GET /api/auth/user answers with them", async ({ expect }) => {
    const t = await createTenantFixture("auth");
    const res = await call(null, "POST", "/api/auth/login", { email: t.admin.email.toUpperCase(), password: t.admin.password }, { "cf-connecting-ip": randomIp() });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tokenType: "Bearer", user: { id: t.admin.id, email: t.admin.email, role: "admin" }, tenant: { id: t.tenantId, name: t.name } });
    const ttl = Date.parse(res.body.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(50 * 60_000);
    expect(ttl).toBeLessThanOrEqual(3_600_000);

    const me = await call(res.body.token, "GET", "/api/auth/user");
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user: { id: t.admin.id, role: "admin" }, role: "admin", tenant: { id: t.tenantId, name: t.name } });
    const viewer = await t.asViewer("GET", "/api/auth/user");
    expect(viewer.body.role).toBe("user");
  });

  it("stores passwords only as salted PBKDF2 hashes", async ({ expect }) => {
    const t = await createTenantFixture("auth");
    const [row] = await withDb((db) => db.select().from(schema.users).where(eq(schema.users.id, t.admin.id)));
    expect(row!.passwordHash).not.toContain(t.admin.password);
    expect(row!.passwordHash).toMatch(/^pbkdf2-sha256\$100000\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    const [viewer] = await withDb((db) => db.select().from(schema.users).where(eq(schema.users.id, t.viewer.id)));
    // Same password, different salt, different hash.
    expect(viewer!.passwordHash).not.toBe(row!.passwordHash);
  });

  it.for([
    ["a wrong password", (t: any) => ({ email: t.admin.email, password: "wrong-password-123" }), 401, "INVALID_CREDENTIALS"],
    ["an unknown email", () => ({ email: `nobody-${crypto.randomUUID()}@example.test`, password: "whatever-123456" }), 401, "INVALID_CREDENTIALS"],
    ["a missing password", (t: any) => ({ email: t.admin.email }), 400, "VALIDATION_FAILED"],
    ["an empty email", () => ({ email: "", password: "x" }), 400, "VALIDATION_FAILED"],
    ["an unknown field", (t: any) => ({ email: t.admin.email, password: "x", remember: true }), 400, "VALIDATION_FAILED"],
  ] as const)("refuses %s", async ([, body, status, code], { expect }) => {
    const t = await createTenantFixture("auth");
    const res = await call(null, "POST", "/api/auth/login", body(t), { "cf-connecting-ip": randomIp() });
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
  });

  it("answers 415 to a body that is not JSON and 400 to malformed JSON", async ({ expect }) => {
    const form = await call(null, "POST", "/api/auth/login", "email=a&password=b", { "content-type": "application/x-www-form-urlencoded" });
    expect(form.status).toBe(415);
    const broken = await call(null, "POST", "/api/auth/login", "{nope", {});
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe("MALFORMED_JSON");
  });

  it("tells a disabled user so, but only with the right password", async ({ expect }) => {
    const t = await createTenantFixture("auth");
    await t.asAdmin("PUT", `/api/users/${t.viewer.id}`, { disabled: true });
    const right = await call(null, "POST", "/api/auth/login", { email: t.viewer.email, password: t.viewer.password }, { "cf-connecting-ip": randomIp() });
    expect(right.status).toBe(401);
    expect(right.body.error.code).toBe("ACCOUNT_DISABLED");
    const wrong = await call(null, "POST", "/api/auth/login", { email: t.viewer.email, password: "not-the-password" }, { "cf-connecting-ip": randomIp() });
    expect(wrong.body.error.code).toBe("INVALID_CREDENTIALS");
  });
});

describe("tokens and sessions", () => {
  it("requires a token on every API route and says how to get one", async ({ expect }) => {
    for (const path of ["/api/auth/user", "/api/users", "/api/voice-agents", "/api/providers"]) {
      const res = await call(null, "GET", path);
      expect(res.status, path).toBe(401);
      expect(res.body.error.code).toBe("UNAUTHENTICATED");
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
  });

  it("refuses forged, tampered and malformed tokens", async ({ expect }) => {
    const t = await createTenantFixture("auth");
    const [header, payload, signature] = t.admin.token.split(".");
    const claims = JSON.parse(atob(payload!.replace(/-/g, "+").replace(/_/g, "/")));
    const forgedPayload = btoa(JSON.stringify({ ...claims, tid: "ten_someone_else" }))
      .replace(/=+$/, "")
      .replace(/\+/g, "-")
      .replace(/\//g, "_");
    for (const token of [`${header}.${forgedPayload}.${signature}`, `${header}.${payload}.${signature!.slice(0, -2)}AA`, "not-a-token", `${header}.${payload}.`]) {
      const res = await call(token, "GET", "/api/auth/user");
      expect(res.status).toBe(401);
    }
  });

  it("logout revokes the token at once, and only that session", async ({ expect }) => {
    const t = await createTenantFixture("auth");
    const second = await login(t.admin.email, t.admin.password);
    const out = await call(t.admin.token, "POST", "/api/auth/logout");
    expect(out.status).toBe(204);
    const after = await call(t.admin.token, "GET", "/api/auth/user");
    expect(after.status).toBe(401);
    expect(after.body.error.message).toMatch(/session has ended/);
    expect((await call(second, "GET", "/api/auth/user")).status).toBe(200);
    const [row] = await withDb((db) => db.select().from(schema.authSessions).where(eq(schema.authSessions.userId, t.admin.id)).orderBy(schema.authSessions.createdAt));
    expect(row!.revokedAt).toBeInstanceOf(Date);
  });

  it("logout with allSessions ends every session of the user", async ({ expect }) => {
    const t = await createTenantFixture("auth");
    const second = await login(t.viewer.email, t.viewer.password);
    expect((await t.asViewer("POST", "/api/auth/logout", { allSessions: true })).status).toBe(204);
    expect((await call(second, "GET", "/api/auth/user")).status).toBe(401);
    expect((await t.asViewer("GET", "/api/auth/user")).status).toBe(401);
    expect((await t.asAdmin("GET", "/api/auth/user")).status).toBe(200);
    expect((await t.asAdmin("POST", "/api/auth/logout", { everywhere: true })).status).toBe(400);
  });

  it("ends a user's sessions when an admin disables them or resets their password", async ({ expect }) => {
    const t = await createTenantFixture("auth");
    expect((await t.asViewer("GET", "/api/auth/user")).status).toBe(200);
    await t.asAdmin("PUT", `/api/users/${t.viewer.id}`, { disabled: true });
    expect((await t.asViewer("GET", "/api/auth/user")).status).toBe(401);
    await t.asAdmin("PUT", `/api/users/${t.viewer.id}`, { disabled: false });
    const token = await login(t.viewer.email, t.viewer.password);
    await t.asAdmin("PUT", `/api/users/${t.viewer.id}`, { password: "a-brand-new-password" });
    expect((await call(token, "GET", "/api/auth/user")).status).toBe(401);
    expect(await login(t.viewer.email, "a-brand-new-password")).toBeTruthy();
  });

  it("applies a role change from the next request", async ({ expect }) => {
    const t = await createTenantFixture("auth");
    expect((await t.asViewer("POST", "/api/voice-agents", { name: "x", provider: "vapi", serviceValue: "+12125550100" })).status).toBe(403);
    await t.asAdmin("PUT", `/api/users/${t.viewer.id}`, { role: "admin" });
    expect((await t.asViewer("POST", "/api/voice-agents", { name: "x", provider: "vapi", serviceValue: "+12125550100" })).status).toBe(201);
  });

  it("refresh issues a new token and retires the old one", async ({ expect }) => {
    const t = await createTenantFixture("auth");
    const res = await call(t.admin.token, "POST", "/api/auth/refresh");
    expect(res.status).toBe(200);
    expect(res.body.token).not.toBe(t.admin.token);
    expect((await call(res.body.token, "GET", "/api/auth/user")).status).toBe(200);
    expect((await call(t.admin.token, "GET", "/api/auth/user")).status).toBe(401);
  });

  it("lets a user change their own password, which ends their other sessions", async ({ expect }) => {
    const t = await createTenantFixture("auth");
    const other = await login(t.viewer.email, t.viewer.password);
    const wrong = await t.asViewer("POST", "/api/auth/password", { currentPassword: "nope", newPassword: "another-long-password" });
    expect(wrong.status).toBe(403);
    const short = await t.asViewer("POST", "/api/auth/password", { currentPassword: t.viewer.password, newPassword: "short" });
    expect(short.status).toBe(400);
    expect(short.body.error.details[0]).toMatchObject({ path: "newPassword", message: "must be at least 12 characters" });
    const ok = await t.asViewer("POST", "/api/auth/password", { currentPassword: t.viewer.password, newPassword: "another-long-password" });
    expect(ok.status).toBe(204);
    expect((await call(other, "GET", "/api/auth/user")).status).toBe(401);
    expect((await t.asViewer("GET", "/api/auth/user")).status).toBe(200);
  });
});
