import { describe, it } from "vitest";
import { classifyDirection, planRoute } from "../../workers/routing/decide";
import { dialDetails, unpackMembers } from "../../workers/routing/packed-group";
import type { RoutingSnapshot } from "../../workers/routing/snapshot-types";

function snapshot(overrides: Partial<RoutingSnapshot> = {}): RoutingSnapshot {
  const agent = (id: string, enabled = true) => ({ id, name: id.toUpperCase(), provider: "retell", serviceValue: `+1${id.length}`, username: null, passwordEnc: null, enabled, maxConcurrentCalls: null, weight: 1 });
  return {
    format: 2,
    tenantId: "t1",
    version: 7,
    builtAt: 0,
    domain: "acme.test",
    requestKeyHash: null,
    previousRequestKeyHash: null,
    previousRequestKeyExpiresAt: null,
    timezone: "UTC",
    defaultFallback: null,
    outboundCallerPatterns: ["1212555*"],
    agents: { a1: agent("a1"), a2: agent("a2", false), a3: agent("a3") },
    groups: {
      g1: {
        id: "g1",
        name: "Sales",
        strategy: "priority",
        rollingWindowHours: 24,
        maxAttempts: 2,
        stickyTtlSeconds: null,
        enabled: true,
        members: [
          { agentId: "a1", position: 0, priority: 1, weight: 1, capacity: 2 },
          { agentId: "a2", position: 1, priority: 2, weight: 3, capacity: null },
          { agentId: "gone", position: 2, priority: 3, weight: 1, capacity: null },
        ],
      },
      off: { id: "off", name: "Off", strategy: "round_robin", rollingWindowHours: 24, maxAttempts: 3, stickyTtlSeconds: null, enabled: false, members: [] },
    },
    trunks: { tr1: { id: "tr1", name: "carrier-a", callerIdOverride: null, enabled: true }, tr2: { id: "tr2", name: "carrier-b", callerIdOverride: "+1555", enabled: false } },
    inboundRules: [
      { id: "r1", name: "sales", pattern: "1800*", matchType: "prefix", priority: 100, enabled: true, targetType: "group", targetId: "g1", fallback: { type: "agent", id: "a3" } },
      { id: "r2", name: "vip", pattern: "18005550100", matchType: "exact", priority: 100, enabled: true, targetType: "agent", targetId: "a3", fallback: { type: "announcement", text: "Sorry" } },
      { id: "r3", name: "closed", pattern: "1900*", matchType: "prefix", priority: 100, enabled: true, targetType: "group", targetId: "off", fallback: null },
    ],
    outboundRules: [{ id: "o1", name: "all", callerPatterns: [], destinationPrefix: "", trunkIds: ["tr2", "tr1", "missing"], priority: 100, enabled: true }],
    ...overrides,
  };
}

describe("classifyDirection", () => {
  it.for([
    [{ from: "1004", to: "1", cloudonixDirection: "subscriber" }, "outbound"],
    [{ from: "1004", to: "1", cloudonixDirection: "outbound-api" }, "outbound"],
    [{ from: "+12125550001", to: "1", cloudonixDirection: "inbound" }, "outbound"],
    [{ from: "+14155550001", to: "1", cloudonixDirection: "inbound" }, "inbound"],
    [{ from: "+14155550001", to: "1" }, "inbound"],
  ] as const)("%o is %s", ([facts, expected], { expect }) => {
    expect(classifyDirection(snapshot(), facts).direction).toBe(expected);
  });
});

