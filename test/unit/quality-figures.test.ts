import { describe, it } from "vitest";
import { addSums, EMPTY_SUMS, perMinute, qualityFigures, recordCdrFigures } from "../../workers/analytics/quality";

describe("quality figures", () => {
  it("averages only what was reported and divides cost by the billed minutes of the calls that reported it", ({ expect }) => {
    const figures = qualityFigures({ ...EMPTY_SUMS, calls: 3, callsWithQuality: 2, mosCalls: 3, mosSum: 9.9, poorMosCalls: 2, jitterCalls: 1, jitterSum: 12.345678, billedSec: 100, ratedCost: 0.055, ratedBilledSec: 9, sellCost: 0, sellBilledSec: 0 });
    expect(figures).toEqual({
      calls: 3,
      callsWithQuality: 2,
      mosCalls: 3,
      avgMos: 3.3,
      poorMosCalls: 2,
      poorMosShare: 0.6667,
      avgJitterMs: 12.3457,
      avgPacketLossPct: null,
      billedSec: 100,
      ratedCost: 0.055,
      sellCost: 0,
      ratedCostPerMinute: 0.366667,
      sellCostPerMinute: null,
    });
  });

  it("totals several keys from their sums, not from their averages", ({ expect }) => {
    const a = { ...EMPTY_SUMS, calls: 1, mosCalls: 1, mosSum: 4, ratedCost: 0.1, ratedBilledSec: 60 };
    const b = { ...EMPTY_SUMS, calls: 3, mosCalls: 3, mosSum: 6, ratedCost: 0.2, ratedBilledSec: 60 };
    // The mean of the two averages would be 3; the calls' mean is 2.5.
    expect(qualityFigures(addSums([a, b]))).toMatchObject({ calls: 4, avgMos: 2.5, ratedCost: 0.3, ratedCostPerMinute: 0.15 });
    expect(qualityFigures(addSums([]))).toMatchObject({ calls: 0, avgMos: null, poorMosShare: null, ratedCostPerMinute: null });
  });

  it("gives a call's cost per billed minute, none without billed seconds or cost", ({ expect }) => {
    expect(perMinute(0.012345, 2)).toBe(0.37035);
    expect(perMinute(0.5, 0)).toBeNull();
    expect(perMinute(null, 60)).toBeNull();
    const row = { mosRx: 4, mosTx: null, jitterMs: null, packetLossPct: null, ratedCost: 0.02, sellCost: null, billableSec: 30, amdResult: null, recordingUrl: null, cxTrunkId: "7", cxRoute: null };
    expect(recordCdrFigures(row)).toEqual({
      quality: { mosRx: 4, mosTx: null, jitterMs: null, packetLossPct: null },
      cost: { rated: 0.02, sell: null, ratedPerMinute: 0.04, sellPerMinute: null },
      amdResult: null,
      recordingUrl: null,
      cxTrunkId: "7",
      cxRoute: null,
    });
  });
});
