import { eq } from "drizzle-orm";
import { describe, it } from "vitest";
import * as schema from "../../workers/db/schema";
import { envWith, requestWithEnv } from "./helpers/app";
import { BASE, call, createTenantFixture, createAgent, withDb, type TenantFixture } from "./helpers/fixtures";

/*
 * Tenant API keys, end to end against the real Worker and MariaDB: shown once and stored as a
 * hash, accepted as a bearer on the admin API with their role, audited as themselves,
 * revocable at once, expiring, rate-limited per key, and confined to their tenant.
 */

async function createKey(t: TenantFixture, body: Record<string, unknown> = {}): Promise<any> {
  const res = await t.asAdmin("POST", "/api/api-keys", { name: `ci-${crypto.randomUUID().slice(0, 6)}`, ...body });
  if (res.status !== 201) throw new Error(`creating a key failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

describe("API keys", () => {
  it("are shown once at creation, stored only as a SHA-256 hash, and listed without the key", async ({ expect }) => {
    const t = await createTenantFixture("keys");
    const created = await t.asAdmin("POST", "/api/api-keys", { name: "CRM sync", role: "admin" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "CRM sync", role: "admin", status: "active", expiresAt: null, lastUsedAt: null, revokedAt: null, createdBy: { userId: t.admin.id, apiKeyId: null, name: t.admin.email } });
    const key: string = created.body.key;
    expect(key).toMatch(/^cxak_[A-Za-z0-9_-]{43}$/);
    expect(created.body.hint).toBe(key.slice(-4));
    expect(created.headers.get("location")).toBe(`/api/api-keys/${created.body.id}`);

    const [row] = await withDb((db) => db.select().from(schema.apiKeys).where(eq(schema.apiKeys.id, created.body.id)));
    expect(JSON.stringify(row)).not.toContain(key);
    expect(JSON.stringify(row)).not.toContain(key.slice(5, 20));
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key)));
    const expected = `sha256$${btoa(String.fromCharCode(...digest))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "")}`;
    expect(row!.keyHash).toBe(expected);

    const list = await t.asAdmin("GET", "/api/api-keys");
    expect(list.status).toBe(200);
    expect(list.body.items.map((k: any) => k.id)).toEqual([created.body.id]);
    expect(JSON.stringify(list.body)).not.toContain(key);
    expect(list.body.items[0].key).toBeUndefined();
    const one = await t.asAdmin("GET", `/api/api-keys/${created.body.id}`);
    expect(one.body.key).toBeUndefined();
    expect(one.body.hint).toBe(key.slice(-4));
  });

  it("authenticate the admin API as a bearer, with their role: a read-only key reads and gets 403 on writes", async ({ expect }) => {
    const t = await createTenantFixture("keys");
    const agent = await createAgent(t);
    const reader = await createKey(t, { role: "user" });
    const writer = await createKey(t, { role: "admin" });

    const read = await call(reader.key, "GET", "/api/voice-agents");
    expect(read.status).toBe(200);
    expect(read.body.items.map((a: any) => a.id)).toEqual([agent.id]);
    const refused = await call(reader.key, "PUT", `/api/voice-agents/${agent.id}`, { weight: 5 });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("FORBIDDEN");

    const changed = await call(writer.key, "PUT", `/api/voice-agents/${agent.id}`, { weight: 5 });
    expect(changed.status).toBe(200);
    expect(changed.body.weight).toBe(5);
  });

  it("are audited as their own actor: the entry names the key, not a user", async ({ expect }) => {
    const t = await createTenantFixture("keys");
    const writer = await createKey(t, { role: "admin", name: "Terraform" });
    const res = await call(writer.key, "POST", "/api/trunks", { name: `trunk-${crypto.randomUUID().slice(0, 6)}` });
    expect(res.status).toBe(201);
    const audit = await t.asAdmin("GET", `/api/audit-log?entityId=${res.body.id}`);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({ action: "trunk.created", actor: { userId: null, email: null, apiKey: { id: writer.id, name: "Terraform" } } });
    // The key's id filters the log like a user's does.
    const byKey = await t.asAdmin("GET", `/api/audit-log?actor=${writer.id}`);
    expect(byKey.body.items.map((e: any) => e.entityId)).toEqual([res.body.id]);
    // Its creation was audited under the admin who made it, without the key.
    const creation = await t.asAdmin("GET", `/api/audit-log?entityType=api_key&entityId=${writer.id}`);
    expect(creation.body.items[0]).toMatchObject({ action: "api_key.created", actor: { userId: t.admin.id, apiKey: null }, after: { id: writer.id, name: "Terraform", hint: writer.hint, createdBy: { apiKeyId: null } } });
    expect(JSON.stringify(creation.body)).not.toContain(writer.key);
  });

  it("fail on the very next request once revoked or deleted; revoking twice changes nothing", async ({ expect }) => {
    const t = await createTenantFixture("keys");
    const key = await createKey(t);
    const other = await createKey(t);
    expect((await call(key.key, "GET", "/api/trunks")).status).toBe(200);
    const revoked = await t.asAdmin("POST", `/api/api-keys/${key.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ status: "revoked" });
    expect(revoked.body.revokedAt).not.toBeNull();
    const next = await call(key.key, "GET", "/api/trunks");
    expect(next.status).toBe(401);
    expect(next.body.error.code).toBe("UNAUTHENTICATED");
    const again = await t.asAdmin("POST", `/api/api-keys/${key.id}/revoke`);
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
    const audit = await t.asAdmin("GET", `/api/audit-log?entityType=api_key&entityId=${key.id}`);
    expect(audit.body.items.map((e: any) => e.action)).toEqual(["api_key.revoked", "api_key.created"]);

    expect((await call(other.key, "GET", "/api/trunks")).status).toBe(200);
    expect((await t.asAdmin("DELETE", `/api/api-keys/${other.id}`)).status).toBe(204);
    expect((await call(other.key, "GET", "/api/trunks")).status).toBe(401);
    expect((await t.asAdmin("GET", "/api/api-keys")).body.items.map((k: any) => k.id)).toEqual([key.id]);
    expect((await t.asAdmin("DELETE", `/api/api-keys/${other.id}`)).status).toBe(404);
  });

  it("stop working when they expire, and refuse an expiry in the past or too far ahead", async ({ expect }) => {
    const t = await createTenantFixture("keys");
    const soon = await createKey(t, { expiresAt: new Date(Date.now() + 60_000).toISOString() });
    expect((await call(soon.key, "GET", "/api/trunks")).status).toBe(200);
    await withDb((db) =>
      db
        .update(schema.apiKeys)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(schema.apiKeys.id, soon.id)),
    );
    expect((await call(soon.key, "GET", "/api/trunks")).status).toBe(401);
    expect((await t.asAdmin("GET", `/api/api-keys/${soon.id}`)).body.status).toBe("expired");

    for (const expiresAt of [new Date(Date.now() - 60_000).toISOString(), new Date(Date.now() + 800 * 86_400_000).toISOString(), "tomorrow"]) {
      const res = await t.asAdmin("POST", "/api/api-keys", { name: "x", expiresAt });
      expect(res.status, expiresAt).toBe(400);
      expect(res.body.error.details[0].path, expiresAt).toBe("expiresAt");
    }
  });

  it("record their last use at most once a minute", async ({ expect }) => {
    const t = await createTenantFixture("keys");
    const key = await createKey(t);
    const lastUsed = async () => (await withDb((db) => db.select({ at: schema.apiKeys.lastUsedAt }).from(schema.apiKeys).where(eq(schema.apiKeys.id, key.id))))[0]!.at;
    expect(await lastUsed()).toBeNull();
    await call(key.key, "GET", "/api/trunks");
    const first = await waitFor(lastUsed);
    for (let i = 0; i < 3; i++) await call(key.key, "GET", "/api/trunks");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await lastUsed())!.getTime()).toBe(first.getTime());
    // A minute later (moved back by hand) the next request writes it again.
    await withDb((db) =>
      db
        .update(schema.apiKeys)
        .set({ lastUsedAt: new Date(Date.now() - 61_000) })
        .where(eq(schema.apiKeys.id, key.id)),
    );
    await call(key.key, "GET", "/api/trunks");
    const second = await waitFor(async () => {
      const at = await lastUsed();
      return at && Date.now() - at.getTime() < 10_000 ? at : null;
    });
    expect(second.getTime()).toBeGreaterThan(first.getTime());
    expect((await t.asAdmin("GET", `/api/api-keys/${key.id}`)).body.lastUsedAt).toBe(second.toISOString());
  });

  it("are rate-limited per key: past the limit a 429 with Retry-After, other keys unaffected", async ({ expect }) => {
    const t = await createTenantFixture("keys");
    const [busy, calm] = [await createKey(t), await createKey(t)];
    const limited = envWith({ API_KEY_RATE_LIMIT: "3" });
    const get = (key: string) => requestWithEnv(limited, `${BASE}/api/trunks`, { headers: { authorization: `Bearer ${key}` } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(busy.key)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await get(busy.key);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body: any = await refused.json();
    expect(body.error).toMatchObject({ code: "RATE_LIMITED", details: { limitPerMinute: 3 } });
    expect((await get(calm.key)).status).toBe(200);
  });

  it("are managed by admins only; a key never creates a key above its own role", async ({ expect }) => {
    const t = await createTenantFixture("keys");
    for (const [method, path] of [
      ["GET", "/api/api-keys"],
      ["POST", "/api/api-keys"],
    ] as const) {
      const res = await t.asViewer(method, path, method === "POST" ? { name: "x" } : undefined);
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    const reader = await createKey(t, { role: "user" });
    const byReader = await call(reader.key, "POST", "/api/api-keys", { name: "escalate", role: "admin" });
    expect(byReader.status).toBe(403);
    expect((await call(reader.key, "GET", "/api/api-keys")).status).toBe(403);
    expect((await call(reader.key, "POST", `/api/api-keys/${reader.id}/revoke`)).status).toBe(403);

    const admin = await createKey(t, { role: "admin", name: "bootstrap" });
    const child = await call(admin.key, "POST", "/api/api-keys", { name: "child", role: "user" });
    expect(child.status).toBe(201);
    expect(child.body.createdBy).toEqual({ userId: null, apiKeyId: admin.id, name: `API key "bootstrap" (${admin.id})` });
    expect((await call(child.body.key, "GET", "/api/trunks")).status).toBe(200);
    // Keys have no session: the session endpoints and live connections refuse them by name.
    for (const [method, path] of [
      ["GET", "/api/auth/user"],
      ["POST", "/api/auth/refresh"],
      ["POST", "/api/auth/logout"],
      ["POST", "/api/realtime/tickets"],
    ] as const) {
      const res = await call(admin.key, method, path);
      expect(res.status, path).toBe(403);
      expect(res.body.error.code, path).toBe("API_KEY_NOT_ALLOWED");
    }
  });

  it("stay in their tenant: another tenant's key ids answer 404 and its keys see only their own data", async ({ expect }) => {
    const [a, b] = [await createTenantFixture("keys"), await createTenantFixture("keys")];
    const [keyA, keyB] = [await createKey(a, { role: "admin" }), await createKey(b, { role: "admin" })];
    const agentB = await createAgent(b);
    for (const [method, path] of [
      ["GET", `/api/api-keys/${keyB.id}`],
      ["POST", `/api/api-keys/${keyB.id}/revoke`],
      ["DELETE", `/api/api-keys/${keyB.id}`],
    ] as const) {
      expect((await a.asAdmin(method, path)).status, path).toBe(404);
      expect((await call(keyA.key, method, path)).status, path).toBe(404);
    }
    expect((await a.asAdmin("GET", "/api/api-keys")).body.items.map((k: any) => k.id)).toEqual([keyA.id]);
    expect((await call(keyA.key, "GET", `/api/voice-agents/${agentB.id}`)).status).toBe(404);
    expect((await call(keyA.key, "GET", "/api/voice-agents")).body.items).toEqual([]);
    expect((await call(keyB.key, "GET", "/api/trunks")).status).toBe(200);
  });

  it("refuse hostile input with a 4xx: bad names, unknown fields, forged and malformed keys", async ({ expect }) => {
    const t = await createTenantFixture("keys");
    for (const body of [{}, { name: "" }, { name: "x".repeat(101) }, { name: "a\nb" }, { name: "x", role: "root" }, { name: "x", scopes: ["*"] }]) {
      const res = await t.asAdmin("POST", "/api/api-keys", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
    }
    const real = await createKey(t);
    const forged = `${real.key.slice(0, -4)}${real.key.slice(-4) === "AAAA" ? "BBBB" : "AAAA"}`;
    for (const token of [forged, "cxak_short", `cxak_${"x".repeat(500)}`]) {
      const res = await call(token, "GET", "/api/trunks");
      expect(res.status, token).toBe(401);
      expect(res.body.error.code).toBe("UNAUTHENTICATED");
    }
    // The request key is not an API key: it does not open the admin API.
    expect((await call(t.requestKey, "GET", "/api/trunks")).status).toBe(401);
  });
});

async function waitFor<T>(read: () => Promise<T | null>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
