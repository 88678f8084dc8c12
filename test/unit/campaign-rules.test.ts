import { describe, expect, it } from "vitest";
import { MAX_CONTACTS, parseContacts, toE164 } from "../../workers/campaigns/contacts";
import { parseCsv } from "../../workers/campaigns/csv";
import { pace } from "../../workers/campaigns/pacing";
import { afterAttempt, sessionOutcome } from "../../workers/campaigns/retry";
import type { CallingWindow, RetryPolicy } from "../../workers/campaigns/types";
import { windowAt } from "../../workers/campaigns/window";

describe("CSV", () => {
  it("reads quoted fields with commas, doubled quotes and line breaks, CRLF, a BOM, and skips blank lines", () => {
    const result = parseCsv('\uFEFFphone,name\r\n+14155550100,"Smith, ""Jo""\nline two"\r\n\r\n+14155550101,Ann\n');
    expect(result).toEqual({
      ok: true,
      rows: [
        { line: 1, fields: ["phone", "name"] },
        { line: 2, fields: ["+14155550100", 'Smith, "Jo"\nline two'] },
        { line: 5, fields: ["+14155550101", "Ann"] },
      ],
    });
  });

  it("names the line of a quote left open or stray", () => {
    expect(parseCsv('phone\n"+1415')).toEqual({ ok: false, line: 2, message: "a quoted field is never closed" });
    expect(parseCsv('phone,name\n+1415,Jo"e')).toMatchObject({ ok: false, line: 2 });
    expect(parseCsv('phone,name\n+1415,"Jo"e')).toMatchObject({ ok: false, line: 2 });
  });
});

describe("contacts", () => {
  it("normalises numbers to E.164 and refuses what is not one", () => {
    expect(toE164("+1 (415) 555-0100")).toBe("+14155550100");
    expect(toE164("0044 20 7946 0958")).toBe("+442079460958");
    expect(toE164("14155550100")).toBe("+14155550100");
    for (const bad of ["", "12345", "+0123456789", "+1415555010012345", "415-CALL-NOW", "+1415<Dial>"]) expect(toE164(bad)).toBeNull();
  });

  it("lists every broken row by line and field, merges duplicates into their first row, and keeps variables and zones", () => {
    const csv = [
      "phone,timezone,first_name,account",
      "+14155550100,America/Los_Angeles,Ann,A-1",
      "not a number,,Bob,B-2",
      "+14155550101,Mars/Olympus,Cy,C-3",
      "+1 415 555 0100,,,A-1-dup",
      "+14155550102,,Dee",
      `+14155550103,,"Eve\nMallory",E`,
      "+14155550104,,{caller},F",
      `+14155550105,,${"x".repeat(257)},G`,
      "+44 20 7946 0958,Europe/London,Flo,",
    ].join("\n");
    const result = parseContacts(csv);
    if (!result.ok) throw new Error(result.message);
    expect(result.rows).toBe(9);
    expect(result.merged).toBe(1);
    expect(result.errors).toEqual([
      { line: 3, field: "phone", message: expect.stringContaining("not a phone number") },
      { line: 4, field: "timezone", message: expect.stringContaining("not an IANA time zone") },
      { line: 6, field: null, message: "has 3 fields, the header 4" },
      { line: 7, field: "first_name", message: "must not contain line breaks or control characters" },
      { line: 9, field: "first_name", message: "must not contain { or }" },
      { line: 10, field: "first_name", message: "must be at most 256 characters" },
    ]);
    expect(result.errorCount).toBe(6);
    expect(result.contacts).toEqual([
      { line: 2, number: "+14155550100", timezone: "America/Los_Angeles", variables: { first_name: "Ann", account: "A-1" } },
      { line: 11, number: "+442079460958", timezone: "Europe/London", variables: { first_name: "Flo" } },
    ]);
  });

  it("refuses a header without a phone column, or with hostile or repeated variable names", () => {
    expect(parseContacts("name,email\nAnn,a@x")).toMatchObject({ ok: false, code: "INVALID_HEADER" });
    const hostile = parseContacts('phone,"X-Evil""><Dial>",first name\n+14155550100,a,b');
    expect(hostile).toMatchObject({ ok: false, code: "INVALID_HEADER" });
    if (!hostile.ok) expect(hostile.errors.map((e) => e.message)).toEqual([expect.stringContaining("column 2"), expect.stringContaining("column 3")]);
    expect(parseContacts("phone,a,A\n+14155550100,1,2")).toMatchObject({ ok: false, code: "INVALID_HEADER" });
    expect(parseContacts("")).toMatchObject({ ok: false, code: "INVALID_HEADER" });
  });

  it("takes 100,000 contacts and refuses 100,001 with a clear error", () => {
    const rows = (n: number) => ["phone", ...Array.from({ length: n }, (_, i) => `+1415${String(1_000_000 + i).padStart(7, "0")}`)].join("\n");
    const ok = parseContacts(rows(MAX_CONTACTS));
    expect(ok.ok && ok.contacts.length).toBe(MAX_CONTACTS);
    const tooMany = parseContacts(rows(MAX_CONTACTS + 1));
    expect(tooMany).toMatchObject({ ok: false, code: "TOO_MANY_CONTACTS", message: expect.stringContaining("at most 100,000 contacts") });
  });
});

