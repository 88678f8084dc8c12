import { describe, it } from "vitest";
import { createAgent, createTenantFixture, type TenantFixture } from "./helpers/fixtures";

async function setup(): Promise<{ t: TenantFixture; agent: any; group: any }> {
  const t = await createTenantFixture("irl");
  const agent = await createAgent(t);
  const group = (await t.asAdmin("POST", "/api/agent-groups", { name: "G", members: [{ agentId: agent.id }] })).body;
  return { t, agent, group };
}

describe("inbound rules", () => {
  it("normalises exact and prefix patterns and reads them back", async ({ expect }) => {
    const { t, agent, group } = await setup();
    const exact = await t.asAdmin("POST", "/api/inbound-rules", { name: "Main", pattern: "+1 (555) 123-4567", target: { type: "agent", id: agent.id }, priority: 10 });
    expect(exact.status).toBe(201);
    expect(exact.body).toMatchObject({ name: "Main", pattern: "15551234567", displayPattern: "+15551234567", matchType: "exact", priority: 10, enabled: true, target: { type: "agent", id: agent.id }, fallback: null, version: 1 });
    const prefix = await t.asAdmin("POST", "/api/inbound-rules", { pattern: "1555*", target: { type: "group", id: group.id }, fallback: { type: "announcement", text: "Sorry, everyone is busy", language: "en-US" } });
    expect(prefix.body).toMatchObject({ name: "", pattern: "1555*", displayPattern: "+1555*", matchType: "prefix", priority: 100, fallback: { type: "announcement", text: "Sorry, everyone is busy" } });
    const all = await t.asAdmin("POST", "/api/inbound-rules", { pattern: "*", target: { type: "group", id: group.id }, fallback: { type: "reject", reason: "busy" } });
    expect(all.body).toMatchObject({ pattern: "*", displayPattern: "*", matchType: "prefix" });
    expect((await t.asViewer("GET", `/api/inbound-rules/${exact.body.id}`)).body).toEqual(exact.body);
    const list = await t.asViewer("GET", "/api/inbound-rules");
    expect(list.body.items.map((r: any) => r.pattern)).toEqual(["*", "1555*", "15551234567"]);
  });

  it.for([
    ["letters", "+1555abc", /contains "a"/],
    ["a star in the middle", "+15*55", /"\*" may only appear once, at the end/],
    ["a late plus", "1+555", /"\+" must come first/],
    ["nothing", "", /is empty/],
    ["too many digits", "+123456789012345678901", /at most 20 digits/],
  ] as const)("refuses a pattern with %s, saying what is wrong and what is expected", async ([, pattern, why], { expect }) => {
    const { t, agent } = await setup();
    const res = await t.asAdmin("POST", "/api/inbound-rules", { pattern, target: { type: "agent", id: agent.id } });
    expect(res.status).toBe(400);
    const detail = res.body.error.details.find((d: any) => d.path === "pattern");
    expect(detail.message).toMatch(why);
    expect(detail.message).toMatch(/\+15551234567 for one number or \+1555\*/);
  });

  it.for([
    ["no target", { pattern: "+1555*" }, "target"],
    ["a target of another kind", { pattern: "+1555*", target: { type: "trunk", id: "x" } }, "target.type"],
    ["a priority below 0", { pattern: "+1555*", target: { type: "agent", id: "x" }, priority: -1 }, "priority"],
    ["an unknown fallback type", { pattern: "+1555*", target: { type: "agent", id: "x" }, fallback: { type: "voicemail" } }, "fallback.type"],
    ["an empty announcement", { pattern: "+1555*", target: { type: "agent", id: "x" }, fallback: { type: "announcement", text: "" } }, "fallback.text"],
    ["a bad reject reason", { pattern: "+1555*", target: { type: "agent", id: "x" }, fallback: { type: "reject", reason: "nope" } }, "fallback.reason"],
  ] as const)("refuses %s with a 400 naming the field", async ([, body, path], { expect }) => {
    const { t } = await setup();
    const res = await t.asAdmin("POST", "/api/inbound-rules", body);
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: any) => d.path)).toContain(path);
  });

  it("answers 404 when the target or fallback is not one of the tenant's", async ({ expect }) => {
    const { t, agent } = await setup();
    const target = await t.asAdmin("POST", "/api/inbound-rules", { pattern: "+1555*", target: { type: "group", id: "grp_nope" } });
    expect(target.status).toBe(404);
    expect(target.body.error.message).toMatch(/Agent group grp_nope not found in this tenant \(target\.id\)/);
    const fallback = await t.asAdmin("POST", "/api/inbound-rules", { pattern: "+1555*", target: { type: "agent", id: agent.id }, fallback: { type: "agent", id: "agt_nope" } });
    expect(fallback.status).toBe(404);
    expect(fallback.body.error.details.field).toBe("fallback.id");
  });

  it("refuses a duplicate of a normalised pattern with 409 naming the rule", async ({ expect }) => {
    const { t, agent } = await setup();
    const first = (await t.asAdmin("POST", "/api/inbound-rules", { name: "Main", pattern: "+1 555 123 4567", target: { type: "agent", id: agent.id } })).body;
    const res = await t.asAdmin("POST", "/api/inbound-rules", { pattern: "15551234567", target: { type: "agent", id: agent.id } });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: "RULE_CONFLICT", details: { reason: "duplicate", conflictingRule: { id: first.id, name: "Main" } } });
    expect(res.body.error.message).toContain(first.id);
    // Changing another rule onto the same pattern is refused too.
    const other = (await t.asAdmin("POST", "/api/inbound-rules", { pattern: "+1666*", target: { type: "agent", id: agent.id } })).body;
    const moved = await t.asAdmin("PUT", `/api/inbound-rules/${other.id}`, { pattern: "+15551234567" });
    expect(moved.status).toBe(409);
  });

  it("refuses a shadowed rule (one that could never match), and a rule that would shadow another", async ({ expect }) => {
    const { t, agent } = await setup();
    const target = { type: "agent", id: agent.id };
    await t.asAdmin("POST", "/api/inbound-rules", { name: "exact", pattern: "+1555", target });
    for (const d of "012345678") expect((await t.asAdmin("POST", "/api/inbound-rules", { pattern: `+1555${d}*`, target })).status).toBe(201);
    const broad = (await t.asAdmin("POST", "/api/inbound-rules", { name: "Broad", pattern: "+1555*", target })).body;
    expect(broad.id).toBeTruthy();
    const last = await t.asAdmin("POST", "/api/inbound-rules", { pattern: "+15559*", target });
    expect(last.status).toBe(409);
    expect(last.body.error.details).toMatchObject({ reason: "shadows", conflictingRule: { id: broad.id, name: "Broad" } });
    expect(last.body.error.message).toMatch(/"Broad" .* could never match a call/);
    // Saved disabled it is accepted; enabling it later is refused.
    const disabled = await t.asAdmin("POST", "/api/inbound-rules", { pattern: "+15559*", target, enabled: false });
    expect(disabled.status).toBe(201);
    const enable = await t.asAdmin("PUT", `/api/inbound-rules/${disabled.body.id}`, { enabled: true });
    expect(enable.status).toBe(409);
    // With the broad rule disabled, the cover is complete and re-enabling the broad rule is refused as shadowed.
    await t.asAdmin("PUT", `/api/inbound-rules/${broad.id}`, { enabled: false });
    expect((await t.asAdmin("PUT", `/api/inbound-rules/${disabled.body.id}`, { enabled: true })).status).toBe(200);
    const reenable = await t.asAdmin("PUT", `/api/inbound-rules/${broad.id}`, { enabled: true });
    expect(reenable.status).toBe(409);
    expect(reenable.body.error.details.reason).toBe("shadowed");
    expect(reenable.body.error.details.coveredBy).toHaveLength(11);
  });

  it("updates with a version check and deletes", async ({ expect }) => {
    const { t, agent, group } = await setup();
    const rule = (await t.asAdmin("POST", "/api/inbound-rules", { pattern: "+1555*", target: { type: "agent", id: agent.id } })).body;
    const res = await t.asAdmin("PUT", `/api/inbound-rules/${rule.id}`, { target: { type: "group", id: group.id }, fallback: { type: "hangup" }, pattern: "+1556*", version: 1 });
    expect(res.body).toMatchObject({ target: { type: "group", id: group.id }, fallback: { type: "hangup" }, pattern: "1556*", version: 2 });
    expect((await t.asAdmin("PUT", `/api/inbound-rules/${rule.id}`, { priority: 1, version: 1 })).status).toBe(409);
    expect((await t.asAdmin("PUT", `/api/inbound-rules/${rule.id}`, { target: { type: "agent", id: "agt_x" } })).status).toBe(404);
    expect((await t.asAdmin("DELETE", `/api/inbound-rules/${rule.id}`, undefined, { "if-match": '"1"' })).status).toBe(409);
    expect((await t.asAdmin("DELETE", `/api/inbound-rules/${rule.id}`)).status).toBe(204);
    expect((await t.asAdmin("GET", `/api/inbound-rules/${rule.id}`)).status).toBe(404);
  });

  it("filters by target, match type and search", async ({ expect }) => {
    const { t, agent, group } = await setup();
    await t.asAdmin("POST", "/api/inbound-rules", { name: "Sales", pattern: "+1800*", target: { type: "group", id: group.id } });
    await t.asAdmin("POST", "/api/inbound-rules", { name: "Support", pattern: "+18885550100", target: { type: "agent", id: agent.id } });
    const q = (query: string) => t.asViewer("GET", `/api/inbound-rules?${query}`).then((r) => r.body.items.map((x: any) => x.name));
    expect(await q(`targetId=${group.id}`)).toEqual(["Sales"]);
    expect(await q("targetType=agent")).toEqual(["Support"]);
    expect(await q("matchType=exact")).toEqual(["Support"]);
    expect(await q("q=%2B1888")).toEqual(["Support"]);
    expect(await q("q=sales")).toEqual(["Sales"]);
    expect(await q("sort=priority&order=desc")).toHaveLength(2);
  });
});
