import { describe, it } from "vitest";
import { createAgent, createTenantFixture, type TenantFixture } from "./helpers/fixtures";

/*
 * A trunk is not deleted while anything dials through it: besides agents and outbound rules,
 * every "number" target that names it (a group's or rule's overflow, a rule's fallback or
 * closed-hours target, the tenant's default fallback) and a campaign not yet finished.
 */

const trunk = (t: TenantFixture, name: string) => t.asAdmin("POST", "/api/trunks", { name }).then((r) => r.body);
const person = (trunkId: string) => ({ type: "number", number: "+14155550999", trunkId });

async function created(res: Promise<{ status: number; body: any }>) {
  const { status, body } = await res;
  if (status !== 201 && status !== 200) throw new Error(`setup failed: ${status} ${JSON.stringify(body)}`);
  return body;
}

describe("deleting a trunk that is in use", () => {
  it("is refused, naming each user, until the last of them lets go", { timeout: 60_000 }, async ({ expect }) => {
    const t = await createTenantFixture("tiu");
    const carrier = await trunk(t, "carrier-a");
    const agent = await createAgent(t);
    const group = await created(t.asAdmin("POST", "/api/agent-groups", { name: "Sales", members: [{ agentId: agent.id }], overflow: person(carrier.id) }));
    const schedule = await created(t.asAdmin("POST", "/api/schedules", { name: "Never", timezone: "UTC", weekly: {} }));
    const viaFallback = await created(t.asAdmin("POST", "/api/inbound-rules", { name: "Support", pattern: "+1800*", target: { type: "agent", id: agent.id }, fallback: person(carrier.id) }));
    const viaClosed = await created(t.asAdmin("POST", "/api/inbound-rules", { name: "Night", pattern: "+1888*", target: { type: "agent", id: agent.id }, scheduleId: schedule.id, closedTarget: person(carrier.id) }));
    const viaOverflow = await created(t.asAdmin("POST", "/api/inbound-rules", { name: "Main", pattern: "+1877*", target: { type: "group", id: group.id }, overflow: person(carrier.id) }));
    await created(t.asAdmin("PUT", "/api/tenant", { defaultFallback: person(carrier.id) }));
    const campaign = await created(t.asAdmin("POST", "/api/campaigns", { name: "Spring", target: { type: "group", id: group.id }, callerId: "+14155550100", trunkId: carrier.id }));

    const refuse = async () => {
      const res = await t.asAdmin("DELETE", `/api/trunks/${carrier.id}`);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe("IN_USE");
      return res.body.error;
    };
    const first = await refuse();
    expect(first.details.usedBy).toEqual([
      { kind: "group", id: group.id, name: "Sales", as: "overflow" },
      { kind: "inbound_rule", id: viaFallback.id, name: "Support", as: "fallback" },
      { kind: "inbound_rule", id: viaOverflow.id, name: "Main", as: "overflow" },
      { kind: "inbound_rule", id: viaClosed.id, name: "Night", as: "closedTarget" },
      { kind: "tenant", id: t.tenantId, name: expect.any(String), as: "defaultFallback" },
      { kind: "campaign", id: campaign.id, name: "Spring", as: "trunk" },
    ]);
    expect(first.message).toContain(`agent group "Sales" (${group.id}) as its overflow`);
    expect(first.message).toContain(`inbound rule "Support" (${viaFallback.id}) as its fallback`);
    expect(first.message).toContain(`inbound rule "Night" (${viaClosed.id}) as its closed-hours target`);
    expect(first.message).toContain(`inbound rule "Main" (${viaOverflow.id}) as its overflow`);
    expect(first.message).toContain("the tenant's default fallback");
    expect(first.message).toContain(`campaign "Spring" (${campaign.id})`);

    // Each user let go in turn: the refusal lists exactly the ones left.
    const left = async () => (await refuse()).details.usedBy.map((u: { kind: string; as: string }) => `${u.kind}:${u.as}`);
    await created(t.asAdmin("PUT", `/api/agent-groups/${group.id}`, { overflow: { type: "next" }, version: group.version }));
    expect(await left()).toEqual(["inbound_rule:fallback", "inbound_rule:overflow", "inbound_rule:closedTarget", "tenant:defaultFallback", "campaign:trunk"]);
    await created(t.asAdmin("PUT", `/api/inbound-rules/${viaFallback.id}`, { fallback: { type: "hangup" }, version: viaFallback.version }));
    await created(t.asAdmin("PUT", `/api/inbound-rules/${viaOverflow.id}`, { overflow: { type: "number", number: "+14155550999" }, version: viaOverflow.version }));
    expect(await left()).toEqual(["inbound_rule:closedTarget", "tenant:defaultFallback", "campaign:trunk"]);
    expect((await t.asAdmin("DELETE", `/api/inbound-rules/${viaClosed.id}`)).status).toBe(204);
    await created(t.asAdmin("PUT", "/api/tenant", { defaultFallback: null }));
    expect(await left()).toEqual(["campaign:trunk"]);
    // A stopped campaign never dials again: it no longer holds the trunk.
    expect((await t.asAdmin("POST", `/api/campaigns/${campaign.id}/stop`)).status).toBe(200);
    expect((await t.asAdmin("DELETE", `/api/trunks/${carrier.id}`)).status).toBe(204);
  });

  it("is not refused for a number target through another trunk or through none, nor for another tenant's use", async ({ expect }) => {
    const t = await createTenantFixture("tiu");
    const [spare, used] = [await trunk(t, "spare"), await trunk(t, "used")];
    const agent = await createAgent(t);
    await created(t.asAdmin("POST", "/api/agent-groups", { name: "g", members: [{ agentId: agent.id }], overflow: person(used.id) }));
    await created(t.asAdmin("POST", "/api/inbound-rules", { pattern: "+1800*", target: { type: "agent", id: agent.id }, fallback: { type: "number", number: "+14155550999" } }));
    // Another tenant with a trunk of the same name, in use there.
    const other = await createTenantFixture("tiu");
    const theirs = await trunk(other, "spare");
    await created(other.asAdmin("PUT", "/api/tenant", { defaultFallback: person(theirs.id) }));

    expect((await t.asAdmin("DELETE", `/api/trunks/${spare.id}`)).status).toBe(204);
    expect((await t.asAdmin("DELETE", `/api/trunks/${used.id}`)).status).toBe(409);
    expect((await other.asAdmin("DELETE", `/api/trunks/${theirs.id}`)).status).toBe(409);
  });
});