const NINE_TO_FIVE: CallingWindow = {
  mon: [{ open: "09:00", close: "17:00" }],
  tue: [{ open: "09:00", close: "17:00" }],
  wed: [{ open: "09:00", close: "17:00" }],
  thu: [{ open: "09:00", close: "17:00" }],
  fri: [{ open: "09:00", close: "17:00" }],
  sat: [],
  sun: [],
};

describe("calling window", () => {
  it("reads the hours in the contact's zone, across a clock change", () => {
    // Friday 2026-03-06 16:30 UTC: 11:30 in New York, 08:30 in Los Angeles.
    const at = Date.UTC(2026, 2, 6, 16, 30);
    expect(windowAt(NINE_TO_FIVE, "America/New_York", at)).toEqual({ open: true });
    expect(windowAt(NINE_TO_FIVE, "America/Los_Angeles", at)).toEqual({ open: false, opensAt: Date.UTC(2026, 2, 6, 17, 0) });
    // Friday 17:00 in New York closes until Monday 09:00, after the spring-forward Sunday (now UTC-4).
    expect(windowAt(NINE_TO_FIVE, "America/New_York", Date.UTC(2026, 2, 6, 22, 0))).toEqual({ open: false, opensAt: Date.UTC(2026, 2, 9, 13, 0) });
  });
});

describe("pacing", () => {
  const base = { maxConcurrent: 10, inProgress: 0, callsPerMinute: 60, recent: [] as number[] };

  it("never exceeds the calls in progress, and spaces calls evenly", () => {
    expect(pace({ ...base, now: 0, inProgress: 10 })).toEqual({ count: 0, nextAt: null });
    expect(pace({ ...base, now: 0, inProgress: 9, callsPerMinute: 600 })).toEqual({ count: 1, nextAt: null });
    expect(pace({ ...base, now: 1_000, recent: [500] })).toEqual({ count: 0, nextAt: 1_500 });
    expect(pace({ ...base, now: 1_500, recent: [500] }).count).toBe(1);
    // 600 a minute: up to 10 at once after a quiet spell.
    expect(pace({ ...base, now: 10_000, callsPerMinute: 600 }).count).toBe(10);
  });

  it("never places more than the rate in any 60 seconds, under a fixed clock stepped second by second", () => {
    const placed: number[] = [];
    for (let now = 0; now < 300_000; now += 250) {
      const { count } = pace({ maxConcurrent: 1_000, inProgress: 0, callsPerMinute: 30, recent: placed.filter((t) => t > now - 60_000), now });
      for (let i = 0; i < count; i++) placed.push(now);
    }
    for (const t of placed) expect(placed.filter((u) => u >= t && u < t + 60_000).length).toBeLessThanOrEqual(30);
    expect(placed.length).toBeGreaterThanOrEqual(145);
  });

  it("holds when the clock jumps back (placements in the future still count) or forward (no burst beyond a second's worth)", () => {
    const back = pace({ ...base, now: 1_000, recent: [3_600_000] });
    expect(back.count).toBe(0);
    expect(back.nextAt).toBe(2_000);
    const full = Array.from({ length: 60 }, (_, i) => 3_600_000 + i);
    expect(pace({ ...base, now: 1_000, recent: full }).count).toBe(0);
    expect(pace({ ...base, now: 10 * 3_600_000, recent: full }).count).toBe(1);
  });
});

describe("retries", () => {
  const policy: RetryPolicy = { busy: { attempts: 3, spacingMinutes: 10 }, noAnswer: { attempts: 2, spacingMinutes: 60 }, failed: { attempts: 1, spacingMinutes: 5 } };

  it("retries per outcome while the contact's attempts allow, and never an answered call", () => {
    expect(afterAttempt(policy, "answered", 1, 0)).toEqual({ done: true, result: "answered" });
    expect(afterAttempt(policy, "busy", 1, 0)).toEqual({ done: false, nextAt: 600_000 });
    expect(afterAttempt(policy, "busy", 3, 0)).toEqual({ done: true, result: "busy" });
    expect(afterAttempt(policy, "noAnswer", 1, 0)).toEqual({ done: false, nextAt: 3_600_000 });
    expect(afterAttempt(policy, "noAnswer", 2, 0)).toEqual({ done: true, result: "noAnswer" });
    expect(afterAttempt(policy, "failed", 1, 0)).toEqual({ done: true, result: "failed" });
  });

  it("reads Cloudonix session statuses; an answered call that ends any way is answered", () => {
    expect(sessionOutcome("busy", false)).toBe("busy");
    expect(sessionOutcome("NoAnswer", false)).toBe("noAnswer");
    expect(sessionOutcome("congestion", false)).toBe("failed");
    expect(sessionOutcome("failed", true)).toBe("answered");
    expect(sessionOutcome("completed", false)).toBe("answered");
    expect(sessionOutcome("ringing", false)).toBeNull();
    expect(sessionOutcome("connected", false)).toBeNull();
  });
});
