import { emptySnapshot, testAgent as agent } from "./helpers/snapshot";
import { describe, it } from "vitest";
import { planRoute } from "../../workers/routing/decide";
import { scheduleGate } from "../../workers/routing/schedule-gate";
import type { RoutingSnapshot, SnapshotInboundRule } from "../../workers/routing/snapshot-types";

const nine5 = [{ open: "09:00", close: "17:00" }];

function snapshot(rule: Partial<SnapshotInboundRule>, overrides: Partial<RoutingSnapshot> = {}): RoutingSnapshot {
  return emptySnapshot({
    agents: { day: agent("day"), night: agent("night"), backup: agent("backup"), desk: agent("desk") },
    groups: {},
    trunks: {},
    inboundRules: [{ id: "r1", name: "Sales", pattern: "1800*", matchType: "prefix", priority: 100, enabled: true, targetType: "agent", targetId: "day", fallback: null, scheduleId: "s1", closedTarget: null, ...rule }],
    outboundRules: [],
    schedules: {
      s1: { id: "s1", name: "Office", timezone: "America/New_York", weekly: { mon: nine5, tue: nine5, wed: nine5, thu: nine5, fri: nine5, sat: [], sun: [] }, closures: [{ from: "2026-12-25", to: "2026-12-25", label: "Christmas" }], overrides: [] },
    },
    ...overrides,
  });
}

const route = (s: RoutingSnapshot, at: string) => planRoute(s, { from: "+14155550100", to: "+18005550199", at: Date.parse(at) });
const labels = (plan: ReturnType<typeof route>) => plan.stages.map((stage) => stage.label);

// Friday 2026-03-06: 10:00 EST is 15:00 UTC; 20:00 EST is 01:00 UTC the next day.
const OPEN = "2026-03-06T15:00:00Z";
const CLOSED = "2026-03-07T01:00:00Z";

describe("schedule gate", () => {
  it("routes to the rule's target and fallback while open, and records why", ({ expect }) => {
    const plan = route(snapshot({ fallback: { type: "agent", id: "backup" }, closedTarget: { type: "agent", id: "night" } }), OPEN);
    expect(labels(plan)).toEqual(["rule Sales: agent DAY", "rule fallback: agent BACKUP", "clean hang-up"]);
    expect(plan.trace.schedule).toEqual({ scheduleId: "s1", name: "Office", open: true, reason: "weekly hours: Friday 09:00–17:00", changesAt: "2026-03-06T22:00:00.000Z" });
    expect(plan.trace.notes).toContain('schedule "Office" is open (weekly hours: Friday 09:00–17:00) until 2026-03-06T22:00:00.000Z');
  });

  it("routes only to the closed target while closed", ({ expect }) => {
    const plan = route(snapshot({ fallback: { type: "agent", id: "backup" }, closedTarget: { type: "agent", id: "night" } }), CLOSED);
    expect(labels(plan)).toEqual(["schedule closed: rule's closed target: agent NIGHT", "clean hang-up"]);
    expect(plan.ruleId).toBe("r1");
    expect(plan.trace.schedule).toEqual({ scheduleId: "s1", name: "Office", open: false, reason: "weekly hours: outside Friday's hours 09:00–17:00", changesAt: "2026-03-09T13:00:00.000Z" });
  });

  it("falls back to the rule's fallback, then the tenant's default, then its unmatched action", ({ expect }) => {
    expect(labels(route(snapshot({ fallback: { type: "announcement", text: "Closed" } }), CLOSED))).toEqual(["schedule closed: rule's fallback (no closed target)"]);
    expect(route(snapshot({ fallback: { type: "announcement", text: "Closed" } }), CLOSED).stages[0]).toMatchObject({ kind: "end", action: { type: "announcement", text: "Closed" } });
    expect(labels(route(snapshot({}, { defaultFallback: { type: "agent", id: "desk" } }), CLOSED))).toEqual(["schedule closed: tenant's default fallback (the rule has no closed target or fallback): agent DESK", "clean hang-up"]);
    expect(route(snapshot({}, { unmatchedAction: "reject" }), CLOSED).stages).toMatchObject([{ kind: "end", action: { type: "reject" } }]);
    expect(route(snapshot({}), CLOSED).stages).toMatchObject([{ kind: "end", action: { type: "hangup" } }]);
  });

  it("names a closure as the reason", ({ expect }) => {
    const plan = route(snapshot({ closedTarget: { type: "hangup" } }), "2026-12-25T16:00:00Z");
    expect(plan.trace.schedule).toMatchObject({ open: false, reason: 'closure "Christmas" (2026-12-25)', changesAt: "2026-12-28T14:00:00.000Z" });
  });

  it("follows New York's clock change: Monday 09:30 is open after spring-forward, 08:30 closed", ({ expect }) => {
    const s = snapshot({ closedTarget: { type: "agent", id: "night" } });
    expect(route(s, "2026-03-09T13:30:00Z").trace.schedule?.open).toBe(true);
    expect(route(s, "2026-03-09T12:30:00Z").trace.schedule).toMatchObject({ open: false, changesAt: "2026-03-09T13:00:00.000Z" });
    // After the fall-back, 09:00 is 14:00 UTC again.
    expect(route(s, "2026-11-02T13:30:00Z").trace.schedule?.open).toBe(false);
    expect(route(s, "2026-11-02T14:30:00Z").trace.schedule?.open).toBe(true);
  });

  it("leaves a rule without a schedule alone, and treats a schedule missing from the snapshot as open", ({ expect }) => {
    const plain = route(snapshot({ scheduleId: null }), CLOSED);
    expect(labels(plain)).toEqual(["rule Sales: agent DAY", "clean hang-up"]);
    expect(plain.trace.schedule).toBeUndefined();
    const s = snapshot({ scheduleId: "gone" });
    expect(scheduleGate(s, s.inboundRules[0]!, Date.parse(CLOSED))).toMatchObject({ closed: null, trace: { scheduleId: "gone", open: true } });
    expect(labels(route(s, CLOSED))).toEqual(["rule Sales: agent DAY", "clean hang-up"]);
  });

  it("reads the time of the call from the facts (now by default)", ({ expect }) => {
    const s = snapshot({ closedTarget: { type: "agent", id: "night" } });
    const now = planRoute(s, { from: "1", to: "18005550199" });
    expect(now.trace.schedule?.open).toBe(scheduleGate(s, s.inboundRules[0]!, Date.now())!.trace.open);
  });
});
