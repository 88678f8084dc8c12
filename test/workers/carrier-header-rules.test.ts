import { describe, it } from "vitest";
import { call, createAgent, createTenantFixture, login, type TenantFixture } from "./helpers/fixtures";
import { createRoutingFixture } from "./helpers/routing-fixture";

/*
 * The configuration side of carrier SIP headers: inbound rules with a header condition, the
 * tenant's routing-number header, and explain with headers.
 */

async function setup(): Promise<{ t: TenantFixture; agent: any; other: any }> {
  const t = await createTenantFixture("hdr");
  return { t, agent: await createAgent(t), other: await createAgent(t) };
}

const X_TENANT_42 = { name: "X-Tenant", value: "42" };

describe("inbound rules with a carrier-header condition", () => {
  it("stores the condition, reads it back, changes and removes it", async ({ expect }) => {
    const { t, agent } = await setup();
    const created = await t.asAdmin("POST", "/api/inbound-rules", { pattern: "+1800*", target: { type: "agent", id: agent.id }, header: { name: " X-Tenant ", value: " 42 " } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ pattern: "1800*", header: X_TENANT_42 });
    expect((await t.asViewer("GET", `/api/inbound-rules/${created.body.id}`)).body.header).toEqual(X_TENANT_42);
    const plain = await t.asAdmin("POST", "/api/inbound-rules", { pattern: "+1900*", target: { type: "agent", id: agent.id } });
    expect(plain.body.header).toBeNull();

    const changed = await t.asAdmin("PUT", `/api/inbound-rules/${created.body.id}`, { header: { name: "X-Tenant", value: "43" }, version: 1 });
    expect(changed.status).toBe(200);
    expect(changed.body.header).toEqual({ name: "X-Tenant", value: "43" });
    const removed = await t.asAdmin("PUT", `/api/inbound-rules/${created.body.id}`, { header: null, version: 2 });
    expect(removed.body.header).toBeNull();
  });

  it.for([
    ["a name with a space", { name: "X Tenant", value: "42" }, "header.name", /SIP header name/],
    ["a name with a colon", { name: "X-Tenant:", value: "42" }, "header.name", /SIP header name/],
    ["a name over 64 characters", { name: "X".repeat(65), value: "42" }, "header.name", /at most 64/],
    ["an empty value", { name: "X-Tenant", value: " " }, "header.value", /is required/],
    ["a value over 256 characters", { name: "X-Tenant", value: "4".repeat(257) }, "header.value", /at most 256/],
    ["an unknown field", { name: "X-Tenant", value: "42", op: "equals" }, "header", /op/],
  ] as const)("refuses %s with a 400 naming the field", async ([, header, path, why], { expect }) => {
    const { t, agent } = await setup();
    const res = await t.asAdmin("POST", "/api/inbound-rules", { pattern: "1800*", target: { type: "agent", id: agent.id }, header });
    expect(res.status).toBe(400);
    const detail = res.body.error.details.find((d: any) => d.path === path);
    expect(detail?.message).toMatch(why);
  });

  it("allows one rule per pattern and condition: the same condition twice is a conflict, another condition or none is not", async ({ expect }) => {
    const { t, agent, other } = await setup();
    const rule = (header?: unknown, target = agent.id) => t.asAdmin("POST", "/api/inbound-rules", { pattern: "1800*", target: { type: "agent", id: target }, ...(header === undefined ? {} : { header }) });
    expect((await rule()).status).toBe(201);
    const t42 = await rule(X_TENANT_42, other.id);
    expect(t42.status).toBe(201);
    expect((await rule({ name: "X-Tenant", value: "43" })).status).toBe(201);
    expect((await rule({ name: "X-Region", value: "42" })).status).toBe(201);

    const duplicate = await rule({ name: "x-tenant", value: "42" });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error).toMatchObject({ code: "RULE_CONFLICT", details: { reason: "duplicate", conflictingRule: { id: t42.body.id } } });
    expect(duplicate.body.error.message).toContain("x-tenant = 42");
    const plainAgain = await rule(null);
    expect(plainAgain.status).toBe(409);
    // Changing a rule's condition into another's is a duplicate too.
    const t43 = (await t.asViewer("GET", "/api/inbound-rules")).body.items.find((r: any) => r.header?.value === "43");
    const clash = await t.asAdmin("PUT", `/api/inbound-rules/${t43.id}`, { header: X_TENANT_42, version: t43.version });
    expect(clash.status).toBe(409);
    expect(clash.body.error.details.reason).toBe("duplicate");
  });

  it("never counts a conditioned rule as covering another: a prefix next to conditioned specific rules is accepted", async ({ expect }) => {
    const { t, agent } = await setup();
    const target = { type: "agent", id: agent.id };
    for (const pattern of ["1555", ..."0123456789".split("").map((d) => `1555${d}*`)]) {
      expect((await t.asAdmin("POST", "/api/inbound-rules", { pattern, target, header: X_TENANT_42 })).status).toBe(201);
    }
    expect((await t.asAdmin("POST", "/api/inbound-rules", { pattern: "1555*", target })).status).toBe(201);
    // A conditioned prefix beside them too, whatever its condition.
    expect((await t.asAdmin("POST", "/api/inbound-rules", { pattern: "1555*", target, header: { name: "X-Region", value: "eu" } })).status).toBe(201);
    // But plain specific rules covering every number make even a conditioned prefix unreachable.
    for (const pattern of ["1666", ..."0123456789".split("").map((d) => `1666${d}*`)]) {
      expect((await t.asAdmin("POST", "/api/inbound-rules", { pattern, target })).status).toBe(201);
    }
    const shadowed = await t.asAdmin("POST", "/api/inbound-rules", { pattern: "1666*", target, header: X_TENANT_42 });
    expect(shadowed.status).toBe(409);
    expect(shadowed.body.error.details.reason).toBe("shadowed");
  });
});

