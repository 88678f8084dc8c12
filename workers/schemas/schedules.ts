import { z } from "zod";
import { isTimeZone } from "../analytics/time-zone";
import { DATE_PATTERN, TIME_PATTERN, WEEKDAYS, WEEKDAY_NAMES, intervalProblems, isCalendarDate, overnightOverlaps, type TimeInterval } from "../domain/schedules";
import { Page, SearchQuery, Timestamp, VersionField, pageQuery } from "./common";

/*
 * Schedules as the API takes them (see domain/schedules.ts for what they mean). Every list is
 * bounded, so a stored schedule stays small enough for the routing snapshot of every call.
 */

export const MAX_INTERVALS_PER_DAY = 50;
export const MAX_CLOSURES = 500;
export const MAX_OVERRIDES = 500;
/** A closure longer than this is a mistake (a wrong year), not a holiday. */
export const MAX_CLOSURE_DAYS = 366;
/** Across all overrides: 500 dates of 50 intervals each would make a schedule a megabyte. */
export const MAX_OVERRIDE_INTERVALS = 2000;

export const ScheduleName = z.string().trim().min(1, "must not be empty").max(120, "must be at most 120 characters");

const Label = z.string().trim().min(1, "must not be empty: name it, e.g. Christmas").max(120, "must be at most 120 characters");

export const TimeZoneField = z
  .string()
  .trim()
  .max(64, { message: "must be at most 64 characters", abort: true })
  .refine(isTimeZone, "must be an IANA time zone such as Europe/London or America/New_York")
  // One spelling per zone ("europe/london" → "Europe/London"), so a schedule reads as people write it.
  .transform((name) => new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone)
  .meta({ description: "IANA time zone the hours are in, e.g. America/New_York; the hours follow its clock changes" });

const Time = z.string().regex(TIME_PATTERN, 'must be a time "HH:MM" from 00:00 to 23:59 (or 24:00 to close at midnight)');

export const IntervalSchema = z
  .strictObject({
    open: Time,
    close: Time,
    overnight: z.boolean().optional().meta({ description: "Closes the next day at `close` (22:00–02:00); without it a close before the open is refused" }),
  })
  .meta({ description: 'Open from `open` until `close`, local time ("09:00"–"17:00"; "24:00" closes at midnight)' });

/** A day's intervals: well formed, each closing after it opens, none overlapping. */
const DayIntervals = z
  .array(IntervalSchema)
  .max(MAX_INTERVALS_PER_DAY, `at most ${MAX_INTERVALS_PER_DAY} intervals a day`)
  .superRefine((intervals, ctx) => {
    for (const [index, field, message] of intervalProblems(intervals)) ctx.addIssue({ code: "custom", path: [index, field], message });
  });

export const WeeklySchema = z
  .strictObject(Object.fromEntries(WEEKDAYS.map((day) => [day, DayIntervals.default([])])) as Record<(typeof WEEKDAYS)[number], z.ZodDefault<typeof DayIntervals>>)
  .superRefine((weekly, ctx) => {
    // An overnight run may not overlap the next day's hours (Sunday's runs into Monday).
    WEEKDAYS.forEach((day, i) => {
      const previous = WEEKDAYS[(i + 6) % 7]!;
      for (const [index, message] of overnightOverlaps(weekly[previous] as TimeInterval[], WEEKDAY_NAMES[previous], weekly[day] as TimeInterval[])) ctx.addIssue({ code: "custom", path: [day, index, "open"], message });
    });
  })
  .meta({ description: "Open intervals per weekday (mon…sun); a day left out or [] is closed" });

const CalendarDate = z
  .string()
  .regex(DATE_PATTERN, { message: 'must be a date "YYYY-MM-DD"', abort: true })
  .refine(isCalendarDate, { message: "is not a date in the calendar", abort: true })
  .refine((date) => date >= "2000-01-01" && date <= "2199-12-31", "must be between 2000 and 2199");

export const ClosureSchema = z
  .strictObject({ from: CalendarDate, to: CalendarDate, label: Label })
  .superRefine((closure, ctx) => {
    if (!isCalendarDate(closure.from) || !isCalendarDate(closure.to)) return;
    const days = (Date.parse(closure.to) - Date.parse(closure.from)) / 86_400_000 + 1;
    if (days < 1) ctx.addIssue({ code: "custom", path: ["to"], message: `must be on or after ${closure.from}` });
    else if (days > MAX_CLOSURE_DAYS) ctx.addIssue({ code: "custom", path: ["to"], message: `a closure may last at most ${MAX_CLOSURE_DAYS} days` });
  })
  .meta({ description: "Closed all day on every local date from..to (inclusive), e.g. a holiday" });