describe("planRoute: a registered endpoint's (subscriber) call", () => {
  const extensions = snapshot({
    inboundRules: [...snapshot().inboundRules, { id: "x1", name: "support desk", pattern: "3000", matchType: "exact", priority: 100, enabled: true, targetType: "agent", targetId: "a1", fallback: null }],
  });

  it("goes to an internal destination when an inbound rule names the dialled extension", ({ expect }) => {
    const plan = planRoute(extensions, { from: "1004", to: "3000", cloudonixDirection: "subscriber" });
    expect(plan.direction).toBe("inbound");
    expect(plan.ruleId).toBe("x1");
    expect(plan.stages[0]).toMatchObject({ kind: "group", balancer: "agent:a1" });
    expect(plan.trace.directionReason).toBe("Direction=subscriber, and 3000 is an internal destination (inbound rule support desk)");
  });

  it("stays internal for the tenant's own numbers", ({ expect }) => {
    const plan = planRoute(extensions, { from: "1004", to: "+1 800 555 0199", cloudonixDirection: "subscriber" });
    expect([plan.direction, plan.ruleId]).toEqual(["inbound", "r1"]);
  });

  it("goes out through a trunk only when no inbound rule names the number, and says why", ({ expect }) => {
    const plan = planRoute(extensions, { from: "1004", to: "442071234567", cloudonixDirection: "subscriber" });
    expect(plan.direction).toBe("outbound");
    expect(plan.stages[0]).toMatchObject({ kind: "trunks", destination: "+442071234567" });
    expect(plan.trace.notes[0]).toBe("Direction=subscriber: no inbound rule names 442071234567, so it is an external number");
  });

  it("never puts a + in front of a short number it sends out", ({ expect }) => {
    const plan = planRoute(snapshot(), { from: "1004", to: "3001", cloudonixDirection: "subscriber" });
    expect(plan.stages[0]).toMatchObject({ kind: "trunks", destination: "3001", callerId: "1004" });
  });

  it("leaves calls that are outbound by caller ID alone: they are not subscriber calls", ({ expect }) => {
    const plan = planRoute(extensions, { from: "+12125550001", to: "3000", cloudonixDirection: "inbound" });
    expect(plan.direction).toBe("outbound");
  });
});

