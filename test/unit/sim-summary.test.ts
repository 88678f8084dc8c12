import { describe, expect, it } from "vitest";
import { COOL_DOWN_MS, FAILURE_THRESHOLD } from "../../durable-objects/logic/health";
import { callEnd, formatSummary, replayHealth, summarize, type DialResult, type SimAttempt, type SimCall } from "../../scripts/lib/sim-summary";

const T = 1_800_000_000_000;
const dial = (target: string, result: DialResult | null, at: number): SimAttempt => ({ target, offeredAt: at, result, reportedAt: result === null ? null : at + 100 });
const routed = (...attempts: SimAttempt[]): SimCall => ({ routeStatus: 200, attempts });

describe("the simulator's summary", () => {
  const calls: SimCall[] = [
    routed(dial("A", "answered", T)),
    routed(dial("B", "busy", T + 1_000), dial("A", "answered", T + 1_500)),
    routed(dial("B", "no-answer", T + 2_000), dial("C", "failed", T + 2_500)),
    routed(dial("C", "answered", T + 3_000)),
    { routeStatus: 200, attempts: [] },
    { routeStatus: 503, attempts: [] },
    { routeStatus: null, attempts: [] },
  ];

  it("counts calls by how they ended, and the failovers", () => {
    const s = summarize(calls);
    expect(s.calls).toBe(7);
    expect(s.ends).toEqual({ answered: 3, failed: 1, "not-routed": 1, error: 2, unreported: 0 });
    expect(s.failedOver).toBe(2);
    expect(s.answeredAfterFailover).toBe(1);
  });

  it("counts every dial per target and per result, and which result each call ended on", () => {
    const s = summarize(calls);
    expect(s.agents).toEqual([
      expect.objectContaining({ target: "A", offered: 2, firstOffers: 1, answered: 2, failed: 0 }),
      expect.objectContaining({ target: "B", offered: 2, firstOffers: 2, answered: 0, failed: 2 }),
      expect.objectContaining({ target: "C", offered: 2, firstOffers: 1, answered: 1, failed: 1 }),
    ]);
    expect(s.outcomes).toEqual({
      answered: { dials: 3, callsEnded: 3 },
      busy: { dials: 1, callsEnded: 0 },
      "no-answer": { dials: 1, callsEnded: 0 },
      failed: { dials: 1, callsEnded: 1 },
    });
    // Every dial is counted once per target and once per result.
    const dials = s.agents.reduce((n, a) => n + a.offered, 0);
    expect(Object.values(s.outcomes).reduce((n, o) => n + o.dials, 0)).toBe(dials);
  });

  it("keeps calls whose results were not reported apart from failures", () => {
    const s = summarize([routed(dial("A", null, T)), routed(dial("A", "busy", T), dial("B", null, T + 10))]);
    expect(s.ends).toMatchObject({ unreported: 2, failed: 0 });
    expect(s.agents.find((a) => a.target === "A")).toMatchObject({ offered: 2, failed: 1, unreported: 1 });
    expect(callEnd(routed(dial("A", "busy", T)))).toBe("failed");
  });

  it("formats one line per agent, under its name when known", () => {
    const lines = formatSummary(summarize(calls), { startedAt: T, names: new Map([["B", "Bravo (retell)"]]) });
    expect(lines[0]).toBe("calls 7: answered 3 (42.9%), failed 1 (every target failed), not routed 1 (no <Dial>), errors 2");
    expect(lines.find((l) => l.startsWith("Bravo (retell)"))).toMatch(/^Bravo \(retell\)\s+2\s+2\s+50\.0%\s+0\s+2\s+0/);
  });
});

describe("the health rule replayed on the reported outcomes", () => {
  const failures = (n: number, from: number, gap = 1_000) => Array.from({ length: n }, (_, i) => dial("A", "busy", from + i * gap));

  it("takes an agent out at its threshold of consecutive failures, and counts offers made while it is out", () => {
    const attempts = [...failures(FAILURE_THRESHOLD, T), dial("A", "answered", T + 10_000)];
    const r = replayHealth(attempts);
    expect(r.takenOut).toBe(1);
    expect(r.firstTakenOutAt).toBe(T + (FAILURE_THRESHOLD - 1) * 1_000 + 100);
    // The answered offer came 10 s later, inside the cool-down: the router should not have made it.
    expect(r.offersWhileOut).toBe(1);
  });

  it("does not take it out when a success breaks the run of failures", () => {
    const attempts = [...failures(FAILURE_THRESHOLD - 1, T), dial("A", "answered", T + 5_000), ...failures(FAILURE_THRESHOLD - 1, T + 6_000)];
    expect(replayHealth(attempts)).toEqual({ takenOut: 0, firstTakenOutAt: null, offersWhileOut: 0 });
  });

  it("takes it out again at the first failure after the cool-down (half-open)", () => {
    const attempts = [...failures(FAILURE_THRESHOLD, T), dial("A", "busy", T + COOL_DOWN_MS + 10_000)];
    const r = replayHealth(attempts);
    expect(r.takenOut).toBe(2);
    expect(r.offersWhileOut).toBe(0);
  });

  it("follows the order outcomes were reported in, not the order the attempts are listed in", () => {
    const attempts = [dial("A", "answered", T + 3_000), ...failures(FAILURE_THRESHOLD, T)];
    expect(replayHealth(attempts).takenOut).toBe(1);
  });
});
