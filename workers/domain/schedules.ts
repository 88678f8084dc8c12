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

// The code lives in schedules/, a file per job; callers import from here only, so moving a
// piece between those files never touches them.
export { DATE_PATTERN, TIME_PATTERN, WEEKDAYS, WEEKDAY_NAMES, intervalMinutes, minutesOf, type DayRule, type Schedule, type ScheduleClosure, type ScheduleOverride, type TimeInterval, type Weekday, type WeeklyHours } from "./schedules/model";
export { isCalendarDate, wallToUtc } from "./schedules/calendar";
export { intervalProblems, overnightOverlaps, type IntervalProblem } from "./schedules/validation";
export { CHANGE_HORIZON_MS, scheduleStatusAt, weekPreview, type PreviewDay, type PreviewInterval, type ScheduleStatus } from "./schedules/status";
