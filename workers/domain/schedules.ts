/*
 * Opening-hours schedules for inbound routing. Pure: no Workers APIs, only Intl for time zones.
 * (The evaluation functions follow below the types.)
 */

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Local wall-clock times "HH:MM"; close may be "24:00"; close earlier than open runs past midnight into the next day. */
export interface TimeInterval {
  open: string;
  close: string;
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
