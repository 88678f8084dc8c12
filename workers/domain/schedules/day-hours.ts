import { DAY, MINUTE, dateKey, wallToUtc, weekdayOf } from "./calendar";
import { intervalMinutes, type DayRule, type Schedule, type TimeInterval, type Weekday } from "./model";

/*
 * A local date's hours: which rule decides them (override, closure, weekly hours) and the
 * instants they open and close, clock changes included.
 */

export interface DayPlan {
  day: number;
  date: string;
  weekday: Weekday;
  rule: DayRule;
  intervals: readonly TimeInterval[];
}

export function dayPlan(schedule: Schedule, day: number): DayPlan {
  const date = dateKey(day);
  const weekday = weekdayOf(day);
  const override = schedule.overrides.find((o) => o.date === date);
  if (override) return { day, date, weekday, rule: { kind: "override", label: override.label }, intervals: override.intervals };
  // "YYYY-MM-DD" strings compare as dates.
  const closure = schedule.closures.find((c) => c.from <= date && date <= c.to);
  if (closure) return { day, date, weekday, rule: { kind: "closure", label: closure.label, from: closure.from, to: closure.to }, intervals: [] };
  return { day, date, weekday, rule: { kind: "weekly" }, intervals: schedule.weekly[weekday] ?? [] };
}

export interface Span {
  start: number;
  end: number;
  plan: DayPlan;
  interval: TimeInterval;
}

/** A date's intervals as instants, in opening order; empty ones (inside a gap) left out. */
export function spansOf(schedule: Schedule, plan: DayPlan): Span[] {
  const spans: Span[] = [];
  for (const interval of plan.intervals) {
    const { start, end } = intervalMinutes(interval);
    const s = wallToUtc(plan.day * DAY + start * MINUTE, schedule.timezone);
    const e = wallToUtc(plan.day * DAY + end * MINUTE, schedule.timezone);
    if (e > s) spans.push({ start: s, end: e, plan, interval });
  }
  return spans.sort((a, b) => a.start - b.start);
}

/*
 * A date's spans cost a few Intl calls; a routing snapshot's schedule object lives in isolate
 * memory and is never changed, so its dates' spans are kept with it (at most 64 dates each) and
 * a busy line's calls cost no Intl call at all after the first.
 */
const MAX_CACHED_DAYS = 64;
const spanCache = new WeakMap<Schedule, Map<number, Span[]>>();

export function daySpans(schedule: Schedule, day: number): Span[] {
  let byDay = spanCache.get(schedule);
  if (!byDay) spanCache.set(schedule, (byDay = new Map()));
  let spans = byDay.get(day);
  if (!spans) {
    if (byDay.size >= MAX_CACHED_DAYS) byDay.clear();
    spans = spansOf(schedule, dayPlan(schedule, day));
    byDay.set(day, spans);
  }
  return spans;
}

/** Spans of consecutive dates from `firstDay`, lazily: most answers need only two or three dates. */
export function* spansFrom(schedule: Schedule, firstDay: number, lastDay: number): Generator<Span> {
  for (let day = firstDay; day <= lastDay; day++) yield* daySpans(schedule, day);
}
