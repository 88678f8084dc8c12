import { describe, it } from "vitest";
import { intervalProblems, isCalendarDate, overnightOverlaps, scheduleStatusAt, wallToUtc, weekPreview, type Schedule, type TimeInterval, type WeeklyHours } from "../../workers/domain/schedules";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const nine5: TimeInterval[] = [{ open: "09:00", close: "17:00" }];
const weekdays = (hours: TimeInterval[]): WeeklyHours => ({ mon: hours, tue: hours, wed: hours, thu: hours, fri: hours, sat: [], sun: [] });
const schedule = (partial: Partial<Schedule> & { timezone: string }): Schedule => ({ weekly: weekdays(nine5), closures: [], overrides: [], ...partial });
const status = (s: Schedule, when: string) => {
  const result = scheduleStatusAt(s, at(when));
  return { open: result.open, reason: result.reason, changesAt: iso(result.changesAt) };
};

const newYork = schedule({ timezone: "America/New_York" });

describe("weekly hours", () => {
  it("is open inside the day's hours and says when it closes", ({ expect }) => {
    // 2026-01-05 is a Monday; New York is UTC-5 in January.
    expect(status(newYork, "2026-01-05T15:00:00Z")).toEqual({ open: true, reason: "weekly hours: Monday 09:00–17:00", changesAt: "2026-01-05T22:00:00.000Z" });
  });

  it("is closed outside them and says when it opens, the next morning or after the weekend", ({ expect }) => {
    expect(status(newYork, "2026-01-05T23:00:00Z")).toEqual({ open: false, reason: "weekly hours: outside Monday's hours 09:00–17:00", changesAt: "2026-01-06T14:00:00.000Z" });
    expect(status(newYork, "2026-01-10T15:00:00Z")).toEqual({ open: false, reason: "weekly hours: closed on Saturdays", changesAt: "2026-01-12T14:00:00.000Z" });
  });

  it("opens exactly at the opening minute and is closed at the closing one", ({ expect }) => {
    expect(status(newYork, "2026-01-05T14:00:00Z").open).toBe(true);
    expect(status(newYork, "2026-01-05T13:59:59.999Z").open).toBe(false);
    expect(status(newYork, "2026-01-05T22:00:00Z").open).toBe(false);
  });

  it("uses the local date, not the UTC one (03:00 UTC Tuesday is Monday evening in New York)", ({ expect }) => {
    const late = schedule({ timezone: "America/New_York", weekly: { ...weekdays([]), mon: [{ open: "21:00", close: "23:00" }] } });
    expect(status(late, "2026-01-06T03:00:00Z")).toMatchObject({ open: true, reason: "weekly hours: Monday 21:00–23:00" });
  });

  it("treats touching intervals, and days open to 24:00 then from 00:00, as one open stretch", ({ expect }) => {
    const split = schedule({
      timezone: "Europe/Paris",
      weekly: {
        ...weekdays([]),
        mon: [
          { open: "08:00", close: "12:00" },
          { open: "12:00", close: "24:00" },
        ],
        tue: [{ open: "00:00", close: "10:00" }],
      },
    });
    // 2026-01-05 10:00 Paris (UTC+1): open until Tuesday 10:00, not 12:00 or midnight.
    expect(status(split, "2026-01-05T09:00:00Z")).toEqual({ open: true, reason: "weekly hours: Monday 08:00–12:00", changesAt: "2026-01-06T09:00:00.000Z" });
  });

  it("has no change within 14 days when always open or never open", ({ expect }) => {
    const always = schedule({
      timezone: "UTC",
      weekly: {
        mon: [{ open: "00:00", close: "24:00" }],
        tue: [{ open: "00:00", close: "24:00" }],
        wed: [{ open: "00:00", close: "24:00" }],
        thu: [{ open: "00:00", close: "24:00" }],
        fri: [{ open: "00:00", close: "24:00" }],
        sat: [{ open: "00:00", close: "24:00" }],
        sun: [{ open: "00:00", close: "24:00" }],
      },
    });
    expect(status(always, "2026-06-01T12:00:00Z")).toEqual({ open: true, reason: "weekly hours: Monday 00:00–24:00", changesAt: null });
    const never = schedule({ timezone: "UTC", weekly: weekdays([]) });
    expect(status(never, "2026-06-01T12:00:00Z")).toEqual({ open: false, reason: "weekly hours: closed on Mondays", changesAt: null });
  });

  it("finds a change 13 days ahead but not one 15 days ahead", ({ expect }) => {
    const holiday = (to: string) => schedule({ timezone: "UTC", closures: [{ from: "2026-07-01", to, label: "Summer" }] });
    // Wednesday 2026-07-01 12:00; closed until the first weekday after the closure.
    expect(status(holiday("2026-07-13"), "2026-07-01T12:00:00Z").changesAt).toBe("2026-07-14T09:00:00.000Z");
    expect(status(holiday("2026-07-16"), "2026-07-01T12:00:00Z").changesAt).toBeNull();
  });
});

