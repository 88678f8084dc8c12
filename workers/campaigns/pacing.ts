/*
 * How many calls a campaign may place now: never more in progress than its limit, never more
 * than its calls per minute in any 60 seconds, and spread evenly (one every 60/rate seconds).
 * Pure over the clock it is given, so it can be tested with a fixed clock, and safe when that
 * clock jumps: placements stamped in the "future" (the clock went back) still count as recent,
 * and a jump forward frees at most what the last minute would have allowed.
 */

export interface PaceInput {
  now: number;
  maxConcurrent: number;
  inProgress: number;
  callsPerMinute: number;
  /** When the calls of about the last minute were placed (those after now - 60 s, or later than now). */
  recent: readonly number[];
}

export interface Pace {
  /** Calls that may be placed now. */
  count: number;
  /** When one more may be placed if none can now (null: only when a call in progress ends). */
  nextAt: number | null;
}

const MINUTE = 60_000;

export function pace(input: PaceInput): Pace {
  const { now, callsPerMinute } = input;
  const free = input.maxConcurrent - input.inProgress;
  const recent = input.recent.filter((t) => t > now - MINUTE);
  const gap = MINUTE / callsPerMinute;
  // Even spacing: the next call may go one gap after the latest; a latest in the future (the
  // clock went back) waits one gap from now, not until the old clock catches up.
  const latest = recent.length ? Math.max(...recent) : Number.NEGATIVE_INFINITY;
  const spacedFrom = latest > now ? now + gap : latest + gap;
  // In a burst after a quiet spell, up to one second's worth at once.
  const burst = Math.max(1, Math.floor(callsPerMinute / 60));
  const byGap = now < spacedFrom ? 0 : spacedFrom === Number.NEGATIVE_INFINITY ? burst : Math.min(burst, 1 + Math.floor((now - spacedFrom) / gap));
  const byMinute = callsPerMinute - recent.length;
  const count = Math.max(0, Math.min(free, byGap, byMinute));
  if (count > 0 || free <= 0) return { count, nextAt: null };
  // Blocked by the rate: when the spacing allows one more and the minute has room again.
  const sorted = [...recent].sort((a, b) => a - b);
  const minuteFrees = byMinute > 0 ? now : Math.max(now, (sorted[recent.length - callsPerMinute] ?? now) + MINUTE);
  return { count: 0, nextAt: Math.max(spacedFrom, minuteFrees, now + 1) };
}
