import { localLabel, offsetAt } from "../analytics/time-zone";

/*
 * Opening hours for inbound routing: a named schedule in one IANA time zone with weekly hours,
 * closures (holidays) and one-off overrides. Pure: Intl only (Workers have the full ICU data).
 *
 * How a local date's hours are found, most specific first:
 *   1. an override for that date (its own intervals; none = closed all day),
 *   2. else a closure whose from..to contains the date (closed all day),
 *   3. else the weekly hours of its weekday.
 * An override wins over a closure on the same date, so "closed 24 Dec to 2 Jan, but open 9 to 13
 * on the 28th" is one closure plus one override.
 *
 * An interval belongs to the date it opens on. One marked `overnight` closes the next day
 * (22:00–02:00); a closure or override replaces the date's own intervals, including that
 * date's overnight run, but not the previous date's run into it: Monday 22:00–02:00 still runs
 * until 02:00 on a Tuesday that is a holiday. "24:00" closes at the end of the day.
 *
 * Clock changes: every boundary is the first instant at which the local clock shows that time
 * (or later) on that date. So
 *   - a time that does not exist (02:30 on a spring-forward day in New York, where 02:00 jumps to
 *     03:00) becomes the instant the clocks jump, 03:00 local: an interval 02:30–09:00 opens at
 *     03:00 that day, one 01:00–02:30 closes at 03:00 (=02:00 standard time), and one wholly
 *     inside the gap (02:00–03:00) is empty that day;
 *   - a time that happens twice (01:30 on a fall-back day) is its first occurrence: 22:00–01:30
 *     closes at 01:30 summer time, and 01:00–03:00 is open three real hours.
 * The hours are wall-clock hours: a 09:00–17:00 day is 8 real hours on either change day.
 */

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const WEEKDAY_NAMES: Record<Weekday, string> = { mon: "Monday", tue: "Tuesday", wed: "Wednesday", thu: "Thursday", fri: "Friday", sat: "Saturday", sun: "Sunday" };

/** Local wall-clock times "HH:MM"; close may be "24:00"; an `overnight` interval closes the next day (close before open). */
export interface TimeInterval {
  open: string;
  close: string;
  overnight?: boolean;
}

export type WeeklyHours = Record<Weekday, TimeInterval[]>;

/** Closed on every local date from..to (inclusive), e.g. a holiday. */
export interface ScheduleClosure {
  from: string;
  to: string;
  label: string;
}

/** One local date with its own hours instead of the weekly ones; no intervals = closed all day. */
export interface ScheduleOverride {
  date: string;
  label: string;
  intervals: TimeInterval[];
}

/** What an evaluation needs (the stored schedule minus its name and bookkeeping). */
export interface Schedule {
  timezone: string;
  weekly: WeeklyHours;
  closures: readonly ScheduleClosure[];
  overrides: readonly ScheduleOverride[];
}

/** Which rule decided a date's hours. */
export type DayRule = { kind: "weekly" } | { kind: "closure"; label: string; from: string; to: string } | { kind: "override"; label: string };

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

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** How far ahead changesAt looks. */
export const CHANGE_HORIZON_MS = 14 * DAY;

export const TIME_PATTERN = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
export const DATE_PATTERN = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/;

/** Minutes since local midnight of "HH:MM" (0..1440). */
export function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/** The interval as minutes after its own date's midnight; an overnight one ends after 1440. */
export function intervalMinutes(interval: TimeInterval): { start: number; end: number } {
  const start = minutesOf(interval.open);
  const close = minutesOf(interval.close);
  return { start, end: interval.overnight ? close + 1440 : close };
}

/** "YYYY-MM-DD" that exists in the calendar (not 2026-02-30). */
export function isCalendarDate(date: string): boolean {
  if (!DATE_PATTERN.test(date)) return false;
  return dateKey(dayNumberOf(date)) === date;
}

// --- local dates as day numbers (days since 1970-01-01) ----------------------------------

