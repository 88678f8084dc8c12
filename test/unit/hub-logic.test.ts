import { describe, it } from "vitest";
import { closeFor, isEventKey, isResend, isTargeted, liveSummaryOf, registryAction, resumePlan, socketVerdict, takeResume } from "../../durable-objects/logic/hub-logic";
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

describe("resends", () => {
  it("drops an event whose stream already reached its seq, and takes the next one", ({ expect }) => {
    expect(isResend({ stream: "c1", seq: 3 }, null)).toBe(false);
    expect(isResend({ stream: "c1", seq: 3 }, 3)).toBe(true);
    expect(isResend({ stream: "c1", seq: 2 }, 3)).toBe(true);
    expect(isResend({ stream: "c1", seq: 4 }, 3)).toBe(false);
  });
  it("recognises only well-formed keys", ({ expect }) => {
    expect(isEventKey({ stream: "c1", seq: 1 })).toBe(true);
    expect(isEventKey({ stream: "", seq: 1 })).toBe(false);
    expect(isEventKey({ stream: "c1", seq: 1.5 })).toBe(false);
    expect(isEventKey("c1:1")).toBe(false);
  });
});

describe("resume budget", () => {
  const limit = { count: 3, windowMs: 10_000 };
  it("allows a few resumes per window, refuses more, and starts afresh after the window", ({ expect }) => {
    let state: { resumes?: number; resumeWindowAt?: number } = {};
    const verdicts: boolean[] = [];
    for (const now of [1_000, 2_000, 3_000, 4_000]) {
      const taken = takeResume(state, now, limit);
      verdicts.push(taken.allowed);
      state = taken;
    }
    expect(verdicts).toEqual([true, true, true, false]);
    expect(takeResume(state, 11_000, limit)).toEqual({ allowed: true, resumes: 1, resumeWindowAt: 11_000 });
  });
});

describe("closing sockets on sign-out and revocation", () => {
  const socket = { userId: "u1", sessionId: "s1" };
  it("targets one session, or every session of a user but the one spared", ({ expect }) => {
    expect(isTargeted(socket, { sessionId: "s1" })).toBe(true);
    expect(isTargeted(socket, { sessionId: "s2" })).toBe(false);
    expect(isTargeted(socket, { userId: "u1" })).toBe(true);
    expect(isTargeted(socket, { userId: "u2" })).toBe(false);
    expect(isTargeted(socket, { userId: "u1", exceptSessionId: "s1" })).toBe(false);
    expect(isTargeted(socket, { userId: "u1", exceptSessionId: "s9" })).toBe(true);
  });
  it("says whether to sign in again (4001) or just reconnect (4010)", ({ expect }) => {
    expect(closeFor("signed_out")).toEqual({ code: 4001, reason: "signed out" });
    expect(closeFor("revoked")).toMatchObject({ code: 4001 });
    expect(closeFor("role_changed")).toMatchObject({ code: 4010 });
  });
});
