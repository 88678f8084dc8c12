import type { Summary } from "../../api/analytics";

/*
 * One meaning per colour wherever an outcome is drawn: answered green, failed red, timed out
 * orange, abandoned (the caller hung up before an answer) a neutral grey. In stacks, answered
 * comes first (the base), so its part is read against the axis; the rest sit on top of it.
 */
export const OUTCOME_COLORS = { Answered: "green.8", Failed: "red.7", "Timed out": "orange.7", Abandoned: "gray.6" } as const;

/** The chart's series in stack order, bottom first; timed out counts as failed here. */
export const CALL_SERIES = ["Answered", "Failed", "Abandoned"] as const;
export type CallSeries = (typeof CALL_SERIES)[number];

export type SeriesPoint = { time: string } & Record<CallSeries, number>;

function bucketLabel(iso: string, interval: "hour" | "day") {
  const d = new Date(iso);
  return interval === "hour" ? d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : d.toLocaleDateString([], { month: "short", day: "numeric" });
}

export function callSeries(summary: Summary | undefined): SeriesPoint[] {
  if (!summary) return [];
  return summary.series.map((b) => ({ time: bucketLabel(b.start, summary.range.interval), Answered: b.answered, Failed: b.failed + b.timedOut, Abandoned: b.abandoned }));
}
