import { describe, it } from "vitest";
import { bucketIndex, isTimeZone, localBuckets, offsetAt } from "../../workers/analytics/time-zone";

const H = 3_600_000;
const shape = (from: string, to: string, interval: "hour" | "day", tz: string) => localBuckets(Date.parse(from), Date.parse(to), interval, tz).map((b) => [b.label, (b.end - b.start) / H]);

describe("local buckets", () => {
  it("has a 23-hour day when New York springs forward and a 25-hour one when it falls back", ({ expect }) => {
    expect(shape("2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z", "day", "America/New_York")).toEqual([["2026-03-08T00:00:00-05:00", 23]]);
    expect(shape("2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z", "day", "America/New_York")).toEqual([["2026-11-01T00:00:00-04:00", 25]]);
  });

  it("skips the missing hour and keeps the repeated hour as two buckets", ({ expect }) => {
    expect(shape("2026-03-08T06:00:00Z", "2026-03-08T08:00:00Z", "hour", "America/New_York")).toEqual([
      ["2026-03-08T01:00:00-05:00", 1],
      ["2026-03-08T03:00:00-04:00", 1],
    ]);
    expect(shape("2026-11-01T05:00:00Z", "2026-11-01T07:00:00Z", "hour", "America/New_York")).toEqual([
      ["2026-11-01T01:00:00-04:00", 1],
      ["2026-11-01T01:00:00-05:00", 1],
    ]);
  });

  it("starts days at local midnight in half- and quarter-hour zones", ({ expect }) => {
    expect(shape("2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", "day", "Asia/Kolkata")).toEqual([
      ["2026-01-01T00:00:00+05:30", 24],
      ["2026-01-02T00:00:00+05:30", 24],
    ]);
    expect(shape("2026-01-01T00:15:00Z", "2026-01-01T01:15:00Z", "hour", "Asia/Kathmandu")).toEqual([["2026-01-01T06:00:00+05:45", 1]]);
  });

  it("starts the day after the gap where midnight does not exist (Santiago)", ({ expect }) => {
    expect(shape("2026-09-06T05:00:00Z", "2026-09-06T06:00:00Z", "day", "America/Santiago")).toEqual([["2026-09-06T01:00:00-03:00", 23]]);
  });

  it("covers the range: the first bucket holds `from`, the last holds the instant before `to`", ({ expect }) => {
    const from = Date.parse("2026-05-03T10:20:00Z");
    const to = Date.parse("2026-05-05T01:00:00Z");
    const buckets = localBuckets(from, to, "day", "Europe/Berlin");
    expect(buckets[0]!.start).toBeLessThanOrEqual(from);
    expect(buckets.at(-1)!.end).toBeGreaterThanOrEqual(to);
    for (let i = 1; i < buckets.length; i++) expect(buckets[i]!.start).toBe(buckets[i - 1]!.end);
    expect(bucketIndex(buckets, from)).toBe(0);
    expect(bucketIndex(buckets, to - 1)).toBe(buckets.length - 1);
    expect(bucketIndex(buckets, to + 10 * 86_400_000)).toBe(-1);
  });

  it("gives 720 hourly buckets for 30 days in UTC", ({ expect }) => {
    expect(localBuckets(Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 31), "hour", "UTC")).toHaveLength(720);
  });

  it("knows offsets and valid zone names", ({ expect }) => {
    expect(offsetAt(Date.parse("2026-07-01T00:00:00Z"), "Europe/London")).toBe(H);
    expect(offsetAt(Date.parse("2026-01-01T00:00:00Z"), "Asia/Kathmandu")).toBe(5.75 * H);
    expect([isTimeZone("Europe/Paris"), isTimeZone("Mars/Olympus"), isTimeZone("")]).toEqual([true, false, false]);
  });
});