describe("intervals past midnight", () => {
  const bar = schedule({ timezone: "Europe/London", weekly: { ...weekdays([]), fri: [{ open: "22:00", close: "02:00", overnight: true }], sat: [{ open: "22:00", close: "03:00", overnight: true }] } });

  it("keeps Friday's interval open into Saturday and names Friday's hours", ({ expect }) => {
    // 2026-01-09 is a Friday; London is UTC+0 in January.
    expect(status(bar, "2026-01-10T01:00:00Z")).toEqual({ open: true, reason: "weekly hours: Friday 22:00–02:00 (past midnight)", changesAt: "2026-01-10T02:00:00.000Z" });
    expect(status(bar, "2026-01-10T02:30:00Z")).toEqual({ open: false, reason: "weekly hours: outside Saturday's hours 22:00–03:00", changesAt: "2026-01-10T22:00:00.000Z" });
  });

  it("runs the previous night's interval into a holiday, but not a holiday's own night", ({ expect }) => {
    const closedSaturday = { ...bar, closures: [{ from: "2026-01-10", to: "2026-01-10", label: "Stocktake" }] };
    expect(status(closedSaturday, "2026-01-10T01:00:00Z")).toMatchObject({ open: true, reason: "weekly hours: Friday 22:00–02:00 (past midnight)" });
    expect(status(closedSaturday, "2026-01-10T23:00:00Z")).toEqual({ open: false, reason: 'closure "Stocktake" (2026-01-10)', changesAt: "2026-01-16T22:00:00.000Z" });
    // Sunday 01:00 would have been Saturday's overnight run: it is closed with Saturday.
    expect(status(closedSaturday, "2026-01-11T01:00:00Z")).toMatchObject({ open: false, reason: "weekly hours: closed on Sundays" });
  });
});

describe("closures and overrides", () => {
  const shop = schedule({
    timezone: "America/New_York",
    closures: [
      { from: "2026-12-24", to: "2027-01-01", label: "Holidays" },
      { from: "2026-11-26", to: "2026-11-26", label: "Thanksgiving" },
    ],
    overrides: [
      { date: "2026-12-28", label: "Year-end open day", intervals: [{ open: "10:00", close: "14:00" }] },
      { date: "2026-12-07", label: "Training", intervals: [] },
      { date: "2026-12-12", label: "Saturday sale", intervals: [{ open: "08:00", close: "12:00" }] },
    ],
  });

  it("is closed all day on a closure and opens on the first regular day after it", ({ expect }) => {
    expect(status(shop, "2026-11-26T16:00:00Z")).toEqual({ open: false, reason: 'closure "Thanksgiving" (2026-11-26)', changesAt: "2026-11-27T14:00:00.000Z" });
    expect(status(shop, "2026-12-30T16:00:00Z")).toEqual({ open: false, reason: 'closure "Holidays" (2026-12-24 to 2027-01-01)', changesAt: "2027-01-04T14:00:00.000Z" });
  });

  it("lets an override win over a closure on its date", ({ expect }) => {
    expect(status(shop, "2026-12-25T16:00:00Z")).toMatchObject({ open: false, changesAt: "2026-12-28T15:00:00.000Z" });
    expect(status(shop, "2026-12-28T16:00:00Z")).toEqual({ open: true, reason: 'override "Year-end open day" (2026-12-28): 10:00–14:00', changesAt: "2026-12-28T19:00:00.000Z" });
    expect(status(shop, "2026-12-28T20:00:00Z")).toEqual({ open: false, reason: 'override "Year-end open day" (2026-12-28): outside its hours 10:00–14:00', changesAt: "2027-01-04T14:00:00.000Z" });
  });

  it("closes a weekday all day with an empty override and opens a Saturday with hours", ({ expect }) => {
    expect(status(shop, "2026-12-07T16:00:00Z")).toEqual({ open: false, reason: 'override "Training" (2026-12-07): closed all day', changesAt: "2026-12-08T14:00:00.000Z" });
    expect(status(shop, "2026-12-12T14:00:00Z")).toMatchObject({ open: true, reason: 'override "Saturday sale" (2026-12-12): 08:00–12:00' });
  });
});

