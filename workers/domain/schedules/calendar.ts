import { offsetAt } from "../../analytics/time-zone";
import { DATE_PATTERN, WEEKDAYS, type Weekday } from "./model";

/*
 * Local dates and IANA time-zone arithmetic. A local date is a day number (days since
 * 1970-01-01), so the next date is +1 whatever the clocks do; a local wall-clock time is
 * written as if it were UTC ms and turned into an instant only by wallToUtc.
 */

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

export function dayNumberOf(date: string): number {
  return Math.floor(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY);
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

export function dateKey(day: number): string {
  const d = new Date(day * DAY);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** "YYYY-MM-DD" that exists in the calendar (not 2026-02-30). */
export function isCalendarDate(date: string): boolean {
  if (!DATE_PATTERN.test(date)) return false;
  return dateKey(dayNumberOf(date)) === date;
}

/** 1970-01-01 was a Thursday. */
export const weekdayOf = (day: number): Weekday => WEEKDAYS[(((day + 3) % 7) + 7) % 7]!;

/** The local date (as a day number) of an instant. */
export function localDay(ms: number, timeZone: string): number {
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
