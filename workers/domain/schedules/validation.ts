import { TIME_PATTERN, intervalMinutes, minutesOf, rangeText, type TimeInterval } from "./model";

/*
 * What makes a date's hours invalid, each problem tied to the interval and field at fault so
 * the API's schema (schemas/schedules.ts) can report it on that field.
 */

export type IntervalProblem = [number, "open" | "close" | "overnight", string];

/**
 * Problems with one date's intervals, as [index, field, message]: each must open before it
 * closes (or be marked overnight), and none may overlap another.
 */
export function intervalProblems(intervals: readonly TimeInterval[]): IntervalProblem[] {
  const problems: IntervalProblem[] = [];
  const valid: { index: number; start: number; end: number }[] = [];
  intervals.forEach((interval, index) => {
    const problem = shapeProblem(interval);
    if (problem) problems.push([index, ...problem]);
    else if (TIME_PATTERN.test(interval.open) && TIME_PATTERN.test(interval.close)) valid.push({ index, ...intervalMinutes(interval) });
  });
  const sorted = [...valid].sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1]!;
    const current = sorted[i]!;
    if (current.start < previous.end) problems.push([current.index, "open", `overlaps ${rangeText(intervals[previous.index]!)}`]);
  }
  return problems;
}

function shapeProblem(interval: TimeInterval): [IntervalProblem[1], string] | null {
  // A malformed time is reported by the field's own pattern.
  if (!TIME_PATTERN.test(interval.open) || !TIME_PATTERN.test(interval.close)) return null;
  if (interval.open === "24:00") return ["open", 'must be 00:00 to 23:59 ("24:00" only closes)'];
  const open = minutesOf(interval.open);
  const close = minutesOf(interval.close);
  if (close === open) return ["close", "must differ from the opening time (00:00–24:00 is the whole day)"];
  if (interval.overnight && close > open) return ["overnight", "an overnight interval closes the next day, earlier than it opens; this one closes the same day"];
  if (!interval.overnight && close < open) return ["close", `closes before it opens: mark it overnight to run past midnight to ${interval.close} the next day`];
  return null;
}

/** An overnight run of `previous` that overlaps an interval of the next weekday: [index in next, message]. */
export function overnightOverlaps(previous: readonly TimeInterval[], previousName: string, next: readonly TimeInterval[]): [number, string][] {
  const problems: [number, string][] = [];
  const runs = previous.filter((i) => i.overnight && TIME_PATTERN.test(i.close) && TIME_PATTERN.test(i.open) && minutesOf(i.close) < minutesOf(i.open));
  next.forEach((interval, index) => {
    if (!TIME_PATTERN.test(interval.open)) return;
    const run = runs.find((r) => minutesOf(interval.open) < minutesOf(r.close));
    if (run) problems.push([index, `overlaps ${previousName}'s ${rangeText(run)}, which runs past midnight`]);
  });
  return problems;
}
