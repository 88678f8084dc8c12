import { describe, it } from "vitest";
import { binOf, BIN_COUNT, DURATION_BIN_EDGES, locateRank, medianRanks } from "../../workers/analytics/duration-bins";
import { addContribution, mergeCells, MEASURES, rollupDelta, rollupSignature, type Cell, type RollupRecord } from "../../workers/analytics/rollup-math";
import { SLOT_MS, splitRange } from "../../workers/analytics/slots";

const T0 = Date.UTC(2026, 0, 10, 12, 7, 30);
const record = (overrides: Partial<RollupRecord> = {}): RollupRecord => ({
  startedAt: T0,
  direction: "inbound",
  status: "completed",
  groupId: "grp_1",
  agentId: "agt_b",
  answeredAt: T0 + 5_000,
  durationSec: 95,
  attempts: [
    { n: 1, kind: "agent", targetId: "agt_a", groupId: "grp_1", outcome: "failed" },
    { n: 2, kind: "agent", targetId: "agt_b", groupId: "grp_1", outcome: "answered" },
  ],
  ...overrides,
});

const valueIn = (cells: Cell[], agentId: string, measure: string) => cells.filter((c) => c.agentId === agentId).reduce((n, c) => n + c.values[MEASURES.indexOf(measure as never)]!, 0);

/** Applies signatures in order the way the store does (delta from the previous one). */
function replay(sigs: (string | null)[]): Cell[] {
  let stored: string | null = null;
  const deltas: Cell[][] = [];
  for (const sig of sigs) {
    deltas.push(rollupDelta(stored, sig));
    stored = sig;
  }
  return mergeCells(deltas);
}

describe("duration bins", () => {
  it.for([
    [0, 0],
    [4, 0],
    [5, 1],
    [59, 6],
    [60, 7],
    [95, 8],
    [3599, 18],
    [3600, 19],
    [86_400, 19],
  ] as const)("puts %i s in bin %i", ([seconds, bin], { expect }) => {
    expect(binOf(seconds)).toBe(bin);
  });

  it("covers every non-negative duration with contiguous bins", ({ expect }) => {
    expect(DURATION_BIN_EDGES[0]).toBe(0);
    for (let s = 0; s < 4000; s++) {
      const bin = binOf(s);
      expect(s >= DURATION_BIN_EDGES[bin]! && (bin === BIN_COUNT - 1 || s < DURATION_BIN_EDGES[bin + 1]!)).toBe(true);
    }
  });

  it("locates a rank inside the histogram", ({ expect }) => {
    const h = [2, 0, 3, 1];
    expect([0, 1, 2, 4, 5, 6].map((k) => locateRank(h, k))).toEqual([{ bin: 0, rankInBin: 0 }, { bin: 0, rankInBin: 1 }, { bin: 2, rankInBin: 0 }, { bin: 2, rankInBin: 2 }, { bin: 3, rankInBin: 0 }, null]);
  });

  it("takes one middle rank for odd counts and two for even ones", ({ expect }) => {
    expect([0, 1, 2, 5, 6].map(medianRanks)).toEqual([[], [0], [0, 1], [2], [2, 3]]);
  });
});

describe("slots", () => {
  it("splits a range into whole slots and ragged edges", ({ expect }) => {
    const a = Date.UTC(2026, 0, 1, 10, 7);
    const b = Date.UTC(2026, 0, 1, 12, 50);
    expect(splitRange(a, b)).toEqual({
      interior: [Date.UTC(2026, 0, 1, 10, 15), Date.UTC(2026, 0, 1, 12, 45)],
      edges: [
        [a, Date.UTC(2026, 0, 1, 10, 15)],
        [Date.UTC(2026, 0, 1, 12, 45), b],
      ],
    });
  });

  it("has no edges for an aligned range and no interior inside one slot", ({ expect }) => {
    expect(splitRange(0, 4 * SLOT_MS)).toEqual({ interior: [0, 4 * SLOT_MS], edges: [] });
    expect(splitRange(60_000, 120_000)).toEqual({ interior: null, edges: [[60_000, 120_000]] });
    expect(splitRange(5, 5)).toEqual({ interior: null, edges: [] });
  });
});

