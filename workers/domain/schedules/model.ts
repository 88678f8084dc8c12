/*
 * The shape of a schedule (domain/schedules.ts says what it means) and the "HH:MM" and
 * "YYYY-MM-DD" texts it is written in.
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

/** The interval as configured, "22:00–02:00", as messages quote it. */
export const rangeText = (interval: TimeInterval) => `${interval.open}–${interval.close}`;
