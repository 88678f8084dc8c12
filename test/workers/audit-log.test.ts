import { eq } from "drizzle-orm";
import { describe, it } from "vitest";
import * as schema from "../../workers/db/schema";
import { createAgent, createTenantFixture, withDb } from "./helpers/fixtures";

const configVersion = (tenantId: string) => withDb((db) => db.select({ v: schema.tenants.configVersion }).from(schema.tenants).where(eq(schema.tenants.id, tenantId))).then((rows) => rows[0]!.v);

describe("the audit log", () => {
  it("records every change with actor, client address, before and after (secrets redacted)", async ({ expect }) => {
    const t = await createTenantFixture("aud");
    const ip = { "cf-connecting-ip": "203.0.113.7" };
    const created = (await t.asAdmin("POST", "/api/voice-agents", { name: "Audited", provider: "vapi", serviceValue: "+12125550111", password: "very-secret-pw" }, ip)).body;
    await t.asAdmin("PUT", `/api/voice-agents/${created.id}`, { weight: 5, password: "another-secret" }, ip);
    await t.asAdmin("DELETE", `/api/voice-agents/${created.id}`, undefined, ip);
    const res = await t.asViewer("GET", `/api/audit-log?entityId=${created.id}`);
    expect(res.status).toBe(200);
    const [deleted, updated, made] = res.body.items;
    expect(made).toMatchObject({ action: "voice_agent.created", entityType: "voice_agent", entityId: created.id, actor: { userId: t.admin.id, email: t.admin.email }, ip: "203.0.113.7", before: null, after: { name: "Audited", hasPassword: true } });
    expect(updated).toMatchObject({ action: "voice_agent.updated", before: { weight: 1, version: 1 }, after: { weight: 5, version: 2 } });
    expect(deleted).toMatchObject({ action: "voice_agent.deleted", before: { name: "Audited" }, after: null });
    expect(Date.parse(made.at)).toBeGreaterThan(Date.now() - 60_000);
    const raw = JSON.stringify(res.body);
    expect(raw).not.toContain("very-secret-pw");
    expect(raw).not.toContain("another-secret");
    // The raw rows hold no secret either.
    const rows = await withDb((db) => db.select().from(schema.auditLog).where(eq(schema.auditLog.entityId, created.id)));
    expect(JSON.stringify(rows)).not.toMatch(/very-secret-pw|another-secret|v1\./);
  });

  it("calls the routing hook after each committed change (the tenant's config version moves)", async ({ expect }) => {
    const t = await createTenantFixture("aud");
    const v0 = await configVersion(t.tenantId);
    const agent = await createAgent(t);
    const v1 = await configVersion(t.tenantId);
    expect(v1).toBeGreaterThan(v0);
    await t.asAdmin("PATCH", `/api/voice-agents/${agent.id}/toggle`);
    expect(await configVersion(t.tenantId)).toBeGreaterThan(v1);
    const v2 = await configVersion(t.tenantId);
    // A refused change commits nothing and moves nothing.
    await t.asAdmin("PUT", `/api/voice-agents/${agent.id}`, { weight: 0 });
    await t.asAdmin("PUT", `/api/voice-agents/${agent.id}`, { weight: 3, version: 1 });
    expect(await configVersion(t.tenantId)).toBe(v2);
  });

  it("records sign-ins, failed sign-ins and sign-outs", async ({ expect }) => {
    const t = await createTenantFixture("aud");
    await t.asAdmin("POST", "/api/auth/login", { email: t.viewer.email, password: "wrong" }, { "cf-connecting-ip": "198.51.100.9" });
    const res = await t.asAdmin("GET", `/api/audit-log?entityId=${t.viewer.id}&action=auth.`);
    expect(res.body.items.map((e: any) => e.action)).toEqual(["auth.login_failed", "auth.login"]);
    expect(res.body.items[0].ip).toBe("198.51.100.9");
    await t.asViewer("POST", "/api/auth/logout");
    expect((await t.asAdmin("GET", `/api/audit-log?actor=${t.viewer.email}&action=auth.logout`)).body.items).toHaveLength(1);
  });

  it("filters by entity type, actor, action and time, and pages without gaps or repeats", async ({ expect }) => {
    const t = await createTenantFixture("aud");
    const start = new Date(Date.now() - 1000).toISOString();
    for (let i = 0; i < 7; i++) await t.asAdmin("POST", "/api/trunks", { name: `trunk-${i}` });
    await createAgent(t);
    const trunksOnly = await t.asViewer("GET", "/api/audit-log?entityType=trunk");
    expect(trunksOnly.body.items).toHaveLength(7);
    expect((await t.asViewer("GET", `/api/audit-log?actor=${t.admin.id}&action=voice_agent.created`)).body.items).toHaveLength(1);
    expect((await t.asViewer("GET", `/api/audit-log?from=${encodeURIComponent(start)}&entityType=voice_agent`)).body.items).toHaveLength(1);
    expect((await t.asViewer("GET", `/api/audit-log?to=${encodeURIComponent(start)}&entityType=trunk`)).body.items).toHaveLength(0);

    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await t.asViewer("GET", `/api/audit-log?entityType=trunk&limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.body.items.map((e: any) => e.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(trunksOnly.body.items.map((e: any) => e.id));
    const ascending = (await t.asViewer("GET", "/api/audit-log?entityType=trunk&order=asc")).body.items.map((e: any) => e.id);
    expect(ascending).toEqual([...seen].reverse());
  });

  it.for([
    ["a date that is not ISO 8601", "from=yesterday"],
    ["from after to", "from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z"],
    ["an unknown filter", "who=me"],
    ["a limit over 200", "limit=500"],
    ["a cursor from another filter", "entityType=trunk&cursor=eyJzIjoiaWQiLCJvIjoiZGVzYyIsImYiOiJ4IiwidiI6MSwiaWQiOjF9"],
  ] as const)("refuses %s with a 400", async ([, query], { expect }) => {
    const t = await createTenantFixture("aud");
    const res = await t.asViewer("GET", `/api/audit-log?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.message.length).toBeGreaterThan(10);
  });
});
