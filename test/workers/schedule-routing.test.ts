import { exports } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, it } from "vitest";
import { callRecords } from "../../workers/db/schema";
import { eventually, withDb } from "./helpers/db";
import { createAgent, createTenantFixture, type TenantFixture } from "./helpers/fixtures";
import { voiceBody, webhookInit } from "./helpers/routing-fixture";

/*
 * Inbound rules with opening hours, end to end: the API writes the schedule and the rule, the
 * routing snapshot carries them, and Explain (at a chosen instant) and the real voice webhook
 * (now) send the call to the rule's agent while open and to its closed target while closed.
 */

const VOICE = "https://router.test/api/webhooks/voice-application";
const nine5 = [{ open: "09:00", close: "17:00" }];

async function officeTenant() {
  const t = await createTenantFixture("schr");
  const [day, night] = [await createAgent(t, { name: "Day desk" }), await createAgent(t, { name: "Night line" })];
  const schedule = (await t.asAdmin("POST", "/api/schedules", { name: "New York office", timezone: "America/New_York", weekly: { mon: nine5, tue: nine5, wed: nine5, thu: nine5, fri: nine5 } })).body;
  const rule = (await t.asAdmin("POST", "/api/inbound-rules", { name: "Sales", pattern: "+1800*", target: { type: "agent", id: day.id }, scheduleId: schedule.id, closedTarget: { type: "agent", id: night.id } })).body;
  if (!rule.id) throw new Error(`rule not created: ${JSON.stringify(rule)}`);
  return { t, day, night, schedule, rule };
}

const explainAt = (t: TenantFixture, time?: string) => t.asViewer("POST", "/api/routing/explain", { from: "+14155550100", to: "+18005550199", direction: "inbound", ...(time ? { time } : {}) }).then((r) => r.body);

let lastSession = "";
async function webhook(t: TenantFixture): Promise<string> {
  const body = voiceBody(t);
  lastSession = body.Session;
  const res = await exports.default.fetch(VOICE, webhookInit(t, body));
  const xml = await res.text();
  if (res.status !== 200) throw new Error(`voice webhook: ${res.status} ${xml}`);
  return xml;
}

/** The decision trace the call's record keeps. */
const recordedTrace = (t: TenantFixture, session: string) =>
  eventually(
    async () => {
      const [row] = await withDb((db) =>
        db
          .select()
          .from(callRecords)
          .where(and(eq(callRecords.tenantId, t.tenantId), eq(callRecords.callId, session))),
      );
      return row?.decision as { schedule?: unknown } | undefined;
    },
    15_000,
    "the call record",
  );

