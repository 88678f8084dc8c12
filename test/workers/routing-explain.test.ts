import { env, exports } from "cloudflare:workers";
import { describe, it } from "vitest";
import { call, login } from "./helpers/fixtures";
import { createOutboundFixture, createRoutingFixture, voiceBody, webhookInit } from "./helpers/routing-fixture";

describe("POST /api/routing/explain", () => {
  it("returns the decision a real call would get, with the full trace, and changes no counter", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 3 });
    const token = await login(f.adminEmail, f.adminPassword);
    const explained = await call(token, "POST", "/api/routing/explain", { from: "+14155550100", to: "+18005550199" });
    expect(explained.status).toBe(200);
    const { decision, trace } = explained.body;
    expect(decision).toMatchObject({ action: "dial_agent", agent: { id: f.agents[0]!.id }, trunk: null });
    expect(decision.cxml).toContain(`<Service provider="${f.agents[0]!.provider}">${f.agents[0]!.serviceValue}</Service>`);
    expect(trace).toMatchObject({ direction: "inbound", rule: { id: f.ruleId, pattern: "1800*" }, called: "18005550199" });
    expect(trace.rulesTried).toEqual([{ ruleId: f.ruleId, pattern: "1800*", result: "matched" }]);
    expect(trace.stages[0]).toMatchObject({ kind: "group", reached: true, chosen: f.agents[0]!.id, candidates: [f.agents[1]!.id, f.agents[2]!.id], eligibleCount: 3 });
    expect(trace.stages.at(-1)).toMatchObject({ kind: "end", reached: false });

    // Explaining again gives the same answer: nothing was counted.
    const again = await call(token, "POST", "/api/routing/explain", { from: "+14155550100", to: "+18005550199" });
    expect(again.body.decision.agent.id).toBe(f.agents[0]!.id);
    expect((await env.GROUP_BALANCER.getByName(f.groupId).stats()).every((s) => s.picks === 0)).toBe(true);
    // And the real call goes where explain said.
    const xml = await (await exports.default.fetch("https://router.test/api/webhooks/voice-application", webhookInit(f, voiceBody(f)))).text();
    expect(xml).toContain(f.agents[0]!.serviceValue);
  });

  it("explains an unmatched number and an outbound call", async ({ expect }) => {
    const f = await createRoutingFixture();
    const token = await login(f.adminEmail, f.adminPassword);
    const unmatched = await call(token, "POST", "/api/routing/explain", { from: "1", to: "+4420" });
    expect(unmatched.body.decision).toMatchObject({ action: "hangup", agent: null });
    expect(unmatched.body.trace.notes).toContain("no inbound rule matches 4420");
    const outbound = await call(token, "POST", "/api/routing/explain", { from: "1004", to: "+4420", direction: "subscriber" });
    expect(outbound.body.decision).toMatchObject({ action: "reject" });
    expect(outbound.body.trace.direction).toBe("outbound");
  });

  it("explains outbound trunk routing with the caller-ID override", async ({ expect }) => {
    const f = await createOutboundFixture();
    const { withDb } = await import("./helpers/db");
    const schema = await import("../../workers/db/schema");
    const { eq } = await import("drizzle-orm");
    const [admin] = await withDb((db) => db.select().from(schema.users).where(eq(schema.users.tenantId, f.tenantId)));
    const token = await login(admin!.email, "outbound-fixture-password");
    const res = await call(token, "POST", "/api/routing/explain", { from: "1004", to: "442071234567", direction: "subscriber" });
    expect(res.body.decision).toMatchObject({ action: "dial_trunk", trunk: { name: "carrier-b" } });
    expect(res.body.decision.cxml).toContain('callerId="+15550000000"');
    expect(res.body.trace.stages[0].candidates).toEqual([f.trunks["carrier-c"]]);
  });

  it("validates its input and requires a signed-in user", async ({ expect }) => {
    const f = await createRoutingFixture();
    const token = await login(f.adminEmail, f.adminPassword);
    const missing = await call(token, "POST", "/api/routing/explain", { from: "1" });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toEqual([expect.objectContaining({ path: "to" })]);
    const badDirection = await call(token, "POST", "/api/routing/explain", { to: "1", direction: "sideways" });
    expect(badDirection.status).toBe(400);
    expect((await call(null, "POST", "/api/routing/explain", { to: "1" })).status).toBe(401);
  });
});
