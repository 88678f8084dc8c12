import { describe, it } from "vitest";
import { createAgent, createTenantFixture } from "./helpers/fixtures";

describe("agent groups", () => {
  it("creates a group with defaults and settings, and reads it with its members in order", async ({ expect }) => {
    const t = await createTenantFixture("grp");
    const [a, b] = await Promise.all([createAgent(t, { weight: 4 }), createAgent(t)]);
    const res = await t.asAdmin("POST", "/api/agent-groups", {
      name: "Sales",
      strategy: "load_balanced",
      rollingWindowHours: 48,
      stickyTtlSeconds: 3600,
      members: [
        { agentId: b.id, priority: 1 },
        { agentId: a.id, weight: 9, capacity: 2 },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: "Sales", strategy: "load_balanced", rollingWindowHours: 48, maxAttempts: 3, stickyTtlSeconds: 3600, enabled: true, memberCount: 2, version: 1 });
    expect(res.body.members).toEqual([
      { agentId: b.id, position: 0, priority: 1, weight: null, capacity: null, agent: { name: b.name, provider: "retell", enabled: true, weight: 1, maxConcurrentCalls: null } },
      { agentId: a.id, position: 1, priority: 0, weight: 9, capacity: 2, agent: { name: a.name, provider: "retell", enabled: true, weight: 4, maxConcurrentCalls: null } },
    ]);
    const plain = await t.asAdmin("POST", "/api/agent-groups", { name: "Plain" });
    expect(plain.body).toMatchObject({ strategy: "round_robin", rollingWindowHours: 24, maxAttempts: 3, stickyTtlSeconds: null, members: [] });
    expect((await t.asViewer("GET", `/api/agent-groups/${res.body.id}`)).body).toEqual(res.body);
  });

  it.for([
    ["an unknown strategy", { name: "g", strategy: "random" }, "strategy"],
    ["a window of 0 hours", { name: "g", rollingWindowHours: 0 }, "rollingWindowHours"],
    ["a window over a week", { name: "g", rollingWindowHours: 169 }, "rollingWindowHours"],
    ["0 attempts", { name: "g", maxAttempts: 0 }, "maxAttempts"],
    ["11 attempts", { name: "g", maxAttempts: 11 }, "maxAttempts"],
    ["a zero sticky TTL", { name: "g", stickyTtlSeconds: 0 }, "stickyTtlSeconds"],
    ["no name", { strategy: "priority" }, "name"],
    ["a member without agentId", { name: "g", members: [{ priority: 1 }] }, "members.0.agentId"],
  ] as const)("refuses %s with a 400 naming the field", async ([, body, path], { expect }) => {
    const t = await createTenantFixture("grp");
    const res = await t.asAdmin("POST", "/api/agent-groups", body);
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: any) => d.path)).toContain(path);
  });

  it("refuses a duplicate group name with 409", async ({ expect }) => {
    const t = await createTenantFixture("grp");
    await t.asAdmin("POST", "/api/agent-groups", { name: "Support" });
    const res = await t.asAdmin("POST", "/api/agent-groups", { name: "support" });
    expect(res.status).toBe(409);
  });

  it("updates settings with a version check and leaves the members alone", async ({ expect }) => {
    const t = await createTenantFixture("grp");
    const agent = await createAgent(t);
    const group = (await t.asAdmin("POST", "/api/agent-groups", { name: "G", members: [{ agentId: agent.id }] })).body;
    const res = await t.asAdmin("PUT", `/api/agent-groups/${group.id}`, { strategy: "priority", maxAttempts: 5, version: 1 });
    expect(res.body).toMatchObject({ strategy: "priority", maxAttempts: 5, version: 2, memberCount: 1 });
    const stale = await t.asAdmin("PUT", `/api/agent-groups/${group.id}`, { maxAttempts: 6, version: 1 });
    expect(stale.status).toBe(409);
    const off = await t.asAdmin("PUT", `/api/agent-groups/${group.id}`, { stickyTtlSeconds: null, enabled: false });
    expect(off.body).toMatchObject({ stickyTtlSeconds: null, enabled: false, version: 3 });
  });

  it("replaces the member list atomically, keeping order, and an agent may be in several groups", async ({ expect }) => {
    const t = await createTenantFixture("grp");
    const agents = await Promise.all(Array.from({ length: 4 }, () => createAgent(t)));
    const g1 = (await t.asAdmin("POST", "/api/agent-groups", { name: "One" })).body;
    const g2 = (await t.asAdmin("POST", "/api/agent-groups", { name: "Two" })).body;
    const order = [agents[2], agents[0], agents[3]].map((a) => ({ agentId: a.id, priority: 5 }));
    const res = await t.asAdmin("PUT", `/api/agent-groups/${g1.id}/members`, { members: order, version: 1 });
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(2);
    expect(res.body.members.map((m: any) => [m.agentId, m.position])).toEqual(order.map((m, i) => [m.agentId, i]));
    expect((await t.asAdmin("PUT", `/api/agent-groups/${g2.id}/members`, { members: [{ agentId: agents[0].id }] })).status).toBe(200);
    const status = await t.asAdmin("GET", `/api/voice-agents/${agents[0].id}/status`);
    expect(status.body.groups.sort()).toEqual([g1.id, g2.id].sort());

    // A bad list changes nothing.
    const bad = await t.asAdmin("PUT", `/api/agent-groups/${g1.id}/members`, { members: [{ agentId: agents[1].id }, { agentId: "agt_nope" }] });
    expect(bad.status).toBe(404);
    expect(bad.body.error.details.missing).toEqual(["agt_nope"]);
    expect((await t.asAdmin("GET", `/api/agent-groups/${g1.id}`)).body.members.map((m: any) => m.agentId)).toEqual(order.map((m) => m.agentId));

    const empty = await t.asAdmin("PUT", `/api/agent-groups/${g1.id}/members`, { members: [] });
    expect(empty.body.members).toEqual([]);
    const stale = await t.asAdmin("PUT", `/api/agent-groups/${g1.id}/members`, { members: [], version: 2 });
    expect(stale.status).toBe(409);
  });

  it.for([
    ["a repeated agent", (id: string) => ({ members: [{ agentId: id }, { agentId: id }] }), "members.1.agentId"],
    ["1,001 members", (id: string) => ({ members: Array.from({ length: 1001 }, (_, i) => ({ agentId: `${id}${i}` })) }), "members"],
    ["a zero weight", (id: string) => ({ members: [{ agentId: id, weight: 0 }] }), "members.0.weight"],
    ["a negative priority", (id: string) => ({ members: [{ agentId: id, priority: -1 }] }), "members.0.priority"],
    ["a zero capacity", (id: string) => ({ members: [{ agentId: id, capacity: 0 }] }), "members.0.capacity"],
    ["no members field", () => ({}), "members"],
  ] as const)("refuses a member list with %s", async ([, body, path], { expect }) => {
    const t = await createTenantFixture("grp");
    const agent = await createAgent(t);
    const group = (await t.asAdmin("POST", "/api/agent-groups", { name: "G" })).body;
    const res = await t.asAdmin("PUT", `/api/agent-groups/${group.id}/members`, body(agent.id));
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: any) => d.path)).toContain(path);
  });

  it("reports stats: members and (until routing fills it) no live figures", async ({ expect }) => {
    const t = await createTenantFixture("grp");
    const agent = await createAgent(t);
    const group = (await t.asAdmin("POST", "/api/agent-groups", { name: "G", strategy: "priority", members: [{ agentId: agent.id }] })).body;
    const res = await t.asViewer("GET", `/api/agent-groups/${group.id}/stats`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ groupId: group.id, strategy: "priority", rollingWindowHours: 24, members: [{ agentId: agent.id }] });
    expect(res.body).toHaveProperty("live");
  });

  it("lists with filters (strategy, enabled, member agent, search) and member counts", async ({ expect }) => {
    const t = await createTenantFixture("grp");
    const agent = await createAgent(t);
    await t.asAdmin("POST", "/api/agent-groups", { name: "Alpha sales", strategy: "priority", members: [{ agentId: agent.id }] });
    await t.asAdmin("POST", "/api/agent-groups", { name: "Beta support", description: "night shift", enabled: false });
    const all = await t.asViewer("GET", "/api/agent-groups");
    expect(all.body.items.map((g: any) => [g.name, g.memberCount])).toEqual([
      ["Alpha sales", 1],
      ["Beta support", 0],
    ]);
    expect((await t.asViewer("GET", "/api/agent-groups?strategy=priority")).body.items).toHaveLength(1);
    expect((await t.asViewer("GET", "/api/agent-groups?enabled=false")).body.items[0].name).toBe("Beta support");
    expect((await t.asViewer("GET", `/api/agent-groups?agentId=${agent.id}`)).body.items[0].name).toBe("Alpha sales");
    expect((await t.asViewer("GET", "/api/agent-groups?q=NIGHT")).body.items[0].name).toBe("Beta support");
    expect((await t.asViewer("GET", "/api/agent-groups?sort=size")).status).toBe(400);
  });

  it("refuses to delete a group a rule uses; deletes it once the rule is gone", async ({ expect }) => {
    const t = await createTenantFixture("grp");
    const group = (await t.asAdmin("POST", "/api/agent-groups", { name: "G" })).body;
    const rule = (await t.asAdmin("POST", "/api/inbound-rules", { name: "Hotline", pattern: "+1800*", target: { type: "group", id: group.id } })).body;
    const blocked = await t.asAdmin("DELETE", `/api/agent-groups/${group.id}`);
    expect(blocked.status).toBe(409);
    expect(blocked.body.error.message).toContain("Hotline");
    expect((await t.asAdmin("DELETE", `/api/inbound-rules/${rule.id}`)).status).toBe(204);
    expect((await t.asAdmin("DELETE", `/api/agent-groups/${group.id}`)).status).toBe(204);
    expect((await t.asAdmin("GET", `/api/agent-groups/${group.id}`)).status).toBe(404);
  });
});
