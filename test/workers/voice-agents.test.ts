import { eq } from "drizzle-orm";
import { describe, it } from "vitest";
import * as schema from "../../workers/db/schema";
import { createAgent, createTenantFixture, withDb } from "./helpers/fixtures";

const valid = { name: "Retell sales", provider: "retell", serviceValue: "+1 (212) 555-0101" };

describe("voice agents: create and read", () => {
  it("creates an agent with normalised provider and number, and reads it back", async ({ expect }) => {
    const t = await createTenantFixture("agt");
    const res = await t.asAdmin("POST", "/api/voice-agents", { ...valid, provider: "11labs", username: "cx", password: "s3cret-pass", tags: ["Sales", "sales", " EU "], maxConcurrentCalls: 5, weight: 3 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: "Retell sales",
      provider: "elevenlabs",
      serviceValue: "+12125550101",
      username: "cx",
      hasPassword: true,
      enabled: true,
      maxConcurrentCalls: 5,
      weight: 3,
      tags: ["sales", "eu"],
      version: 1,
    });
    expect(res.body).not.toHaveProperty("password");
    expect(res.body).not.toHaveProperty("passwordEnc");
    expect(res.headers.get("etag")).toBe('"1"');
    expect(res.headers.get("location")).toBe(`/api/voice-agents/${res.body.id}`);
    expect(res.body.id).toMatch(/^agt_[0-9a-z]{22}$/);

    const read = await t.asViewer("GET", `/api/voice-agents/${res.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(res.body);
    const other = await createAgent(t);
    const list = await t.asViewer("GET", "/api/voice-agents?sort=createdAt");
    expect(list.body.items).toEqual([res.body, other]);
    expect(list.body.items.map((a: any) => a.hasPassword)).toEqual([true, false]);
  });

  it("stores the password encrypted, never in plain text", async ({ expect }) => {
    const t = await createTenantFixture("agt");
    const agent = await createAgent(t, { password: "provider-password-123" });
    const [row] = await withDb((db) => db.select().from(schema.voiceAgents).where(eq(schema.voiceAgents.id, agent.id)));
    expect(row!.passwordEnc).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(row!.passwordEnc).not.toContain("provider-password-123");
    expect(atob(row!.passwordEnc!.split(".")[2]!.replace(/-/g, "+").replace(/_/g, "/") + "==".slice(0, (4 - (row!.passwordEnc!.split(".")[2]!.length % 4)) % 4))).not.toContain("provider-password");
  });

  it.for([
    ["no name", { ...valid, name: undefined }, "name"],
    ["an empty name", { ...valid, name: "  " }, "name"],
    ["an unknown provider", { ...valid, provider: "twilio" }, "provider"],
    ["a number that is not E.164", { ...valid, serviceValue: "555-01" }, "serviceValue"],
    ["a SIP URI for a number provider", { ...valid, serviceValue: "sip:agent@example.com" }, "serviceValue"],
    ["a zero weight", { ...valid, weight: 0 }, "weight"],
    ["a fractional weight", { ...valid, weight: 1.5 }, "weight"],
    ["a negative capacity", { ...valid, maxConcurrentCalls: -1 }, "maxConcurrentCalls"],
    ["an empty password", { ...valid, password: "" }, "password"],
    ["too many tags", { ...valid, tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, "tags"],
    ["a tag with a comma", { ...valid, tags: ["a,b"] }, "tags.0"],
    ["an unknown field", { ...valid, colour: "blue" }, "(root)"],
    ["enabled as a string", { ...valid, enabled: "yes" }, "enabled"],
  ] as const)("refuses %s with a 400 naming the field", async ([, body, path], { expect }) => {
    const t = await createTenantFixture("agt");
    const res = await t.asAdmin("POST", "/api/voice-agents", body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
    expect(res.body.error.details.map((d: any) => d.path)).toContain(path);
    expect(res.body.error.message).toMatch(/not valid/);
  });

  it("explains what an E.164 number looks like", async ({ expect }) => {
    const t = await createTenantFixture("agt");
    const res = await t.asAdmin("POST", "/api/voice-agents", { ...valid, serviceValue: "12" });
    expect(res.body.error.details[0].message).toMatch(/E\.164 .*\+12125550123/);
  });

  it("refuses a duplicate name in the tenant with 409, but allows it in another tenant", async ({ expect }) => {
    const [a, b] = await Promise.all([createTenantFixture("agt"), createTenantFixture("agt")]);
    expect((await a.asAdmin("POST", "/api/voice-agents", valid)).status).toBe(201);
    const again = await a.asAdmin("POST", "/api/voice-agents", { ...valid, name: "RETELL SALES" });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/already exists/);
    expect((await b.asAdmin("POST", "/api/voice-agents", valid)).status).toBe(201);
  });

  it("answers 404 for an unknown id", async ({ expect }) => {
    const t = await createTenantFixture("agt");
    const res = await t.asAdmin("GET", "/api/voice-agents/agt_doesnotexist");
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: "NOT_FOUND", message: "Voice agent not found" });
  });
});

describe("voice agents: update, toggle, versions", () => {
  it("updates only the fields sent, bumps the version and keeps the password unless told", async ({ expect }) => {
    const t = await createTenantFixture("agt");
    const agent = await createAgent(t, { password: "keep-me-please" });
    const res = await t.asAdmin("PUT", `/api/voice-agents/${agent.id}`, { weight: 7, tags: ["vip"] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ weight: 7, tags: ["vip"], name: agent.name, hasPassword: true, version: 2 });
    const cleared = await t.asAdmin("PUT", `/api/voice-agents/${agent.id}`, { password: null, username: null });
    expect(cleared.body).toMatchObject({ hasPassword: false, username: null, version: 3 });
    const unchanged = await t.asAdmin("PUT", `/api/voice-agents/${agent.id}`, {});
    expect(unchanged.body.version).toBe(3);
  });

  it("re-validates the number when only the provider changes", async ({ expect }) => {
    const t = await createTenantFixture("agt");
    const agent = await createAgent(t);
    const res = await t.asAdmin("PUT", `/api/voice-agents/${agent.id}`, { provider: "VAPI" });
    expect(res.body.provider).toBe("vapi");
    const bad = await t.asAdmin("PUT", `/api/voice-agents/${agent.id}`, { serviceValue: "hello" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe("serviceValue");
  });

  it("answers 409 instead of overwriting a newer change (body version or If-Match)", async ({ expect }) => {
    const t = await createTenantFixture("agt");
    const agent = await createAgent(t);
    expect((await t.asAdmin("PUT", `/api/voice-agents/${agent.id}`, { weight: 2, version: 1 })).status).toBe(200);
    const stale = await t.asAdmin("PUT", `/api/voice-agents/${agent.id}`, { weight: 3, version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: "VERSION_CONFLICT", details: { expectedVersion: 1, currentVersion: 2 } });
    const staleHeader = await t.asAdmin("PUT", `/api/voice-agents/${agent.id}`, { weight: 3 }, { "if-match": '"1"' });
    expect(staleHeader.status).toBe(409);
    const fresh = await t.asAdmin("PUT", `/api/voice-agents/${agent.id}`, { weight: 3 }, { "if-match": 'W/"2"' });
    expect(fresh.status).toBe(200);
    const toggleStale = await t.asAdmin("PATCH", `/api/voice-agents/${agent.id}/toggle`, { version: 2 });
    expect(toggleStale.status).toBe(409);
    const bad = await t.asAdmin("PUT", `/api/voice-agents/${agent.id}`, { weight: 3 }, { "if-match": "yesterday" });
    expect(bad.status).toBe(400);
    const disagree = await t.asAdmin("PUT", `/api/voice-agents/${agent.id}`, { weight: 3, version: 3 }, { "if-match": '"2"' });
    expect(disagree.status).toBe(400);
    expect((await t.asAdmin("GET", `/api/voice-agents/${agent.id}`)).body.weight).toBe(3);
  });

  it("lets exactly one of two concurrent edits of the same version win", async ({ expect }) => {
    const t = await createTenantFixture("agt");
    const agent = await createAgent(t);
    const results = await Promise.all([2, 3, 4, 5].map((weight) => t.asAdmin("PUT", `/api/voice-agents/${agent.id}`, { weight, version: 1 })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
  });

  it("toggles: flips without a body, sets with one", async ({ expect }) => {
    const t = await createTenantFixture("agt");
    const agent = await createAgent(t);
    const off = await t.asAdmin("PATCH", `/api/voice-agents/${agent.id}/toggle`);
    expect(off.body).toMatchObject({ enabled: false, version: 2 });
    const stillOff = await t.asAdmin("PATCH", `/api/voice-agents/${agent.id}/toggle`, { enabled: false });
    expect(stillOff.body).toMatchObject({ enabled: false, version: 2 });
    const on = await t.asAdmin("PATCH", `/api/voice-agents/${agent.id}/toggle`, { enabled: true });
    expect(on.body).toMatchObject({ enabled: true, version: 3 });
    const bad = await t.asAdmin("PATCH", `/api/voice-agents/${agent.id}/toggle`, { enabled: "off" });
    expect(bad.status).toBe(400);
  });

  it("reports status: enabled, groups and (until routing fills it) no live figures", async ({ expect }) => {
    const t = await createTenantFixture("agt");
    const agent = await createAgent(t);
    const group = await t.asAdmin("POST", "/api/agent-groups", { name: "g", members: [{ agentId: agent.id }] });
    const res = await t.asViewer("GET", `/api/voice-agents/${agent.id}/status`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ agentId: agent.id, enabled: true, groups: [group.body.id] });
    expect(res.body).toHaveProperty("live");
  });
});

describe("voice agents: delete and bulk", () => {
  it("deletes an unused agent (and its group memberships)", async ({ expect }) => {
    const t = await createTenantFixture("agt");
    const agent = await createAgent(t);
    const group = await t.asAdmin("POST", "/api/agent-groups", { name: "g", members: [{ agentId: agent.id }] });
    const res = await t.asAdmin("DELETE", `/api/voice-agents/${agent.id}`);
    expect(res.status).toBe(204);
    expect((await t.asAdmin("GET", `/api/voice-agents/${agent.id}`)).status).toBe(404);
    expect((await t.asAdmin("GET", `/api/agent-groups/${group.body.id}`)).body.members).toEqual([]);
    expect((await t.asAdmin("DELETE", `/api/voice-agents/${agent.id}`)).status).toBe(404);
  });

  it("refuses to delete an agent a rule targets, as fallback too, or the tenant default, naming them", async ({ expect }) => {
    const t = await createTenantFixture("agt");
    const [target, fallback, tenantDefault] = await Promise.all([createAgent(t), createAgent(t), createAgent(t)]);
    const rule = await t.asAdmin("POST", "/api/inbound-rules", { name: "Main line", pattern: "+15551230000", target: { type: "agent", id: target.id } });
    expect(rule.status).toBe(201);
    const other = await t.asAdmin("POST", "/api/inbound-rules", { name: "Backup", pattern: "+1666*", target: { type: "agent", id: target.id }, fallback: { type: "agent", id: fallback.id } });
    expect(other.status).toBe(201);
    expect((await t.asAdmin("PUT", "/api/tenant", { defaultFallback: { type: "agent", id: tenantDefault.id } })).status).toBe(200);

    const a = await t.asAdmin("DELETE", `/api/voice-agents/${target.id}`);
    expect(a.status).toBe(409);
    expect(a.body.error.code).toBe("IN_USE");
    expect(a.body.error.message).toContain("Main line");
    expect(a.body.error.message).toContain(rule.body.id);
    expect(a.body.error.message).toContain("Backup");
    const b = await t.asAdmin("DELETE", `/api/voice-agents/${fallback.id}`);
    expect(b.status).toBe(409);
    expect(b.body.error.details.usedBy[0].rules[0]).toMatchObject({ ruleId: other.body.id, as: "fallback" });
    const c = await t.asAdmin("DELETE", `/api/voice-agents/${tenantDefault.id}`);
    expect(c.status).toBe(409);
    expect(c.body.error.message).toMatch(/default fallback/);
  });

  it("enables, disables and deletes in bulk, all or nothing", async ({ expect }) => {
    const t = await createTenantFixture("agt");
    const agents = await Promise.all(Array.from({ length: 5 }, () => createAgent(t)));
    const ids = agents.map((a) => a.id);
    const off = await t.asAdmin("POST", "/api/voice-agents/bulk", { action: "disable", ids });
    expect(off.body).toEqual({ action: "disable", ids, changed: 5 });
    const list = await t.asAdmin("GET", "/api/voice-agents?enabled=false");
    expect(list.body.items.map((a: any) => a.id).sort()).toEqual([...ids].sort());

    const missing = await t.asAdmin("POST", "/api/voice-agents/bulk", { action: "enable", ids: [...ids, "agt_missing"] });
    expect(missing.status).toBe(404);
    expect(missing.body.error.details.missing).toEqual(["agt_missing"]);
    expect((await t.asAdmin("GET", "/api/voice-agents?enabled=true")).body.items).toHaveLength(0);

    await t.asAdmin("POST", "/api/inbound-rules", { pattern: "+1777*", target: { type: "agent", id: ids[0] } });
    const blocked = await t.asAdmin("POST", "/api/voice-agents/bulk", { action: "delete", ids });
    expect(blocked.status).toBe(409);
    expect((await t.asAdmin("GET", "/api/voice-agents")).body.items).toHaveLength(5);

    const deleted = await t.asAdmin("POST", "/api/voice-agents/bulk", { action: "delete", ids: ids.slice(1) });
    expect(deleted.body.changed).toBe(4);
    expect((await t.asAdmin("GET", "/api/voice-agents")).body.items.map((a: any) => a.id)).toEqual([ids[0]]);
  });

  it.for([
    ["no ids", { action: "enable", ids: [] }],
    ["101 ids", { action: "enable", ids: Array.from({ length: 101 }, (_, i) => `agt_${i}`) }],
    ["a repeated id", { action: "enable", ids: ["agt_a", "agt_a"] }],
    ["an unknown action", { action: "archive", ids: ["agt_a"] }],
  ] as const)("refuses a bulk request with %s", async ([, body], { expect }) => {
    const t = await createTenantFixture("agt");
    const res = await t.asAdmin("POST", "/api/voice-agents/bulk", body);
    expect(res.status).toBe(400);
  });
});

describe("voice agents: hostile text", () => {
  it("stores a name with a lone surrogate or NUL as well-formed text instead of failing with a 500", async ({ expect }) => {
    const t = await createTenantFixture("agt-text");
    const res = await t.asAdmin("POST", "/api/voice-agents", { ...valid, name: "Sales \udfff\u0000desk" });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe("Sales \ufffddesk");
  });

  it("refuses a body nested past 32 levels with a 400 that says so", async ({ expect }) => {
    const t = await createTenantFixture("agt-deep");
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    const res = await t.asAdmin("POST", "/api/voice-agents", { ...valid, tags: deep });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("JSON_TOO_DEEP");
  });
});