describe("planRoute", () => {
  it("plans the matched group, then the rule's fallback, then a clean hang-up, carrying only existing members", ({ expect }) => {
    const plan = planRoute(snapshot(), { from: "1", to: "+1 800 555 0199" });
    expect(plan.ruleId).toBe("r1");
    expect(plan.stages.map((s) => s.kind)).toEqual(["group", "group", "end"]);
    const [group, fallback] = plan.stages;
    if (group?.kind !== "group" || fallback?.kind !== "group") throw new Error("expected groups");
    expect(group.balancer).toBe("g1");
    expect(unpackMembers(group.group.members)).toEqual([
      { agentId: "a1", position: 0, priority: 1, weight: 1, capacity: 2, enabled: true },
      { agentId: "a2", position: 1, priority: 2, weight: 3, capacity: null, enabled: false },
    ]);
    expect(dialDetails(group.group.members, group.details, "a2")).toEqual({ id: "a2", name: "A2", provider: "retell", serviceValue: "+12", username: null, passwordEnc: null });
    expect(dialDetails(group.group.members, group.details, "gone")).toBeNull();
    expect(fallback.balancer).toBe("agent:a3");
    expect(fallback.group.maxAttempts).toBe(1);
    expect(unpackMembers(fallback.group.members).map((m) => m.agentId)).toEqual(["a3"]);
    expect(plan.trace).toMatchObject({ snapshotVersion: 7, direction: "inbound", called: "18005550199", rule: { id: "r1" } });
  });

  it("prefers the exact rule and ends with its announcement", ({ expect }) => {
    const plan = planRoute(snapshot(), { from: "1", to: "18005550100" });
    expect(plan.ruleId).toBe("r2");
    expect(plan.stages.at(-1)).toMatchObject({ kind: "end", action: { type: "announcement", text: "Sorry" } });
    expect(plan.stages).toHaveLength(2);
  });

  it("skips a disabled group with a note and hangs up", ({ expect }) => {
    const plan = planRoute(snapshot(), { from: "1", to: "19001234" });
    expect(plan.stages.map((s) => s.kind)).toEqual(["end"]);
    expect(plan.trace.notes).toContain("rule closed: group Off is disabled");
  });

  it("uses the tenant default for unmatched calls, else hangs up", ({ expect }) => {
    expect(planRoute(snapshot(), { from: "1", to: "4420" }).stages).toEqual([{ kind: "end", label: "clean hang-up", action: { type: "hangup" } }]);
    const withDefault = planRoute(snapshot({ defaultFallback: { type: "reject", reason: "busy" } }), { from: "1", to: "4420" });
    expect(withDefault.stages).toEqual([{ kind: "end", label: "tenant default", action: { type: "reject", reason: "busy" } }]);
    expect(withDefault.trace.usedDefaultFallback).toBe(true);
  });

  it("routes outbound through the rule's enabled trunks in order, noting the rest", ({ expect }) => {
    const plan = planRoute(snapshot(), { from: "1004", to: "+4420", cloudonixDirection: "subscriber" });
    expect(plan.stages[0]).toEqual({ kind: "trunks", label: "rule all", ruleId: "o1", destination: "+4420", callerId: "1004", trunks: [{ id: "tr1", name: "carrier-a", callerIdOverride: null }] });
    expect(plan.trace.notes).toEqual(["Direction=subscriber: no inbound rule names 4420, so it is an external number", "trunk carrier-b is disabled", "trunk missing no longer exists"]);
    expect(plan.stages[1]).toMatchObject({ kind: "end", action: { type: "hangup" } });
  });

  it.for([
    ["1 (415) 555-0100", "+14155550100"],
    ["+442071234567", "+442071234567"],
    ["1004", "1004"],
    ["02071234567", "02071234567"],
    ["alice", "alice"],
    ["", null],
  ] as const)("presents caller %j to trunks as %j", ([from, callerId], { expect }) => {
    const stage = planRoute(snapshot(), { from, to: "+4420", cloudonixDirection: "subscriber" }).stages[0];
    expect(stage).toMatchObject({ kind: "trunks", callerId });
  });

  it("hands a call to the next matching rule when the best one has no enabled trunk", ({ expect }) => {
    const plan = planRoute(
      snapshot({
        outboundRules: [
          { id: "uk", name: "uk", callerPatterns: [], destinationPrefix: "44", trunkIds: ["tr2", "missing"], priority: 1, enabled: true },
          { id: "o1", name: "all", callerPatterns: [], destinationPrefix: "", trunkIds: ["tr1"], priority: 100, enabled: true },
        ],
      }),
      { from: "1004", to: "+4420", cloudonixDirection: "subscriber" },
    );
    expect(plan.ruleId).toBe("o1");
    expect(plan.stages[0]).toMatchObject({ kind: "trunks", ruleId: "o1", trunks: [{ id: "tr1" }] });
    expect(plan.trace.rulesTried).toEqual([
      { ruleId: "uk", pattern: "44*", result: "no_enabled_trunk" },
      { ruleId: "o1", pattern: "*", result: "matched" },
    ]);
  });

  it("rejects with congestion, billing nothing, when every matching rule's trunks are disabled", ({ expect }) => {
    const plan = planRoute(snapshot({ outboundRules: [{ id: "uk", name: "uk", callerPatterns: [], destinationPrefix: "44", trunkIds: ["tr2"], priority: 1, enabled: true }] }), {
      from: "1004",
      to: "+4420",
      cloudonixDirection: "subscriber",
    });
    expect(plan.stages).toEqual([{ kind: "end", label: "no enabled trunk", action: { type: "reject", reason: "congestion" } }]);
    expect(plan.trace.notes).toEqual(["Direction=subscriber: no inbound rule names 4420, so it is an external number", "no outbound rule for 4420 has an enabled trunk"]);
  });

  it("rejects outbound calls no rule routes", ({ expect }) => {
    const plan = planRoute(snapshot({ outboundRules: [] }), { from: "1004", to: "+4420", cloudonixDirection: "subscriber" });
    expect(plan.stages).toEqual([{ kind: "end", label: "no outbound route", action: { type: "reject", reason: "rejected" } }]);
  });
});