export const OverrideSchema = z
  .strictObject({
    date: CalendarDate,
    label: Label,
    intervals: DayIntervals.meta({ description: "The date's hours instead of the weekly ones; [] = closed all day" }),
  })
  .meta({ description: "One date with its own hours; it wins over the weekly hours and over a closure" });

const Closures = z.array(ClosureSchema).max(MAX_CLOSURES, `at most ${MAX_CLOSURES} closures`);

const Overrides = z
  .array(OverrideSchema)
  .max(MAX_OVERRIDES, `at most ${MAX_OVERRIDES} overrides`)
  .superRefine((overrides, ctx) => {
    const total = overrides.reduce((sum, override) => sum + (Array.isArray(override.intervals) ? override.intervals.length : 0), 0);
    if (total > MAX_OVERRIDE_INTERVALS) ctx.addIssue({ code: "custom", message: `at most ${MAX_OVERRIDE_INTERVALS} intervals across all overrides (these have ${total})` });
    const seen = new Map<string, number>();
    overrides.forEach((override, index) => {
      const first = seen.get(override.date);
      if (first !== undefined) ctx.addIssue({ code: "custom", path: [index, "date"], message: `${override.date} already has an override (#${first + 1}): one per date` });
      else seen.set(override.date, index);
    });
  });

export const CreateScheduleBody = z.strictObject({
  name: ScheduleName,
  timezone: TimeZoneField,
  weekly: WeeklySchema,
  closures: Closures.optional(),
  overrides: Overrides.optional(),
});

export const UpdateScheduleBody = z
  .strictObject({
    name: ScheduleName.optional(),
    timezone: TimeZoneField.optional(),
    weekly: WeeklySchema.optional(),
    closures: Closures.optional(),
    overrides: Overrides.optional(),
    version: VersionField,
  })
  .meta({ description: "Only the fields sent change; weekly, closures and overrides are replaced whole" });

const IntervalOut = z.object({ open: z.string(), close: z.string(), overnight: z.boolean().optional() });

export const ScheduleSchema = z.object({
  id: z.string(),
  name: z.string(),
  timezone: z.string(),
  weekly: z.record(z.enum(WEEKDAYS), z.array(IntervalOut)),
  closures: z.array(z.object({ from: z.string(), to: z.string(), label: z.string() })),
  overrides: z.array(z.object({ date: z.string(), label: z.string(), intervals: z.array(IntervalOut) })),
  /** How many inbound rules use it (a schedule in use cannot be deleted). */
  ruleCount: z.number().int().meta({ description: "Inbound rules that use this schedule; it cannot be deleted while any does" }),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type ScheduleDto = z.output<typeof ScheduleSchema>;
export const SchedulePage = Page(ScheduleSchema);

export const SCHEDULE_SORTS = ["name", "createdAt", "updatedAt"] as const;
export const ListSchedulesQuery = z.strictObject({
  q: SearchQuery.meta({ description: "Matches the name" }),
  ...pageQuery(SCHEDULE_SORTS, "name", 200),
});

export const ScheduleStatusQuery = z.strictObject({
  at: z.iso.datetime({ offset: true, message: "must be an ISO 8601 date-time such as 2026-12-24T09:30:00Z" }).optional().meta({ description: "The instant to evaluate (default now); the week preview starts on its local date" }),
});

const DayRuleSchema = z.discriminatedUnion("kind", [z.object({ kind: z.literal("weekly") }), z.object({ kind: z.literal("closure"), label: z.string(), from: z.string(), to: z.string() }), z.object({ kind: z.literal("override"), label: z.string() })]);

export const ScheduleStatusSchema = z.object({
  scheduleId: z.string(),
  timezone: z.string(),
  at: Timestamp,
  /** The instant as a local time with its offset. */
  atLocal: z.string().meta({ description: 'The instant in the schedule\'s zone, e.g. "2026-12-24T09:30:00-05:00"' }),
  open: z.boolean(),
  reason: z.string().meta({ description: 'The rule that applied, in words: "weekly hours: Monday 09:00–17:00", "closure \\"Christmas\\" (2026-12-25)"…' }),
  rule: DayRuleSchema,
  changesAt: Timestamp.nullable().meta({ description: "When it next opens (if closed) or closes (if open); null when not within 14 days" }),
  changesAtLocal: z.string().nullable(),
  week: z
    .array(
      z.object({
        date: z.string(),
        weekday: z.enum(WEEKDAYS),
        rule: DayRuleSchema,
        hours: z.number().meta({ description: "Real hours in the local day: 23 or 25 on a clock-change day" }),
        intervals: z.array(z.object({ start: Timestamp, end: Timestamp, startLocal: z.string(), endLocal: z.string(), configured: z.string() })),
      }),
    )
    .meta({ description: "The open intervals of the 7 local dates from the one holding `at`, each under the date it opens on" }),
});
export type ScheduleStatusDto = z.output<typeof ScheduleStatusSchema>;
