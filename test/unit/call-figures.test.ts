import { describe, expect, it } from "vitest";
import { checkCdr, checkDialDuration, checkTime, FIGURE_SLACK_SEC, MAX_FLAGS, settleFlags, wallSeconds, type Measured } from "../../durable-objects/logic/call-figures";

const START = Date.UTC(2026, 0, 1, 12, 0, 0);
const at = (seconds: number) => START + seconds * 1000;

/** A call that reached us at START, was answered at +10 s and (unless live) ended at +40 s. */
const answered = (live = false): Measured => ({ startedAt: START, answeredAt: at(10), endedAt: live ? null : at(40), answered: true });
const ringing: Measured = { startedAt: START, answeredAt: null, endedAt: null, answered: false };

describe("wallSeconds", () => {
  it("runs from the start to our end, or to now while the call is live", () => {
    expect(wallSeconds(answered(), at(3_600))).toBe(40);
    expect(wallSeconds(answered(true), at(75))).toBe(75);
  });
});

describe("checkCdr", () => {
  it("uses plausible figures as reported", () => {
    const cdr = { disposition: "ANSWER", answered: true, durationSec: 40, billableSec: 30, answeredAt: at(10), endedAt: at(40) };
    expect(checkCdr(cdr, answered(), at(60))).toEqual({ usable: cdr, rejected: [] });
  });

  it("rejects a duration and billsec far beyond the call's wall time (the forged 4,242 s CDR)", () => {
    const measured: Measured = { startedAt: START, answeredAt: at(1), endedAt: at(1.037), answered: true };
    const { usable, rejected } = checkCdr({ disposition: "ANSWER", answered: true, durationSec: 4242, billableSec: 4242 }, measured, at(30));
    expect(usable.durationSec).toBeUndefined();
    expect(usable.billableSec).toBeUndefined();
    expect(rejected.map((r) => [r.field, r.reported])).toEqual([
      ["durationSec", 4242],
      ["billableSec", 4242],
    ]);
    expect(rejected[0]!.reason).toContain("1 s");
  });

  it("allows the slack and no more", () => {
    const live = answered(true);
    const now = at(20);
    expect(checkCdr({ disposition: "ANSWER", answered: true, durationSec: 20 + FIGURE_SLACK_SEC }, live, now).rejected).toEqual([]);
    expect(checkCdr({ disposition: "ANSWER", answered: true, durationSec: 21 + FIGURE_SLACK_SEC }, live, now).rejected).toHaveLength(1);
  });

  it("rejects billsec longer than the duration, and longer than the talk time we measured", () => {
    const overDuration = checkCdr({ disposition: "ANSWER", answered: true, durationSec: 20, billableSec: 25 }, answered(), at(60));
    expect(overDuration.rejected).toEqual([expect.objectContaining({ field: "billableSec", reported: 25 })]);
    expect(overDuration.usable.durationSec).toBe(20);
    // Answered at +10, ended at +40: 30 s of talk, 40 s of wall time.
    const overTalk = checkCdr({ disposition: "ANSWER", answered: true, durationSec: 40, billableSec: 38 }, answered(), at(60));
    expect(overTalk.rejected.map((r) => r.field)).toEqual(["billableSec"]);
    expect(overTalk.rejected[0]!.reason).toContain("talked (30 s");
  });

  it("rejects times before the call reached us or in the future", () => {
    const { usable, rejected } = checkCdr({ disposition: "NOANSWER", answered: false, answeredAt: at(-3_600), endedAt: at(7_200) }, ringing, at(30));
    expect(rejected.map((r) => r.field)).toEqual(["answeredAt", "endedAt"]);
    expect(usable).toEqual({ disposition: "NOANSWER", answered: false });
  });

  it("never moves an answered call backwards: BUSY for a call we saw answered stays ANSWER", () => {
    const { usable, rejected } = checkCdr({ disposition: "BUSY", answered: false, durationSec: 5, billableSec: 0 }, answered(), at(60));
    expect(usable).toMatchObject({ disposition: "ANSWER", answered: true, durationSec: 5, billableSec: 0 });
    expect(rejected).toEqual([expect.objectContaining({ field: "disposition", reported: "BUSY" })]);
  });

  it("takes a failure disposition for a call nobody answered", () => {
    expect(checkCdr({ disposition: "NOANSWER", answered: false, durationSec: 20, billableSec: 0 }, ringing, at(25)).rejected).toEqual([]);
  });
});

describe("checkTime", () => {
  it("refuses an end before the answer we saw", () => {
    expect(checkTime("endedAt", at(2), answered(true), at(60))?.reason).toContain("before it was answered");
    expect(checkTime("endedAt", at(50), answered(true), at(60))).toBeNull();
    expect(checkTime("answeredAt", undefined, ringing, at(60))).toBeNull();
  });
});

describe("checkDialDuration", () => {
  it("accepts a DialCallDuration within the attempt's own time, and names the attempt otherwise", () => {
    expect(checkDialDuration(1, 30, at(0), at(31))).toBeNull();
    expect(checkDialDuration(1, undefined, at(0), at(31))).toBeNull();
    expect(checkDialDuration(2, 600, at(0), at(31))).toMatchObject({ field: "attempts[2].durationSec", reported: 600 });
  });
});

describe("settleFlags", () => {
  it("keeps the value as reported beside what the record used, and stays bounded", () => {
    const flags = settleFlags(undefined, [{ field: "durationSec", reported: 4242, reason: "too long" }], (field) => ({ durationSec: 0 })[field]);
    expect(flags).toEqual([{ field: "durationSec", reported: 4242, used: 0, reason: "too long" }]);
    expect(settleFlags(flags, [], () => 1)).toBe(flags);
    const many = Array.from({ length: 30 }, (_, i) => ({ field: "endedAt", reported: i, reason: "x" }));
    expect(settleFlags(flags, many, () => undefined)).toHaveLength(MAX_FLAGS);
    expect(settleFlags(undefined, many.slice(0, 1), () => undefined)![0]!.used).toBeNull();
  });
});