function dayNumberOf(date: string): number {
  return Math.floor(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY);
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

function dateKey(day: number): string {
  const d = new Date(day * DAY);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** 1970-01-01 was a Thursday. */
const weekdayOf = (day: number): Weekday => WEEKDAYS[(((day + 3) % 7) + 7) % 7]!;

/** The local date (as a day number) of an instant. */
function localDay(ms: number, timeZone: string): number {
  return Math.floor((ms + offsetAt(ms, timeZone)) / DAY);
}

/**
 * The first instant at which the local clock shows `wall` (local time as if it were UTC ms) or
 * later: the earlier of two instants in a fall-back overlap, the jump itself in a spring-forward gap.
 * An instant's offset is within -12..+14 h, so offsets 15 h before and 13 h after bracket it;
 * zones change their offset at most once in such a window.
 */
export function wallToUtc(wall: number, timeZone: string): number {
  const before = offsetAt(wall - 15 * HOUR, timeZone);
  const after = offsetAt(wall + 13 * HOUR, timeZone);
  if (before === after) return wall - before;
  const candidates = [wall - before, wall - after].filter((t, i) => offsetAt(t, timeZone) === (i === 0 ? before : after));
  if (candidates.length > 0) return Math.min(...candidates);
  // A gap (after > before): the clocks jump somewhere in [wall - after, wall - before]; find the second.
  let lo = Math.floor((wall - after) / 1000) * 1000;
  let hi = Math.ceil((wall - before) / 1000) * 1000;
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (offsetAt(mid, timeZone) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

// --- a date's hours ----------------------------------------------------------------------------

interface DayPlan {
  day: number;
  date: string;
  weekday: Weekday;
  rule: DayRule;
  intervals: readonly TimeInterval[];
}

function dayPlan(schedule: Schedule, day: number): DayPlan {
  const date = dateKey(day);
  const weekday = weekdayOf(day);
  const override = schedule.overrides.find((o) => o.date === date);
  if (override) return { day, date, weekday, rule: { kind: "override", label: override.label }, intervals: override.intervals };
  // "YYYY-MM-DD" strings compare as dates.
  const closure = schedule.closures.find((c) => c.from <= date && date <= c.to);
  if (closure) return { day, date, weekday, rule: { kind: "closure", label: closure.label, from: closure.from, to: closure.to }, intervals: [] };
  return { day, date, weekday, rule: { kind: "weekly" }, intervals: schedule.weekly[weekday] ?? [] };
}

interface Span {
  start: number;
  end: number;
  plan: DayPlan;
  interval: TimeInterval;
}

/** A date's intervals as instants, in opening order; empty ones (inside a gap) left out. */
function spansOf(schedule: Schedule, plan: DayPlan): Span[] {
  const spans: Span[] = [];
  for (const interval of plan.intervals) {
    const { start, end } = intervalMinutes(interval);
    const s = wallToUtc(plan.day * DAY + start * MINUTE, schedule.timezone);
    const e = wallToUtc(plan.day * DAY + end * MINUTE, schedule.timezone);
    if (e > s) spans.push({ start: s, end: e, plan, interval });
  }
  return spans.sort((a, b) => a.start - b.start);
}

const rangeText = (interval: TimeInterval) => `${interval.open}–${interval.close}`;
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

/*
 * A date's spans cost a few Intl calls; a routing snapshot's schedule object lives in isolate
 * memory and is never changed, so its dates' spans are kept with it (at most 64 dates each) and
 * a busy line's calls cost no Intl call at all after the first.
 */
const MAX_CACHED_DAYS = 64;
const spanCache = new WeakMap<Schedule, Map<number, Span[]>>();

function daySpans(schedule: Schedule, day: number): Span[] {
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
function* spansFrom(schedule: Schedule, firstDay: number, lastDay: number): Generator<Span> {
  for (let day = firstDay; day <= lastDay; day++) yield* daySpans(schedule, day);
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

export type IntervalProblem = [number, "open" | "close" | "overnight", string];

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