describe("clock changes", () => {
  it("opens Monday 09:00 summer time after a weekend on which New York springs forward", ({ expect }) => {
    // Saturday 2026-03-07 evening EST; the clocks go forward Sunday 2026-03-08 02:00.
    expect(status(newYork, "2026-03-07T23:00:00Z").changesAt).toBe("2026-03-09T13:00:00.000Z");
    expect(status(newYork, "2026-03-09T13:00:00Z").open).toBe(true);
    expect(status(newYork, "2026-03-09T13:00:00Z").changesAt).toBe("2026-03-09T21:00:00.000Z");
  });

  it("opens Monday 09:00 standard time after New York falls back", ({ expect }) => {
    expect(status(newYork, "2026-10-31T20:00:00Z").changesAt).toBe("2026-11-02T14:00:00.000Z");
  });

  it("handles London's changes, on another date and at another hour", ({ expect }) => {
    const london = schedule({ timezone: "Europe/London", weekly: { ...weekdays(nine5), sun: nine5 } });
    // Sunday 2026-03-29: 01:00 GMT becomes 02:00 BST; 09:00 BST is 08:00 UTC.
    expect(status(london, "2026-03-29T07:30:00Z")).toMatchObject({ open: false, changesAt: "2026-03-29T08:00:00.000Z" });
    expect(status(london, "2026-03-29T08:00:00Z")).toMatchObject({ open: true, changesAt: "2026-03-29T16:00:00.000Z" });
    // Sunday 2026-10-25: 02:00 BST becomes 01:00 GMT; the day's 09:00 is GMT.
    expect(status(london, "2026-10-25T08:30:00Z")).toMatchObject({ open: false, changesAt: "2026-10-25T09:00:00.000Z" });
    expect(status(london, "2026-10-23T15:30:00Z")).toMatchObject({ open: true, changesAt: "2026-10-23T16:00:00.000Z" });
  });

  it("moves a time that does not exist (02:30 on spring-forward day) to the moment the clocks jump", ({ expect }) => {
    const night = (intervals: TimeInterval[]) => schedule({ timezone: "America/New_York", weekly: { ...weekdays([]), sun: intervals } });
    // 02:00 EST (07:00Z) jumps to 03:00 EDT: 02:30–09:00 opens at 07:00Z, i.e. 03:00 local.
    const late = night([{ open: "02:30", close: "09:00" }]);
    expect(status(late, "2026-03-08T06:59:00Z")).toMatchObject({ open: false, changesAt: "2026-03-08T07:00:00.000Z" });
    expect(status(late, "2026-03-08T07:00:00Z")).toMatchObject({ open: true, changesAt: "2026-03-08T13:00:00.000Z" });
    // 01:00–02:30 closes at the jump too: open 01:00 EST to 03:00 EDT, one real hour.
    expect(status(night([{ open: "01:00", close: "02:30" }]), "2026-03-08T06:30:00Z")).toMatchObject({ open: true, changesAt: "2026-03-08T07:00:00.000Z" });
    // An interval wholly inside the gap is empty that day: the next opening is a week later.
    const gap = night([{ open: "02:00", close: "03:00" }]);
    expect(status(gap, "2026-03-08T05:00:00Z")).toMatchObject({ open: false, changesAt: "2026-03-15T06:00:00.000Z" });
    expect(weekPreview(gap, at("2026-03-08T05:00:00Z"))[0]).toMatchObject({ date: "2026-03-08", hours: 23, intervals: [] });
  });

  it("takes the first 01:30 when New York falls back and the hour repeats", ({ expect }) => {
    const saturdayNight = schedule({ timezone: "America/New_York", weekly: { ...weekdays([]), sat: [{ open: "22:00", close: "01:30", overnight: true }], sun: [{ open: "01:00", close: "03:00" }] } });
    // Sunday 2026-11-01: 01:30 EDT is 05:30Z. Saturday's run closes there, but Sunday's 01:00–03:00
    // (01:00 EDT = 05:00Z to 03:00 EST = 08:00Z) already opened: one stretch to 08:00Z.
    expect(status(saturdayNight, "2026-11-01T03:00:00Z")).toMatchObject({ open: true, changesAt: "2026-11-01T08:00:00.000Z" });
    const onlySaturday = { ...saturdayNight, weekly: { ...saturdayNight.weekly, sun: [] } };
    expect(status(onlySaturday, "2026-11-01T03:00:00Z")).toMatchObject({ open: true, changesAt: "2026-11-01T05:30:00.000Z" });
    // 01:15 EST (06:15Z) is after the first 01:30: closed.
    expect(status(onlySaturday, "2026-11-01T06:15:00Z").open).toBe(false);
    const sunday = weekPreview(saturdayNight, at("2026-11-01T04:00:00Z"))[0]!;
    expect(sunday).toMatchObject({ date: "2026-11-01", weekday: "sun", hours: 25 });
    expect(sunday.intervals).toEqual([{ start: at("2026-11-01T05:00:00Z"), end: at("2026-11-01T08:00:00Z"), startLocal: "2026-11-01T01:00:00-04:00", endLocal: "2026-11-01T03:00:00-05:00", configured: "01:00–03:00" }]);
  });

  it("finds the first instant of a wall time in a half-hour zone and across the Lord Howe half-hour change", ({ expect }) => {
    expect(iso(wallToUtc(Date.UTC(2026, 0, 1, 9, 0), "Asia/Kolkata"))).toBe("2026-01-01T03:30:00.000Z");
    // Lord Howe moves its clocks by 30 minutes: 02:00 → 02:30 on 2026-10-04; 02:15 does not exist.
    expect(iso(wallToUtc(Date.UTC(2026, 9, 4, 2, 15), "Australia/Lord_Howe"))).toBe("2026-10-03T15:30:00.000Z");
  });
});

