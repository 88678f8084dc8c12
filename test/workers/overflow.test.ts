import { exports } from "cloudflare:workers";
import { describe, it } from "vitest";
import { createAgent, createTenantFixture, type TenantFixture } from "./helpers/fixtures";

/*
 * Overflow: what a group or rule does with a call when every eligible agent, or every agent's
 * provider account, is full: the next stage (the default), an announcement, or a person.
 */

const VOICE = "https://router.test/api/webhooks/voice-application";

async function call(t: TenantFixture, to = "+18005550100"): Promise<string> {
  const session = crypto.randomUUID().replace(/-/g, "");
  const res = await exports.default.fetch(VOICE, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${t.requestKey}` },
    body: JSON.stringify({ ApiVersion: "1", CallStatus: "in-progress", CallSid: session, Session: session, From: "14155550100", To: to, Direction: "inbound", Domain: t.domain, AccountSid: t.domain }),
  });
  return res.text();
}

describe("overflow when every agent is full", () => {
  it("plays the group's announcement once its only agent is at capacity, and only then", async ({ expect }) => {
    const t = await createTenantFixture("ovf");
    const agent = await createAgent(t, { maxConcurrentCalls: 1, serviceValue: "+12125556001" });
    const group = (await t.asAdmin("POST", "/api/agent-groups", { name: "g", members: [{ agentId: agent.id }], overflow: { type: "announcement", text: "All our agents are busy; we will call you back." } })).body;
    expect(group.overflow).toEqual({ type: "announcement", text: "All our agents are busy; we will call you back." });
    await t.asAdmin("POST", "/api/inbound-rules", { name: "main", pattern: "+1800*", target: { type: "group", id: group.id } });
    expect(await call(t)).toContain("+12125556001");
    expect(await call(t)).toContain("<Say>All our agents are busy; we will call you back.</Say><Hangup/>");
    // Disabled is not full: the call goes on to the next stage (here the clean end), no announcement.
    await t.asAdmin("PATCH", `/api/voice-agents/${agent.id}/toggle`, { enabled: false });
    const disabled = await call(t);
    expect(disabled).toContain("<Hangup/>");
    expect(disabled).not.toContain("<Say>");
  });

  it("dials the rule's person (beating the group's overflow), also when the provider account is what is full", async ({ expect }) => {
    const t = await createTenantFixture("ovf-acct");
    const account = (await t.asAdmin("POST", "/api/provider-accounts", { name: "Vapi", maxConcurrentCalls: 1 })).body;
    const agents = [await createAgent(t, { serviceValue: "+12125556101", providerAccountId: account.id }), await createAgent(t, { serviceValue: "+12125556102", providerAccountId: account.id })];
    const group = (await t.asAdmin("POST", "/api/agent-groups", { name: "g", members: agents.map((a) => ({ agentId: a.id })), overflow: { type: "announcement", text: "busy" } })).body;
    const rule = await t.asAdmin("POST", "/api/inbound-rules", { name: "main", pattern: "+1800*", target: { type: "group", id: group.id }, overflow: { type: "number", number: "+1 415 555 0999" } });
    expect(rule.body.overflow).toEqual({ type: "number", number: "+14155550999" });
    expect(await call(t)).toMatch(/\+1212555610[12]/);
    const second = await call(t);
    expect(second).toContain("<Number>+14155550999</Number>");
    expect(second).not.toContain("<Say>");
    // "next" on the rule beats the group's announcement too: the call goes on to the next stage.
    await t.asAdmin("PUT", `/api/inbound-rules/${rule.body.id}`, { overflow: { type: "next" } });
    const third = await call(t);
    expect(third).toContain("<Hangup/>");
    expect(third).not.toContain("<Number>");
  });

  it("refuses an overflow that is no person, announcement or next step, and another tenant's trunk", async ({ expect }) => {
    const t = await createTenantFixture("ovf-bad");
    for (const overflow of [
      { type: "agent", id: "agt_x" },
      { type: "waiting_room", retrySeconds: 5 },
      { type: "sip", uri: 'sip:a@b"><Dial>' },
      { type: "announcement", text: "" },
    ]) {
      const res = await t.asAdmin("POST", "/api/agent-groups", { name: `g-${Math.random()}`, overflow });
      expect(res.status, JSON.stringify(overflow)).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
    }
    const other = await createTenantFixture("ovf-other");
    const trunk = (await other.asAdmin("POST", "/api/trunks", { name: "theirs" })).body;
    const res = await t.asAdmin("POST", "/api/agent-groups", { name: "g", overflow: { type: "number", number: "+14155550999", trunkId: trunk.id } });
    expect(res.status).toBe(404);
  });
});
