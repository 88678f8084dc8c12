import { describe, it } from "vitest";
import { CALL_EVENTS, CALL_STATES, TERMINAL, failureBlamesAgent, isTerminal, mapSessionStatus, transition, type CallEvent, type CallState } from "../../workers/domain/call-machine";

/** The whole table, written out: null = refused. Every state × every event appears once. */
const EXPECTED: Record<CallState, Record<CallEvent, CallState | null>> = {
  initiated: { route: "routing", dial: null, ring: null, answer: null, dial_failed: null, hangup: "completed", fail: "failed", time_out: "timeout" },
  routing: { route: null, dial: "ringing", ring: null, answer: null, dial_failed: null, hangup: "completed", fail: "failed", time_out: "timeout" },
  ringing: {
    route: null,
    dial: null,
    ring: "ringing",
    answer: "connected",
    dial_failed: "routing",
    hangup: "completed",
    fail: "failed",
    time_out: "timeout",
  },
  connected: { route: null, dial: null, ring: null, answer: "connected", dial_failed: null, hangup: "completed", fail: "completed", time_out: "timeout" },
  completed: { route: null, dial: null, ring: null, answer: null, dial_failed: null, hangup: null, fail: null, time_out: null },
  failed: { route: null, dial: null, ring: null, answer: null, dial_failed: null, hangup: null, fail: null, time_out: null },
  timeout: { route: null, dial: null, ring: null, answer: null, dial_failed: null, hangup: null, fail: null, time_out: null },
};

const CASES = CALL_STATES.flatMap((state) => CALL_EVENTS.map((event) => [state, event, EXPECTED[state][event]] as const));

describe("transition", () => {
  it("covers 7 states × 8 events", ({ expect }) => {
    expect(CASES).toHaveLength(56);
    expect(new Set(CALL_STATES).size).toBe(7);
    expect(new Set(CALL_EVENTS).size).toBe(8);
  });

  it.for(CASES)("%s + %s → %s", ([state, event, next], { expect }) => {
    const result = transition(state, event);
    if (next === null) {
      expect(result.ok).toBe(false);
      const reason = isTerminal(state) ? `call is ${state}; "${event}" is ignored` : `call is ${state}; "${event}" is not allowed`;
      expect(result).toEqual({ ok: false, reason });
    } else {
      expect(result).toEqual({ ok: true, next });
    }
  });

  it("time_out ends every live call and nothing ends a finished one", ({ expect }) => {
    for (const state of CALL_STATES) {
      expect(transition(state, "time_out")).toEqual(isTerminal(state) ? expect.objectContaining({ ok: false }) : { ok: true, next: "timeout" });
    }
  });

  it("runs a call with one failover to completion", ({ expect }) => {
    const events: CallEvent[] = ["route", "dial", "ring", "ring", "dial_failed", "dial", "ring", "answer", "answer", "hangup"];
    let state: CallState = "initiated";
    const path: CallState[] = [];
    for (const event of events) {
      const r = transition(state, event);
      if (!r.ok) throw new Error(r.reason);
      state = r.next;
      path.push(state);
    }
    expect(path).toEqual(["routing", "ringing", "ringing", "ringing", "routing", "ringing", "ringing", "connected", "connected", "completed"]);
  });
});

describe("terminal states", () => {
  it("are exactly completed, failed and timeout", ({ expect }) => {
    expect([...TERMINAL].sort()).toEqual(["completed", "failed", "timeout"]);
    expect(CALL_STATES.filter(isTerminal)).toEqual(["completed", "failed", "timeout"]);
  });
});

describe("mapSessionStatus", () => {
  it.for([
    ["new", null],
    ["NEW", null],
    ["processing", null],
    ["ringing", "ring"],
    ["Ringing", "ring"],
    ["connected", "answer"],
    ["answer", "answer"],
    ["answered", "answer"],
    ["completed", "hangup"],
    ["external", "hangup"],
    ["busy", "fail"],
    ["noanswer", "fail"],
    ["no-answer", "fail"],
    ["cancel", "fail"],
    ["canceled", "fail"],
    ["cancelled", "fail"],
    ["nocredit", "fail"],
    ["congestion", "fail"],
    ["error", "fail"],
    ["failed", "fail"],
    [" FAILED ", "fail"],
    ["", null],
    ["something-new", null],
    ["constructor", null],
    ["__proto__", null],
  ] as const)("%j → %s", ([status, event], { expect }) => {
    expect(mapSessionStatus(status)).toBe(event);
  });
});

describe("failureBlamesAgent", () => {
  it.for([
    ["busy", true],
    ["noanswer", true],
    ["no-answer", true],
    ["congestion", true],
    ["error", true],
    ["failed", true],
    ["cancel", false],
    ["canceled", false],
    ["Cancelled", false],
    [" CANCEL ", false],
    ["nocredit", false],
    ["NOCREDIT", false],
  ] as const)("%j → %s", ([status, blamed], { expect }) => {
    expect(failureBlamesAgent(status)).toBe(blamed);
  });
});