describe("the spans kept with a schedule object", () => {
  it("answer like a fresh object's, hour by hour over 100 days (more than the 64 dates kept)", ({ expect }) => {
    const kept = schedule({ timezone: "Europe/London", weekly: { ...weekdays(nine5), sat: [{ open: "22:00", close: "02:00", overnight: true }] }, closures: [{ from: "2026-03-20", to: "2026-03-24", label: "Spring" }] });
    const start = at("2026-02-01T00:00:00Z");
    for (let h = 0; h < 100 * 24; h += 7) {
      const when = start + h * 3_600_000;
      expect(scheduleStatusAt(kept, when)).toEqual(scheduleStatusAt({ ...kept }, when));
    }
  });
});

describe("week preview", () => {
  it("lists seven local dates from the one holding the instant, with each rule and the intervals in local time", ({ expect }) => {
    const s = schedule({
      timezone: "America/New_York",
      weekly: {
        ...weekdays(nine5),
        fri: [
          { open: "09:00", close: "12:00" },
          { open: "20:00", close: "01:00", overnight: true },
        ],
      },
      closures: [{ from: "2026-03-10", to: "2026-03-10", label: "Inventory" }],
      overrides: [{ date: "2026-03-07", label: "Open Saturday", intervals: [{ open: "10:00", close: "11:00" }] }],
    });
    // Friday 2026-03-06 23:00 local.
    const week = weekPreview(s, at("2026-03-07T04:00:00Z"));
    expect(week.map((d) => [d.date, d.weekday, d.rule.kind, d.hours, d.intervals.map((i) => `${i.startLocal}/${i.endLocal}`)])).toEqual([
      ["2026-03-06", "fri", "weekly", 24, ["2026-03-06T09:00:00-05:00/2026-03-06T12:00:00-05:00", "2026-03-06T20:00:00-05:00/2026-03-07T01:00:00-05:00"]],
      ["2026-03-07", "sat", "override", 24, ["2026-03-07T10:00:00-05:00/2026-03-07T11:00:00-05:00"]],
      ["2026-03-08", "sun", "weekly", 23, []],
      ["2026-03-09", "mon", "weekly", 24, ["2026-03-09T09:00:00-04:00/2026-03-09T17:00:00-04:00"]],
      ["2026-03-10", "tue", "closure", 24, []],
      ["2026-03-11", "wed", "weekly", 24, ["2026-03-11T09:00:00-04:00/2026-03-11T17:00:00-04:00"]],
      ["2026-03-12", "thu", "weekly", 24, ["2026-03-12T09:00:00-04:00/2026-03-12T17:00:00-04:00"]],
    ]);
    expect(week[4]!.rule).toEqual({ kind: "closure", label: "Inventory", from: "2026-03-10", to: "2026-03-10" });
    expect(week[1]!.intervals[0]).toMatchObject({ start: at("2026-03-07T15:00:00Z"), end: at("2026-03-07T16:00:00Z"), configured: "10:00–11:00" });
  });
});

