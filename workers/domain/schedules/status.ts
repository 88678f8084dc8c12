import { localLabel, offsetAt } from "../../analytics/time-zone";
import { DAY, HOUR, localDay, wallToUtc } from "./calendar";
import { dayPlan, daySpans, spansFrom, spansOf, type DayPlan, type Span } from "./day-hours";
import { WEEKDAY_NAMES, rangeText, type DayRule, type Schedule, type TimeInterval, type Weekday } from "./model";

/*
 * A schedule's answers: open or closed at an instant, why, and until when (routing, campaigns
 * and alerts ask), and a week's hours as instants (the editor's preview).
 */

export interface ScheduleStatus {
  open: boolean;
  /** Human text naming the rule that applied, e.g. 'closure "Christmas" (2026-12-25)'. */
  reason: string;
  /** The rule of the local date that decided it (for an overnight run, the date it opened on). */
  rule: DayRule;
  /** Epoch ms of the next open/close transition; null when none within CHANGE_HORIZON_MS. */
  changesAt: number | null;
}

export interface PreviewInterval {
  start: number;
  end: number;
  /** Local start and end with their UTC offsets, e.g. "2026-03-08T03:00:00-04:00". */
  startLocal: string;
  endLocal: string;
  /** The interval as configured ("22:00–02:00"), which a clock change may have moved. */
  configured: string;
}

export interface PreviewDay {
  date: string;
  weekday: Weekday;
  rule: DayRule;
  /** Real hours in this local day: 23 or 25 (or 23.5…) on a clock-change day. */
  hours: number;
  intervals: PreviewInterval[];
}

/** How far ahead changesAt looks. */
export const CHANGE_HORIZON_MS = 14 * DAY;

const intervalsText = (intervals: readonly TimeInterval[]) => intervals.map(rangeText).join(", ");

function ruleText(rule: DayRule, date: string): string {
  if (rule.kind === "closure") return `closure "${rule.label}" (${rule.from === rule.to ? rule.from : `${rule.from} to ${rule.to}`})`;
  if (rule.kind === "override") return `override "${rule.label}" (${date})`;
  return "weekly hours";
}

function openReason(span: Span): string {
  const { plan, interval } = span;
  const when = `${rangeText(interval)}${interval.overnight ? " (past midnight)" : ""}`;
  return plan.rule.kind === "weekly" ? `weekly hours: ${WEEKDAY_NAMES[plan.weekday]} ${when}` : `${ruleText(plan.rule, plan.date)}: ${when}`;
}

function closedReason(plan: DayPlan): string {
  if (plan.rule.kind === "closure") return ruleText(plan.rule, plan.date);
  if (plan.rule.kind === "override") return `${ruleText(plan.rule, plan.date)}: ${plan.intervals.length === 0 ? "closed all day" : `outside its hours ${intervalsText(plan.intervals)}`}`;
  const name = WEEKDAY_NAMES[plan.weekday];
  return plan.intervals.length === 0 ? `weekly hours: closed on ${name}s` : `weekly hours: outside ${name}'s hours ${intervalsText(plan.intervals)}`;
}

/**
 * Open or closed at `atMs`, why, and when that next changes. Adjacent or overlapping intervals
 * (Monday 22:00–02:00 then Tuesday 02:00–06:00) are one open stretch: no change between them.
 */
export function scheduleStatusAt(schedule: Schedule, atMs: number): ScheduleStatus {
  const today = localDay(atMs, schedule.timezone);
  const horizon = atMs + CHANGE_HORIZON_MS;
  // Dates through two past the horizon's local date cover every span that can start before it.
  const lastDay = today + Math.ceil(CHANGE_HORIZON_MS / DAY) + 2;
  let covering: Span | null = null;
  let openUntil = Number.NEGATIVE_INFINITY;
  for (const span of spansFrom(schedule, today - 1, lastDay)) {
    if (covering) {
      // Extend the open stretch through spans that start before it ends.
      if (span.start > openUntil) break;
      openUntil = Math.max(openUntil, span.end);
      continue;
    }
    if (span.start <= atMs && atMs < span.end) {
      covering = span;
      openUntil = span.end;
    } else if (span.start > atMs) {
      // Closed now: the first span that starts later opens it (spans come in opening order
      // within a date, and a date's spans all open before the next date's).
      const plan = dayPlan(schedule, today);
      return { open: false, reason: closedReason(plan), rule: plan.rule, changesAt: span.start <= horizon ? span.start : null };
    }
  }
  if (covering) {
    // A span of today wins over yesterday's overnight run when both cover the instant.
    const own = daySpans(schedule, today).find((s) => s.start <= atMs && atMs < s.end) ?? covering;
    return { open: true, reason: openReason(own), rule: own.plan.rule, changesAt: openUntil <= horizon ? openUntil : null };
  }
  const plan = dayPlan(schedule, today);
  return { open: false, reason: closedReason(plan), rule: plan.rule, changesAt: null };
}

/** The open intervals of the 7 local dates from the one holding `fromMs`, each under the date it opens on. */
export function weekPreview(schedule: Schedule, fromMs: number): PreviewDay[] {
  const tz = schedule.timezone;
  const first = localDay(fromMs, tz);
  const days: PreviewDay[] = [];
  for (let day = first; day < first + 7; day++) {
    const plan = dayPlan(schedule, day);
    const midnight = wallToUtc(day * DAY, tz);
    const nextMidnight = wallToUtc((day + 1) * DAY, tz);
    days.push({
      date: plan.date,
      weekday: plan.weekday,
      rule: plan.rule,
      hours: (nextMidnight - midnight) / HOUR,
      intervals: spansOf(schedule, plan).map((span) => ({
        start: span.start,
        end: span.end,
        startLocal: localLabel(span.start, offsetAt(span.start, tz)),
        endLocal: localLabel(span.end, offsetAt(span.end, tz)),
        configured: rangeText(span.interval),
      })),
    });
  }
  return days;
}
