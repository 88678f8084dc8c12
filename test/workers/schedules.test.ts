import { describe, it } from "vitest";
import { createAgent, createTenantFixture, type TenantFixture } from "./helpers/fixtures";

const nine5 = [{ open: "09:00", close: "17:00" }];
const weekdays = { mon: nine5, tue: nine5, wed: nine5, thu: nine5, fri: nine5 };
const office = (name = `office-${crypto.randomUUID().slice(0, 6)}`, extra: Record<string, unknown> = {}) => ({ name, timezone: "America/New_York", weekly: weekdays, ...extra });
const createSchedule = async (t: TenantFixture, body: Record<string, unknown> = office()) => {
  const res = await t.asAdmin("POST", "/api/schedules", body);
  if (res.status !== 201) throw new Error(`creating a schedule failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};
const paths = (res: { body: any }) => (res.body.error?.details ?? []).map((d: any) => d.path);

describe("schedules API", () => {
  it("creates, reads, lists, updates under a version and deletes a schedule", async ({ expect }) => {
    const t = await createTenantFixture("sch");
    const res = await t.asAdmin("POST", "/api/schedules", {
      name: "Front desk",
      timezone: "america/new_york",
      weekly: { ...weekdays, sat: [{ open: "22:00", close: "02:00", overnight: true }] },
      closures: [{ from: "2026-12-25", to: "2026-12-26", label: "Christmas" }],
      overrides: [{ date: "2026-12-24", label: "Christmas Eve", intervals: [{ open: "09:00", close: "13:00" }] }],
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe(`/api/schedules/${res.body.id}`);
    // The zone in its canonical spelling; days left out are closed.
    expect(res.body).toMatchObject({ name: "Front desk", timezone: "America/New_York", ruleCount: 0, version: 1 });
    expect(res.body.weekly).toEqual({ ...weekdays, sat: [{ open: "22:00", close: "02:00", overnight: true }], sun: [] });
    expect((await t.asViewer("GET", `/api/schedules/${res.body.id}`)).body).toEqual(res.body);
    expect((await t.asViewer("GET", "/api/schedules?q=front")).body.items.map((s: any) => s.id)).toEqual([res.body.id]);
    expect((await t.asViewer("GET", "/api/schedules?q=nothing")).body.items).toEqual([]);

    const updated = await t.asAdmin("PUT", `/api/schedules/${res.body.id}`, { closures: [], version: 1 });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ closures: [], version: 2, name: "Front desk" });
    expect(updated.body.overrides).toHaveLength(1);
    const stale = await t.asAdmin("PUT", `/api/schedules/${res.body.id}`, { name: "Other", version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe("VERSION_CONFLICT");
    expect((await t.asAdmin("DELETE", `/api/schedules/${res.body.id}`, undefined, { "If-Match": '"1"' })).status).toBe(409);
    expect((await t.asAdmin("DELETE", `/api/schedules/${res.body.id}`)).status).toBe(204);
    expect((await t.asViewer("GET", `/api/schedules/${res.body.id}`)).status).toBe(404);
  });

  it("lets a viewer read but not write, and refuses a duplicate name", async ({ expect }) => {
    const t = await createTenantFixture("sch");
    expect((await t.asViewer("POST", "/api/schedules", office())).status).toBe(403);
    await createSchedule(t, office("Main"));
    const dup = await t.asAdmin("POST", "/api/schedules", office("Main"));
    expect(dup.status).toBe(409);
    expect(dup.body.error.details).toMatchObject({ field: "name" });
  });

  it("tells whether it is open at an instant, why, when that changes, and the week ahead, across New York's spring-forward", async ({ expect }) => {
    const t = await createTenantFixture("sch");
    const s = await createSchedule(t, office("Office", { closures: [{ from: "2026-03-10", to: "2026-03-10", label: "Inventory" }] }));
    // Saturday 2026-03-07 18:00 EST: closed for the weekend, opening Monday 09:00 EDT (13:00 UTC).
    const res = await t.asViewer("GET", `/api/schedules/${s.id}/status?at=2026-03-07T23:00:00Z`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      scheduleId: s.id,
      timezone: "America/New_York",
      at: "2026-03-07T23:00:00.000Z",
      atLocal: "2026-03-07T18:00:00-05:00",
      open: false,
      reason: "weekly hours: closed on Saturdays",
      rule: { kind: "weekly" },
      changesAt: "2026-03-09T13:00:00.000Z",
      changesAtLocal: "2026-03-09T09:00:00-04:00",
    });
    expect(res.body.week.map((d: any) => [d.date, d.hours, d.rule.kind, d.intervals.map((i: any) => `${i.startLocal}`)])).toEqual([
      ["2026-03-07", 24, "weekly", []],
      ["2026-03-08", 23, "weekly", []],
      ["2026-03-09", 24, "weekly", ["2026-03-09T09:00:00-04:00"]],
      ["2026-03-10", 24, "closure", []],
      ["2026-03-11", 24, "weekly", ["2026-03-11T09:00:00-04:00"]],
      ["2026-03-12", 24, "weekly", ["2026-03-12T09:00:00-04:00"]],
      ["2026-03-13", 24, "weekly", ["2026-03-13T09:00:00-04:00"]],
    ]);
    expect(res.body.week[2].intervals[0]).toEqual({ start: "2026-03-09T13:00:00.000Z", end: "2026-03-09T21:00:00.000Z", startLocal: "2026-03-09T09:00:00-04:00", endLocal: "2026-03-09T17:00:00-04:00", configured: "09:00–17:00" });
    // Without `at`: now.
    const now = await t.asViewer("GET", `/api/schedules/${s.id}/status`);
    expect(Math.abs(Date.parse(now.body.at) - Date.now())).toBeLessThan(60_000);
    const bad = await t.asViewer("GET", `/api/schedules/${s.id}/status?at=tomorrow`);
    expect(bad.status).toBe(400);
    expect(paths(bad)).toEqual(["at"]);
  });

  it.for([
    ["a time zone that does not exist", { timezone: "Mars/Olympus_Mons" }, ["timezone"]],
    ["a time zone of 10,000 characters", { timezone: "A".repeat(10_000) }, ["timezone"]],
    ["25:00", { weekly: { mon: [{ open: "09:00", close: "25:00" }] } }, ["weekly.mon.0.close"]],
    ["9:00 without its leading zero", { weekly: { mon: [{ open: "9:00", close: "17:00" }] } }, ["weekly.mon.0.open"]],
    ["24:00 as an opening time", { weekly: { mon: [{ open: "24:00", close: "02:00", overnight: true }] } }, ["weekly.mon.0.open"]],
    ["a close before the open that is not marked overnight", { weekly: { mon: [{ open: "17:00", close: "09:00" }] } }, ["weekly.mon.0.close"]],
    ["an overnight interval that closes the same day", { weekly: { mon: [{ open: "09:00", close: "17:00", overnight: true }] } }, ["weekly.mon.0.overnight"]],
    ["equal open and close", { weekly: { mon: [{ open: "09:00", close: "09:00" }] } }, ["weekly.mon.0.close"]],
    [
      "overlapping intervals",
      {
        weekly: {
          tue: [
            { open: "09:00", close: "13:00" },
            { open: "12:00", close: "18:00" },
          ],
        },
      },
      ["weekly.tue.1.open"],
    ],
    ["Sunday's overnight run overlapping Monday's hours", { weekly: { sun: [{ open: "22:00", close: "10:00", overnight: true }], mon: nine5 } }, ["weekly.mon.0.open"]],
    [
      "more than 50 intervals a day",
      {
        weekly: {
          wed: Array.from({ length: 51 }, (_, i) => ({ open: `${String(Math.floor(i / 4)).padStart(2, "0")}:${String((i % 4) * 15).padStart(2, "0")}`, close: `${String(Math.floor(i / 4)).padStart(2, "0")}:${String((i % 4) * 15 + 10).padStart(2, "0")}` })),
        },
      },
      ["weekly.wed"],
    ],
    ["an unknown weekday", { weekly: { monday: nine5 } }, ["weekly"]],
    ["more than 500 closures", { closures: Array.from({ length: 501 }, () => ({ from: "2026-01-01", to: "2026-01-01", label: "x" })) }, ["closures"]],
    ["a closure ending before it starts", { closures: [{ from: "2026-12-26", to: "2026-12-25", label: "Christmas" }] }, ["closures.0.to"]],
    ["a closure of two years", { closures: [{ from: "2026-01-01", to: "2027-12-31", label: "Sabbatical" }] }, ["closures.0.to"]],
    ["a closure without a label", { closures: [{ from: "2026-12-25", to: "2026-12-25", label: "" }] }, ["closures.0.label"]],
    ["a label of 100,000 characters", { closures: [{ from: "2026-12-25", to: "2026-12-25", label: "x".repeat(100_000) }] }, ["closures.0.label"]],
    [
      "more than 2,000 intervals across the overrides",
      {
        overrides: Array.from({ length: 41 }, (_, i) => ({
          date: `2030-02-${String((i % 28) + 1).padStart(2, "0")}`.replace(/^2030/, String(2030 + Math.floor(i / 28))),
          label: "Shifts",
          intervals: Array.from({ length: 50 }, (_, j) => ({
            open: `${String(Math.floor(j / 3)).padStart(2, "0")}:${String((j % 3) * 20).padStart(2, "0")}`,
            close: `${String(Math.floor(j / 3)).padStart(2, "0")}:${String((j % 3) * 20 + 10).padStart(2, "0")}`,
          })),
        })),
      },
      ["overrides"],
    ],
    ["a date that is not in the calendar", { overrides: [{ date: "2026-02-30", label: "Odd", intervals: [] }] }, ["overrides.0.date"]],
    [
      "two overrides for one date",
      {
        overrides: [
          { date: "2026-07-03", label: "A", intervals: [] },
          { date: "2026-07-03", label: "B", intervals: [] },
        ],
      },
      ["overrides.1.date"],
    ],
    ["an override with a bad interval", { overrides: [{ date: "2026-07-03", label: "Half day", intervals: [{ open: "13:00", close: "09:00" }] }] }, ["overrides.0.intervals.0.close"]],
    ["a name of 10,000 characters", { name: "n".repeat(10_000) }, ["name"]],
    ["an unknown field", { colour: "red" }, ["(root)"]],
  ] as const)("refuses %s with the field's error", async ([, change, expected], { expect }) => {
    const t = await createTenantFixture("sch");
    const body = { ...office(), ...change } as Record<string, unknown>;
    const res = await t.asAdmin("POST", "/api/schedules", body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
    expect(paths(res)).toEqual(expected);
  });

  it("accepts 50 intervals a day, 500 closures and an interval to 24:00", async ({ expect }) => {
    const t = await createTenantFixture("sch");
    const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
    const fifty = Array.from({ length: 50 }, (_, i) => ({ open: hhmm(i * 25), close: hhmm(i * 25 + 20) }));
    const closures = Array.from({ length: 500 }, (_, i) => ({ from: `2030-01-${String((i % 28) + 1).padStart(2, "0")}`, to: `2030-01-${String((i % 28) + 1).padStart(2, "0")}`, label: `Day ${i}` }));
    const res = await t.asAdmin("POST", "/api/schedules", office("Busy", { weekly: { mon: fifty, fri: [{ open: "18:00", close: "24:00" }] }, closures }));
    expect(res.status).toBe(201);
    expect(res.body.weekly.mon).toHaveLength(50);
    expect(res.body.closures).toHaveLength(500);
  });
});

describe("inbound rules with a schedule", () => {
  it("stores the schedule and the closed target, and refuses deleting a schedule a rule uses", async ({ expect }) => {
    const t = await createTenantFixture("sch");
    const [open, afterHours] = [await createAgent(t), await createAgent(t)];
    const s = await createSchedule(t, office("Office"));
    const rule = await t.asAdmin("POST", "/api/inbound-rules", { name: "Sales", pattern: "+1800*", target: { type: "agent", id: open.id }, scheduleId: s.id, closedTarget: { type: "agent", id: afterHours.id } });
    expect(rule.status).toBe(201);
    expect(rule.body).toMatchObject({ scheduleId: s.id, closedTarget: { type: "agent", id: afterHours.id } });
    expect((await t.asViewer("GET", `/api/schedules/${s.id}`)).body.ruleCount).toBe(1);
    expect((await t.asViewer("GET", "/api/schedules")).body.items[0].ruleCount).toBe(1);

    const refused = await t.asAdmin("DELETE", `/api/schedules/${s.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("IN_USE");
    expect(refused.body.error.message).toContain('"Sales"');
    expect(refused.body.error.details.usedBy).toEqual([{ ruleId: rule.body.id, name: "Sales", pattern: "1800*" }]);

    // An announcement while closed; then the schedule comes off the rule and can go.
    const announced = await t.asAdmin("PUT", `/api/inbound-rules/${rule.body.id}`, { closedTarget: { type: "announcement", text: "We are closed" }, version: 1 });
    expect(announced.body).toMatchObject({ scheduleId: s.id, closedTarget: { type: "announcement", text: "We are closed" }, version: 2 });
    const off = await t.asAdmin("PUT", `/api/inbound-rules/${rule.body.id}`, { scheduleId: null, closedTarget: null, version: 2 });
    expect(off.body).toMatchObject({ scheduleId: null, closedTarget: null });
    expect((await t.asAdmin("DELETE", `/api/schedules/${s.id}`)).status).toBe(204);
    // A rule without a schedule says so.
    expect((await t.asAdmin("POST", "/api/inbound-rules", { pattern: "+1900*", target: { type: "agent", id: open.id } })).body).toMatchObject({ scheduleId: null, closedTarget: null });
  });

  it("refuses a schedule or closed target that is not the tenant's, and a malformed closed target", async ({ expect }) => {
    const [a, b] = await Promise.all([createTenantFixture("sch"), createTenantFixture("sch")]);
    const theirs = await createSchedule(b, office("Theirs"));
    const theirAgent = await createAgent(b);
    const agent = await createAgent(a);
    const base = { pattern: "+1800*", target: { type: "agent", id: agent.id } };

    const foreign = await a.asAdmin("POST", "/api/inbound-rules", { ...base, scheduleId: theirs.id });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.details).toMatchObject({ field: "scheduleId", missing: [theirs.id] });
    const foreignTarget = await a.asAdmin("POST", "/api/inbound-rules", { ...base, closedTarget: { type: "agent", id: theirAgent.id } });
    expect(foreignTarget.status).toBe(404);
    expect(foreignTarget.body.error.details).toMatchObject({ field: "closedTarget.id" });
    const malformed = await a.asAdmin("POST", "/api/inbound-rules", { ...base, closedTarget: { type: "voicemail" } });
    expect(malformed.status).toBe(400);
    expect(paths(malformed)[0]).toMatch(/^closedTarget/);

    // Nor can the other tenant's schedule be read, changed, evaluated or deleted from here.
    expect((await a.asViewer("GET", `/api/schedules/${theirs.id}`)).status).toBe(404);
    expect((await a.asViewer("GET", `/api/schedules/${theirs.id}/status`)).status).toBe(404);
    expect((await a.asAdmin("PUT", `/api/schedules/${theirs.id}`, { name: "Mine now" })).status).toBe(404);
    expect((await a.asAdmin("DELETE", `/api/schedules/${theirs.id}`)).status).toBe(404);
    expect((await a.asViewer("GET", "/api/schedules")).body.items).toEqual([]);
    // A rule of mine updated to their schedule: refused too, and the rule keeps none.
    const mine = (await a.asAdmin("POST", "/api/inbound-rules", base)).body;
    const update = await a.asAdmin("PUT", `/api/inbound-rules/${mine.id}`, { scheduleId: theirs.id, version: mine.version });
    expect(update.status).toBe(404);
    expect((await a.asViewer("GET", `/api/inbound-rules/${mine.id}`)).body.scheduleId).toBeNull();
    expect((await b.asViewer("GET", `/api/schedules/${theirs.id}`)).body).toMatchObject({ name: "Theirs", ruleCount: 0 });
  });
});