describe("the tenant's routing-number header", () => {
  it("is a setting admins change and clear, validated as a header name", async ({ expect }) => {
    const t = await createTenantFixture("rnh");
    const before = await t.asViewer("GET", "/api/tenant");
    expect(before.body.routingNumberHeader).toBeNull();
    const set = await t.asAdmin("PUT", "/api/tenant", { routingNumberHeader: " A2B-DNID ", version: before.body.version });
    expect(set.status).toBe(200);
    expect(set.body.routingNumberHeader).toBe("A2B-DNID");
    // A routing change: the snapshot is rebuilt with it.
    expect((await t.asViewer("GET", "/api/tenant")).body.configVersion).toBeGreaterThan(before.body.configVersion);
    const bad = await t.asAdmin("PUT", "/api/tenant", { routingNumberHeader: "A2B DNID", version: set.body.version });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([expect.objectContaining({ path: "routingNumberHeader" })]);
    expect((await t.asViewer("PUT", "/api/tenant", { routingNumberHeader: null, version: set.body.version })).status).toBe(403);
    const cleared = await t.asAdmin("PUT", "/api/tenant", { routingNumberHeader: null, version: set.body.version });
    expect(cleared.body.routingNumberHeader).toBeNull();
  });
});

describe("POST /api/routing/explain with carrier headers", () => {
  it("routes by the routing-number header and by header conditions, and says so", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 2, pattern: "18005550123" });
    const token = await login(f.adminEmail, f.adminPassword);
    const tenant = await call(token, "GET", "/api/tenant");
    await call(token, "PUT", "/api/tenant", { routingNumberHeader: "A2B-DNID", version: tenant.body.version });

    const byTo = await call(token, "POST", "/api/routing/explain", { from: "14155550100", to: "18005550199" });
    expect(byTo.body.decision.action).toBe("hangup");
    expect(byTo.body.trace.routingNumber).toMatchObject({ source: "to", number: "18005550199" });

    const byHeader = await call(token, "POST", "/api/routing/explain", { from: "14155550100", to: "18005550199", headers: { "a2b-dnid": "18005550123" } });
    expect(byHeader.status).toBe(200);
    expect(byHeader.body.decision).toMatchObject({ action: "dial_agent", agent: { id: f.agents[0]!.id } });
    expect(byHeader.body.trace.rule).toMatchObject({ id: f.ruleId });
    expect(byHeader.body.trace.notes).toContain("matched 18005550123 from carrier header A2B-DNID (the tenant's routing-number header) instead of To 18005550199");

    const vip = await call(token, "POST", "/api/inbound-rules", { pattern: "18005550123", target: { type: "agent", id: f.agents[1]!.id }, header: X_TENANT_42 });
    expect(vip.status).toBe(201);
    const withTenant = await call(token, "POST", "/api/routing/explain", { to: "18005550199", headers: { "A2B-DNID": "18005550123", "X-Tenant": "42" } });
    expect(withTenant.body.decision.agent.id).toBe(f.agents[1]!.id);
    const otherTenant = await call(token, "POST", "/api/routing/explain", { to: "18005550199", headers: { "A2B-DNID": "18005550123", "X-Tenant": "7" } });
    expect(otherTenant.body.decision.agent.id).toBe(f.agents[0]!.id);
    expect(otherTenant.body.trace.rulesTried[0]).toEqual({ ruleId: vip.body.id, pattern: "18005550123", result: "header_not_matched", detail: "header X-Tenant is not 42" });
  });

  it("refuses headers that are not a name → text map of SIP header names", async ({ expect }) => {
    const f = await createRoutingFixture();
    const token = await login(f.adminEmail, f.adminPassword);
    for (const headers of [["X-Tenant", "42"], { "X Tenant": "42" }, { "X-Tenant": 42 }, Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`H-${i}`, "v"]))]) {
      const res = await call(token, "POST", "/api/routing/explain", { to: "18005550199", headers });
      expect(res.status, JSON.stringify(headers).slice(0, 60)).toBe(400);
      expect(res.body.error.details[0].path).toMatch(/^headers/);
    }
  });
});