describe("rollup contribution", () => {
  it("does not count a call until it has ended", ({ expect }) => {
    for (const status of ["initiated", "routing", "ringing", "connected"]) expect(rollupSignature(record({ status }))).toBeNull();
  });

  it("counts the call under its final agent and every dial under the agent dialled", ({ expect }) => {
    const cells = rollupDelta(null, rollupSignature(record()));
    expect(cells.every((c) => c.slot === Date.UTC(2026, 0, 10, 12, 0))).toBe(true);
    expect(["calls", "answered", "durationSum", "durationCount", "h8"].map((m) => valueIn(cells, "agt_b", m))).toEqual([1, 1, 95, 1, 1]);
    expect(["calls", "attempts", "firstAttempts", "attemptsFailed"].map((m) => valueIn(cells, "agt_a", m))).toEqual([0, 1, 1, 1]);
    expect(["attempts", "firstAttempts", "attemptsAnswered"].map((m) => valueIn(cells, "agt_b", m))).toEqual([1, 0, 1]);
  });

  it("classifies failed, timed-out and abandoned calls", ({ expect }) => {
    const failed = rollupDelta(null, rollupSignature(record({ status: "failed", answeredAt: null, durationSec: 0 })));
    const timeout = rollupDelta(null, rollupSignature(record({ status: "timeout", answeredAt: null, durationSec: 0 })));
    const abandoned = rollupDelta(null, rollupSignature(record({ answeredAt: null, durationSec: 0 })));
    expect(["failed", "answered", "durationCount"].map((m) => valueIn(failed, "agt_b", m))).toEqual([1, 0, 0]);
    expect(valueIn(timeout, "agt_b", "timedOut")).toBe(1);
    expect(["abandoned", "answered"].map((m) => valueIn(abandoned, "agt_b", m))).toEqual([1, 0]);
  });

  it("is a no-op when the same record is applied again", ({ expect }) => {
    const sig = rollupSignature(record());
    expect(rollupDelta(sig, sig)).toEqual([]);
  });

  it("moves a call when a late CDR changes its duration, leaving one call counted", ({ expect }) => {
    const before = rollupSignature(record({ durationSec: 95 }));
    const after = rollupSignature(record({ durationSec: 610 }));
    const cells = replay([before, after]);
    expect(["calls", "durationSum", "h8", "h15"].map((m) => valueIn(cells, "agt_b", m))).toEqual([1, 610, 0, 1]);
  });

  it("ends in the same totals whatever order the record's states arrive in", ({ expect }) => {
    const states = [record({ status: "ringing", answeredAt: null, durationSec: null }), record({ status: "completed", durationSec: 40 }), record({ status: "completed", durationSec: 42 })].map(rollupSignature);
    const direct = replay([states[2]!]);
    // Newest wins in the store, so an older state arriving late never replaces a newer one;
    // what matters is that any path ending at the final record leaves the same rollups.
    expect(replay([states[0]!, states[1]!, states[2]!])).toEqual(direct);
    expect(replay([states[1]!, states[2]!, states[2]!])).toEqual(direct);
    expect(replay([states[1]!, null, states[2]!])).toEqual(direct);
  });

  it("puts a dial of a directly targeted agent under no group, and ignores trunk dials", ({ expect }) => {
    const cells = rollupDelta(
      null,
      rollupSignature(
        record({
          direction: "outbound",
          groupId: null,
          agentId: null,
          attempts: [
            { kind: "trunk", targetId: "trk_1", groupId: null, outcome: "answered" },
            { kind: "agent", targetId: "agt_x", groupId: null, outcome: "answered" },
          ],
        }),
      ),
    );
    expect(cells.map((c) => [c.direction, c.groupId, c.agentId]).sort()).toEqual([
      ["outbound", "", ""],
      ["outbound", "", "agt_x"],
    ]);
  });

  it("merges deltas into cells sorted by key, dropping those that cancel out", ({ expect }) => {
    const a = rollupSignature(record());
    const merged = mergeCells([rollupDelta(null, a), rollupDelta(a, null)]);
    expect(merged).toEqual([]);
    const cells = new Map<string, Cell>();
    addContribution(cells, a);
    const keys = mergeCells([[...cells.values()]]).map((c) => c.agentId);
    expect(keys).toEqual([...keys].sort());
  });
});

describe("coarser rollups", () => {
  it("folds slot deltas into UTC days and into call-only series rows, conserving every count", async ({ expect }) => {
    const { dailyCells, seriesCells } = await import("../../workers/analytics/rollup-math");
    const { splitDays } = await import("../../workers/analytics/slots");
    const a = rollupDelta(null, rollupSignature(record()));
    const b = rollupDelta(null, rollupSignature(record({ startedAt: T0 + 3 * 3_600_000, agentId: "agt_c", attempts: [] })));
    const cells = mergeCells([a, b]);
    const daily = dailyCells(cells);
    expect(new Set(daily.map((c) => c.slot))).toEqual(new Set([Date.UTC(2026, 0, 10)]));
    const sum = (list: Cell[], m: string) => list.reduce((n, c) => n + c.values[MEASURES.indexOf(m as never)]!, 0);
    for (const m of MEASURES) expect(sum(daily, m)).toBe(sum(cells, m));
    const series = seriesCells(cells);
    expect(series.every((c) => c.groupId === "" && c.agentId === "")).toBe(true);
    expect(series.map((c) => c.slot)).toEqual([Date.UTC(2026, 0, 10, 12), Date.UTC(2026, 0, 10, 15)]);
    expect([sum(series, "calls"), sum(series, "durationSum"), sum(series, "attempts"), sum(series, "h8")]).toEqual([2, 190, 0, 0]);
    expect(splitDays([Date.UTC(2026, 0, 1, 22), Date.UTC(2026, 0, 4, 1)])).toEqual({
      days: [Date.UTC(2026, 0, 2), Date.UTC(2026, 0, 4)],
      slots: [
        [Date.UTC(2026, 0, 1, 22), Date.UTC(2026, 0, 2)],
        [Date.UTC(2026, 0, 4), Date.UTC(2026, 0, 4, 1)],
      ],
    });
    expect(splitDays([Date.UTC(2026, 0, 1, 2), Date.UTC(2026, 0, 1, 5)])).toEqual({ days: null, slots: [[Date.UTC(2026, 0, 1, 2), Date.UTC(2026, 0, 1, 5)]] });
  });
});
