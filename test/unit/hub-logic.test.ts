import { describe, it } from "vitest";
import { liveSummaryOf, registryAction, resumePlan, socketVerdict } from "../../durable-objects/logic/hub-logic";
import type { LiveCallSummary } from "../../durable-objects/hub-events";

const summary = (overrides: Partial<LiveCallSummary> = {}): LiveCallSummary => ({
  callId: "c1",
  recordId: "cal_1",
  state: "ringing",
  direction: "inbound",
  from: "1",
  to: "2",
  ruleId: null,
  groupId: null,
  agentId: null,
  trunkId: null,
  attempt: 1,
  startedAt: 1000,
  answeredAt: null,
  endedAt: null,
  ...overrides,
});

describe("live-call registry", () => {
  it("takes the summary out of a call event and nothing out of other events", ({ expect }) => {
    expect(liveSummaryOf({ type: "call.updated", at: 1, data: { ...summary(), event: "call.ringing", detail: { x: 1 } } })).toEqual(summary());
    expect(liveSummaryOf({ type: "agent.health_changed", at: 1, data: { agentId: "a" } })).toBeNull();
    expect(liveSummaryOf({ type: "call.updated", at: 1, data: { event: "x" } })).toBeNull();
  });

  it("ends a call on call.ended or a terminal state, and ignores late or older news", ({ expect }) => {
    expect(registryAction(summary(), "call.ended", null, false, 5)).toBe("end");
    expect(registryAction(summary({ state: "completed" }), "call.updated", null, false, 5)).toBe("end");
    expect(registryAction(summary(), "call.updated", null, true, 5)).toBe("ignore");
    expect(registryAction(summary(), "call.updated", { at: 9 }, false, 5)).toBe("ignore");
    expect(registryAction(summary(), "call.updated", { at: 5 }, false, 5)).toBe("upsert");
    expect(registryAction(summary(), "call.started", null, false, 5)).toBe("upsert");
  });
});

describe("resume", () => {
  const hub = { seq: 100, epoch: "e1", oldestBuffered: 51 };
  it.for([
    [100, "e1", { kind: "current" }],
    [60, "e1", { kind: "replay", after: 60 }],
    [50, undefined, { kind: "replay", after: 50 }],
    [49, "e1", { kind: "resync", reason: "too_far_behind" }],
    [60, "e0", { kind: "resync", reason: "epoch_changed" }],
    [101, "e1", { kind: "resync", reason: "ahead_of_server" }],
  ] as const)("since %i of epoch %s → %j", ([since, epoch, plan], { expect }) => {
    expect(resumePlan(since, epoch, hub, 1000)).toEqual(plan);
  });

  it("resyncs rather than replay more than the limit", ({ expect }) => {
    expect(resumePlan(10, "e1", { seq: 5000, epoch: "e1", oldestBuffered: 1 }, 1000)).toEqual({ kind: "resync", reason: "too_far_behind" });
  });
});

describe("socket verdict", () => {
  const limits = { maxInFlight: 500, idleMs: 90_000 };
  const state = { sessionExpiresAt: 10_000_000, connectedAt: 0, acked: 100, lastSeen: 1_000 };
  it("keeps a healthy socket", ({ expect }) => {
    expect(socketVerdict(state, 400, 50_000, limits)).toEqual({ keep: true });
  });
  it("lets go of an ended session, a client too far behind, and a silent one", ({ expect }) => {
    expect(socketVerdict(state, 100, 10_000_000, limits)).toMatchObject({ keep: false, code: 4001 });
    expect(socketVerdict(state, 601, 50_000, limits)).toMatchObject({ keep: false, code: 4008, reason: expect.stringContaining("since=100") });
    expect(socketVerdict(state, 100, 91_001, limits)).toMatchObject({ keep: false, code: 4009 });
  });
});