describe("validation helpers", () => {
  it("refuses a close before the open unless marked overnight, equal times and overlaps", ({ expect }) => {
    expect(intervalProblems([{ open: "17:00", close: "09:00" }])).toEqual([[0, "close", "closes before it opens: mark it overnight to run past midnight to 09:00 the next day"]]);
    expect(intervalProblems([{ open: "17:00", close: "09:00", overnight: true }])).toEqual([]);
    expect(intervalProblems([{ open: "09:00", close: "17:00", overnight: true }])).toMatchObject([[0, "overnight", expect.any(String)]]);
    expect(intervalProblems([{ open: "09:00", close: "09:00" }])).toMatchObject([[0, "close", expect.any(String)]]);
    expect(intervalProblems([{ open: "24:00", close: "09:00", overnight: true }])).toMatchObject([[0, "open", expect.any(String)]]);
    expect(
      intervalProblems([
        { open: "13:00", close: "18:00" },
        { open: "09:00", close: "13:30" },
      ]),
    ).toEqual([[0, "open", "overlaps 09:00–13:30"]]);
    expect(
      intervalProblems([
        { open: "09:00", close: "12:00" },
        { open: "12:00", close: "24:00" },
      ]),
    ).toEqual([]);
    expect(
      intervalProblems([
        { open: "22:00", close: "02:00", overnight: true },
        { open: "23:00", close: "23:30" },
      ]),
    ).toEqual([[1, "open", "overlaps 22:00–02:00"]]);
  });

  it("finds an overnight run that overlaps the next day's first interval", ({ expect }) => {
    expect(
      overnightOverlaps([{ open: "22:00", close: "02:00", overnight: true }], "Monday", [
        { open: "01:00", close: "05:00" },
        { open: "09:00", close: "10:00" },
      ]),
    ).toEqual([[0, "overlaps Monday's 22:00–02:00, which runs past midnight"]]);
    expect(overnightOverlaps([{ open: "22:00", close: "02:00", overnight: true }], "Monday", [{ open: "02:00", close: "05:00" }])).toEqual([]);
  });

  it("knows calendar dates", ({ expect }) => {
    expect(isCalendarDate("2028-02-29")).toBe(true);
    expect(isCalendarDate("2026-02-29")).toBe(false);
    expect(isCalendarDate("2026-13-01")).toBe(false);
    expect(isCalendarDate("2026-1-01")).toBe(false);
  });
});
