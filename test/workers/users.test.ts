import { describe, it } from "vitest";
import { call, createTenantFixture, login, randomIp } from "./helpers/fixtures";

describe("users", () => {
  it("lets an admin create a user who can then sign in with their role", async ({ expect }) => {
    const t = await createTenantFixture("usr");
    const email = `New.Person-${crypto.randomUUID().slice(0, 8)}@Example.test`;
    const res = await t.asAdmin("POST", "/api/users", { email, name: "New Person", role: "admin", password: "long-enough-password" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ email: email.toLowerCase(), name: "New Person", role: "admin", disabled: false, lastLoginAt: null, version: 1 });
    expect(res.body).not.toHaveProperty("passwordHash");
    const token = await login(email, "long-enough-password");
    expect((await call(token, "GET", "/api/auth/user")).body.role).toBe("admin");
    const read = await t.asViewer("GET", `/api/users/${res.body.id}`);
    expect(read.body.lastLoginAt).not.toBeNull();
  });

  it.for([
    ["a bad email", { email: "not-an-email", password: "long-enough-password" }, "email"],
    ["a short password", { email: "x@example.test", password: "short" }, "password"],
    ["an unknown role", { email: "x@example.test", password: "long-enough-password", role: "owner" }, "role"],
    ["no password", { email: "x@example.test" }, "password"],
  ] as const)("refuses %s", async ([, body, path], { expect }) => {
    const t = await createTenantFixture("usr");
    const res = await t.asAdmin("POST", "/api/users", body);
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: any) => d.path)).toContain(path);
  });

  it("refuses an email that already signs in anywhere (409)", async ({ expect }) => {
    const [a, b] = await Promise.all([createTenantFixture("usr"), createTenantFixture("usr")]);
    const res = await a.asAdmin("POST", "/api/users", { email: b.viewer.email, password: "long-enough-password" });
    expect(res.status).toBe(409);
  });

  it("lists, filters and searches the tenant's users only", async ({ expect }) => {
    const t = await createTenantFixture("usr");
    const res = await t.asViewer("GET", "/api/users");
    expect(res.body.items.map((u: any) => u.id).sort()).toEqual([t.admin.id, t.viewer.id].sort());
    expect((await t.asViewer("GET", "/api/users?role=user")).body.items.map((u: any) => u.id)).toEqual([t.viewer.id]);
    expect((await t.asViewer("GET", "/api/users?q=viewer-")).body.items.map((u: any) => u.id)).toEqual([t.viewer.id]);
  });

  it("never removes the last active admin: not by demotion, disabling or deletion", async ({ expect }) => {
    const t = await createTenantFixture("usr");
    for (const [method, body] of [
      ["PUT", { role: "user" }],
      ["PUT", { disabled: true }],
      ["DELETE", undefined],
    ] as const) {
      const res = await t.asAdmin(method, `/api/users/${t.admin.id}`, body);
      expect(res.status, `${method} ${JSON.stringify(body)}`).toBe(409);
      expect(res.body.error.code).toBe("LAST_ADMIN");
      expect(res.body.error.message).toMatch(/make another user an admin first/);
    }
    await t.asAdmin("PUT", `/api/users/${t.viewer.id}`, { role: "admin" });
    expect((await t.asAdmin("PUT", `/api/users/${t.admin.id}`, { role: "user" })).status).toBe(200);
    const viewerAsAdmin = await login(t.viewer.email, t.viewer.password);
    const last = await call(viewerAsAdmin, "DELETE", `/api/users/${t.viewer.id}`);
    expect(last.status).toBe(409);
  });

  it("keeps one admin when two admins demote each other at the same moment", async ({ expect }) => {
    const t = await createTenantFixture("usr");
    await t.asAdmin("PUT", `/api/users/${t.viewer.id}`, { role: "admin" });
    const second = await login(t.viewer.email, t.viewer.password);
    const results = await Promise.all([t.asAdmin("PUT", `/api/users/${t.viewer.id}`, { role: "user" }), call(second, "PUT", `/api/users/${t.admin.id}`, { role: "user" })]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const admins = await t.asViewer("GET", "/api/users?role=admin");
    expect(admins.body.items).toHaveLength(1);
  });

  it("deletes a user, whose token then stops working", async ({ expect }) => {
    const t = await createTenantFixture("usr");
    expect((await t.asAdmin("DELETE", `/api/users/${t.viewer.id}`)).status).toBe(204);
    expect((await t.asViewer("GET", "/api/auth/user")).status).toBe(401);
    const res = await call(null, "POST", "/api/auth/login", { email: t.viewer.email, password: t.viewer.password }, { "cf-connecting-ip": randomIp() });
    expect(res.status).toBe(401);
  });
});

describe("user updates", () => {
  it.for([
    ["an unknown role", { role: "root" }, "role"],
    ["a short password", { password: "short" }, "password"],
    ["disabled as a string", { disabled: "yes" }, "disabled"],
    ["the email (it is the identity)", { email: "new@example.test" }, "(root)"],
  ] as const)("refuses %s", async ([, body, path], { expect }) => {
    const t = await createTenantFixture("usr");
    const res = await t.asAdmin("PUT", `/api/users/${t.viewer.id}`, body);
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: any) => d.path)).toContain(path);
  });

  it("checks versions and answers 404 for unknown users", async ({ expect }) => {
    const t = await createTenantFixture("usr");
    expect((await t.asAdmin("PUT", `/api/users/${t.viewer.id}`, { name: "V2", version: 1 })).body).toMatchObject({ name: "V2", version: 2 });
    expect((await t.asAdmin("PUT", `/api/users/${t.viewer.id}`, { name: "V3", version: 1 })).status).toBe(409);
    expect((await t.asAdmin("GET", "/api/users/usr_nobody")).status).toBe(404);
    expect((await t.asAdmin("PUT", "/api/users/usr_nobody", { name: "x" })).status).toBe(404);
    expect((await t.asAdmin("DELETE", "/api/users/usr_nobody")).status).toBe(404);
  });
});