describe("routing with a schedule", () => {
  it("explains, at chosen instants across New York's clock changes, the agent while open and the closed target while closed", async ({ expect }) => {
    const { t, day, night, schedule } = await officeTenant();
    const cases: [string, boolean, string, string | null][] = [
      // Friday 2026-03-06 10:00 EST, open until 17:00 EST.
      ["2026-03-06T15:00:00Z", true, day.id, "2026-03-06T22:00:00.000Z"],
      // Monday 2026-03-09, the day after spring-forward: 08:30 EDT is closed (it would be 09:30 in EST)…
      ["2026-03-09T12:30:00Z", false, night.id, "2026-03-09T13:00:00.000Z"],
      // …and 09:30 EDT open.
      ["2026-03-09T13:30:00Z", true, day.id, "2026-03-09T21:00:00.000Z"],
      // Monday 2026-11-02, the day after fall-back: 08:30 EST closed, 09:30 EST open.
      ["2026-11-02T13:30:00Z", false, night.id, "2026-11-02T14:00:00.000Z"],
      ["2026-11-02T14:30:00Z", true, day.id, "2026-11-02T22:00:00.000Z"],
      // Sunday 2026-11-01 (25 hours long): closed all day, opening Monday 09:00 EST.
      ["2026-11-01T06:30:00Z", false, night.id, "2026-11-02T14:00:00.000Z"],
    ];
    for (const [time, open, agentId, changesAt] of cases) {
      const explained = await explainAt(t, time);
      expect(explained.decision, time).toMatchObject({ action: "dial_agent", agent: { id: agentId } });
      expect(explained.trace.schedule, time).toEqual({ scheduleId: schedule.id, name: "New York office", open, reason: expect.any(String), changesAt });
      expect(explained.trace.at, time).toBe(new Date(time).toISOString());
    }
    const closed = await explainAt(t, "2026-03-09T12:30:00Z");
    expect(closed.trace.schedule.reason).toBe("weekly hours: outside Monday's hours 09:00–17:00");
    expect(closed.trace.notes).toContain(`schedule "New York office" is closed (weekly hours: outside Monday's hours 09:00–17:00) until 2026-03-09T13:00:00.000Z: the call goes to the rule's closed target`);
    expect(closed.trace.stages.map((s: any) => s.label)).toEqual(["schedule closed: rule's closed target: agent Night line", "clean hang-up"]);
  });

  it("explains a holiday closure and an override, then the rule's fallback when it has no closed target", async ({ expect }) => {
    const { t, day, night, schedule, rule } = await officeTenant();
    const put = await t.asAdmin("PUT", `/api/schedules/${schedule.id}`, {
      closures: [{ from: "2026-12-24", to: "2026-12-26", label: "Christmas" }],
      overrides: [{ date: "2026-12-24", label: "Christmas Eve", intervals: [{ open: "09:00", close: "12:00" }] }],
      version: schedule.version,
    });
    expect(put.status).toBe(200);
    // Thursday 24 December 10:00 EST: the override opens it despite the closure; Friday 25th closed.
    expect((await explainAt(t, "2026-12-24T15:00:00Z")).trace.schedule).toMatchObject({ open: true, reason: 'override "Christmas Eve" (2026-12-24): 09:00–12:00', changesAt: "2026-12-24T17:00:00.000Z" });
    const christmas = await explainAt(t, "2026-12-25T15:00:00Z");
    expect(christmas.trace.schedule).toMatchObject({ open: false, reason: 'closure "Christmas" (2026-12-24 to 2026-12-26)', changesAt: "2026-12-28T14:00:00.000Z" });
    expect(christmas.decision.agent.id).toBe(night.id);

    // No closed target: the rule's fallback takes closed-hours calls; with neither, the tenant's unmatched handling (a hang-up).
    await t.asAdmin("PUT", `/api/inbound-rules/${rule.id}`, { closedTarget: null, fallback: { type: "announcement", text: "We are closed for the holidays" }, version: rule.version });
    const announced = await explainAt(t, "2026-12-25T15:00:00Z");
    expect(announced.decision).toMatchObject({ action: "announcement", agent: null });
    expect(announced.decision.cxml).toContain("We are closed for the holidays");
    expect((await explainAt(t, "2026-12-24T15:00:00Z")).decision.agent.id).toBe(day.id);
    await t.asAdmin("PUT", `/api/inbound-rules/${rule.id}`, { fallback: null, version: rule.version + 1 });
    expect((await explainAt(t, "2026-12-25T15:00:00Z")).decision).toMatchObject({ action: "hangup" });
  });

  it("routes a real call by the current time: to the agent while open, to the closed target once today is closed", async ({ expect }) => {
    const t = await createTenantFixture("schr");
    const [day, night] = [await createAgent(t), await createAgent(t)];
    const allDay = [{ open: "00:00", close: "24:00" }];
    const always = { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay };
    const schedule = (await t.asAdmin("POST", "/api/schedules", { name: "Always", timezone: "UTC", weekly: always })).body;
    await t.asAdmin("POST", "/api/inbound-rules", { pattern: "+1800*", target: { type: "agent", id: day.id }, scheduleId: schedule.id, closedTarget: { type: "agent", id: night.id } });

    const open = await webhook(t);
    expect(open).toContain(day.serviceValue);
    expect(open).not.toContain(night.serviceValue);
    const openSession = lastSession;

    // Today and tomorrow (UTC, should the test run across midnight) become closed all day.
    const date = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
    const overrides = [0, 1].map((d) => ({ date: date(d), label: "Closed for the test", intervals: [] }));
    expect((await t.asAdmin("PUT", `/api/schedules/${schedule.id}`, { overrides, version: schedule.version })).status).toBe(200);
    // The change republishes the snapshot; every isolate has it within 2 s.
    const closed = await eventually(
      async () => {
        const xml = await webhook(t);
        return xml.includes(night.serviceValue) ? xml : null;
      },
      10_000,
      "the call routed to the closed target",
    );
    expect(closed).not.toContain(day.serviceValue);
    // Each call's record keeps the schedule that applied.
    expect((await recordedTrace(t, lastSession)).schedule).toMatchObject({ scheduleId: schedule.id, name: "Always", open: false });
    expect((await recordedTrace(t, openSession)).schedule).toEqual({ scheduleId: schedule.id, name: "Always", open: true, reason: expect.stringMatching(/^weekly hours: \w+day 00:00–24:00$/), changesAt: null });
    expect((await explainAt(t)).trace.schedule).toMatchObject({ open: false, reason: `override "Closed for the test" (${date(0)}): closed all day` });
  });
});
