import type { DayRule } from "../../../../workers/domain/schedules";

/*
 * How a schedule's status and week read. The API gives local times with their offsets
 * ("2026-03-09T09:00:00-04:00"): the text uses the wall-clock part as it is, so it shows the
 * schedule's own time whatever the browser's zone.
 */

const WEEKDAY = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTH = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "2026-03-09" → "Mon 9 Mar". */
export function dayLabel(date: string): string {
  const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  return `${WEEKDAY[d.getUTCDay()]} ${d.getUTCDate()} ${MONTH[d.getUTCMonth()]}`;
}

/** "2026-03-09T09:00:00-04:00" → "09:00". */
export const clockOf = (local: string) => local.slice(11, 16);

/** "in 45 min", "in 3 h 20 min", "in 2 days". */
export function untilText(fromMs: number, toMs: number): string {
  const minutes = Math.max(0, Math.round((toMs - fromMs) / 60_000));
  if (minutes < 60) return `in ${minutes} min`;
  if (minutes < 48 * 60) {
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    return `in ${h} h${m ? ` ${m} min` : ""}`;
  }
  return `in ${Math.round(minutes / 1440)} days`;
}

export interface StatusLike {
  at: string;
  open: boolean;
  changesAt: string | null;
  changesAtLocal: string | null;
}

/** "Open now, closes at 17:00 (in 3 h)" / "Closed now, opens Mon 9 Mar at 09:00 (in 2 days)". */
export function nowText(status: StatusLike, subject = "now"): string {
  const state = `${status.open ? "Open" : "Closed"} ${subject}`;
  if (!status.changesAt || !status.changesAtLocal) return `${state}, ${status.open ? "not closing" : "not opening"} within 14 days`;
  const sameDay = status.changesAtLocal.slice(0, 10) === localDateOf(status);
  const when = sameDay ? `at ${clockOf(status.changesAtLocal)}` : `${dayLabel(status.changesAtLocal)} at ${clockOf(status.changesAtLocal)}`;
  return `${state}, ${status.open ? "closes" : "opens"} ${when} (${untilText(Date.parse(status.at), Date.parse(status.changesAt))})`;
}

const localDateOf = (status: StatusLike & { atLocal?: string }) => (status.atLocal ?? status.at).slice(0, 10);

/**
 * A previewed interval: "09:00–17:00", "22:00–02:00 (next day)", and what it was set as when a
 * clock change moved it ("03:00–09:00 (set as 02:30–09:00)" on a spring-forward day).
 */
export function intervalText(interval: { startLocal: string; endLocal: string; configured: string }, date: string): string {
  const start = clockOf(interval.startLocal);
  const nextDate = interval.endLocal.slice(0, 10) !== date;
  const toMidnight = nextDate && clockOf(interval.endLocal) === "00:00" && interval.configured.endsWith("–24:00");
  const shown = `${start}–${toMidnight ? "24:00" : clockOf(interval.endLocal)}`;
  return `${shown}${nextDate && !toMidnight ? " (next day)" : ""}${shown !== interval.configured ? ` (set as ${interval.configured})` : ""}`;
}

/** The rule that decided a date's hours, for the preview. */
export function ruleText(rule: DayRule): string | null {
  if (rule.kind === "closure") return `Closed: ${rule.label}`;
  if (rule.kind === "override") return `Special hours: ${rule.label}`;
  return null;
}

/** A clock-change day: "Clocks go forward (23 h day)". */
export function clockChangeText(hours: number): string | null {
  if (hours === 24) return null;
  return `Clocks go ${hours < 24 ? "forward" : "back"} (${hours} h day)`;
}
