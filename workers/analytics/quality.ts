/*
 * Call quality and cost per agent, group or provider, from sums SQL made over call_records
 * (db/repos/quality.ts). Averages are computed here from exact sums and counts, so totals over
 * several keys are exact too, not averages of averages.
 */

/** A call's MOS (the lower of receive and transmit when both were reported) below this is poor. */
export const POOR_MOS = 3.5;

/** What SQL sums per key: counts, sums of the reported figures, and the billed seconds beside each cost. */
export interface QualitySums {
  calls: number;
  callsWithQuality: number;
  mosCalls: number;
  mosSum: number;
  poorMosCalls: number;
  jitterCalls: number;
  jitterSum: number;
  lossCalls: number;
  lossSum: number;
  billedSec: number;
  ratedCost: number;
  /** Billed seconds of the calls whose rated cost was reported: the per-minute figure's divisor. */
  ratedBilledSec: number;
  sellCost: number;
  sellBilledSec: number;
}

export interface QualityFigures {
  calls: number;
  callsWithQuality: number;
  mosCalls: number;
  avgMos: number | null;
  poorMosCalls: number;
  poorMosShare: number | null;
  avgJitterMs: number | null;
  avgPacketLossPct: number | null;
  billedSec: number;
  ratedCost: number;
  sellCost: number;
  ratedCostPerMinute: number | null;
  sellCostPerMinute: number | null;
}

const round = (value: number, decimals: number) => {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
};
const mean = (sum: number, n: number) => (n > 0 ? round(sum / n, 4) : null);

/** A cost per billed minute (6 decimals); null without billed seconds. */
export function perMinute(cost: number | null | undefined, billedSec: number | null | undefined): number | null {
  if (cost === null || cost === undefined || !billedSec || billedSec <= 0) return null;
  return round((cost * 60) / billedSec, 6);
}

export function qualityFigures(s: QualitySums): QualityFigures {
  return {
    calls: s.calls,
    callsWithQuality: s.callsWithQuality,
    mosCalls: s.mosCalls,
    avgMos: mean(s.mosSum, s.mosCalls),
    poorMosCalls: s.poorMosCalls,
    poorMosShare: mean(s.poorMosCalls, s.mosCalls),
    avgJitterMs: mean(s.jitterSum, s.jitterCalls),
    avgPacketLossPct: mean(s.lossSum, s.lossCalls),
    billedSec: s.billedSec,
    ratedCost: round(s.ratedCost, 6),
    sellCost: round(s.sellCost, 6),
    ratedCostPerMinute: perMinute(s.ratedCost, s.ratedBilledSec),
    sellCostPerMinute: perMinute(s.sellCost, s.sellBilledSec),
  };
}

export const EMPTY_SUMS: QualitySums = {
  calls: 0,
  callsWithQuality: 0,
  mosCalls: 0,
  mosSum: 0,
  poorMosCalls: 0,
  jitterCalls: 0,
  jitterSum: 0,
  lossCalls: 0,
  lossSum: 0,
  billedSec: 0,
  ratedCost: 0,
  ratedBilledSec: 0,
  sellCost: 0,
  sellBilledSec: 0,
};

/** The sums of several keys (for the totals). */
export function addSums(all: QualitySums[]): QualitySums {
  const total = { ...EMPTY_SUMS };
  for (const s of all) for (const k of Object.keys(total) as (keyof QualitySums)[]) total[k] += s[k];
  return total;
}

/** The CDR columns of one call record. */
export interface RecordCdrColumns {
  mosRx: number | null;
  mosTx: number | null;
  jitterMs: number | null;
  packetLossPct: number | null;
  ratedCost: number | null;
  sellCost: number | null;
  billableSec: number | null;
  amdResult: string | null;
  recordingUrl: string | null;
  cxTrunkId: string | null;
  cxRoute: string | null;
}

/** One call's quality, cost (with cost per billed minute), AMD, recording and route, as the detail shows them. */
export function recordCdrFigures(row: RecordCdrColumns) {
  return {
    quality: { mosRx: row.mosRx, mosTx: row.mosTx, jitterMs: row.jitterMs, packetLossPct: row.packetLossPct },
    cost: {
      rated: row.ratedCost,
      sell: row.sellCost,
      ratedPerMinute: perMinute(row.ratedCost, row.billableSec),
      sellPerMinute: perMinute(row.sellCost, row.billableSec),
    },
    amdResult: row.amdResult,
    recordingUrl: row.recordingUrl,
    cxTrunkId: row.cxTrunkId,
    cxRoute: row.cxRoute,
  };
}
