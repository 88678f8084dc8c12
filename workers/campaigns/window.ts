import { scheduleStatusAt, type Schedule } from "../domain/schedules";
import type { CallingWindow } from "./types";

/*
 * A campaign's calling window: weekly hours read in the contact's time zone, else the
 * campaign's. The hours are evaluated by the schedules' own code (domain/schedules.ts), so clock
 * changes behave as they do for opening hours: 09:00–20:00 is 09:00–20:00 on the wall clock of
 * the contact, on a 23- or 25-hour day too.
 */

/** The schedule per window and zone, kept: schedules cache their days per object. */
const schedules = new WeakMap<CallingWindow, Map<string, Schedule>>();

function scheduleOf(window: CallingWindow, timezone: string): Schedule {
  let byZone = schedules.get(window);
  if (!byZone) schedules.set(window, (byZone = new Map()));
  let schedule = byZone.get(timezone);
  if (!schedule) byZone.set(timezone, (schedule = { timezone, weekly: window, closures: [], overrides: [] }));
  return schedule;
}

/** Looked at again after this long when the window opens further off than the schedules look (14 days). */
const RECHECK_MS = 24 * 3_600_000;

/** Whether a call may be placed at `at`; when not, the earliest instant it may be. */
export function windowAt(window: CallingWindow, timezone: string, at: number): { open: true } | { open: false; opensAt: number } {
  const status = scheduleStatusAt(scheduleOf(window, timezone), at);
  if (status.open) return { open: true };
  return { open: false, opensAt: status.changesAt ?? at + RECHECK_MS };
}
