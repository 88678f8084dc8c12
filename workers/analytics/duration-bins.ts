/**
 * Duration bins (seconds) of answered calls, kept as h0…h19 in call_rollups. The bins only need
 * to be narrow enough that the exact median can be read from one bin's rows (see median.ts).
 * Bin i holds durations in [EDGES[i], EDGES[i + 1]); the last bin is open-ended.
 */
export const DURATION_BIN_EDGES = [0, 5, 10, 15, 20, 30, 45, 60, 90, 120, 150, 180, 240, 300, 420, 600, 900, 1200, 1800, 3600] as const;
export const BIN_COUNT = DURATION_BIN_EDGES.length;

export function binOf(durationSec: number): number {
  let lo = 0;
  let hi = BIN_COUNT - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (durationSec >= DURATION_BIN_EDGES[mid]!) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** [lower, upper) of bin i; upper is null for the last bin. */
export function binBounds(bin: number): { lower: number; upper: number | null } {
  return { lower: DURATION_BIN_EDGES[bin]!, upper: DURATION_BIN_EDGES[bin + 1] ?? null };
}

/**
 * Where the k-th smallest value (0-based) of a histogram lies: its bin and its rank inside the
 * bin. null when k is out of range.
 */
export function locateRank(histogram: readonly number[], k: number): { bin: number; rankInBin: number } | null {
  if (k < 0) return null;
  let below = 0;
  for (let bin = 0; bin < histogram.length; bin++) {
    const n = histogram[bin] ?? 0;
    if (k < below + n) return { bin, rankInBin: k - below };
    below += n;
  }
  return null;
}

/** 0-based ranks of the median of n values: one for odd n, the two middle ones for even n. */
export function medianRanks(n: number): number[] {
  if (n <= 0) return [];
  return n % 2 === 1 ? [(n - 1) / 2] : [n / 2 - 1, n / 2];
}
