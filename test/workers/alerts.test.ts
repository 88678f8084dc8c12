import { env } from "cloudflare:workers";
import { createExecutionContext, createMessageBatch, createScheduledController } from "cloudflare:test";
import { describe, it } from "vitest";
import worker from "../../workers/index";
import type { CallEventMessage } from "../../workers/queue/messages";
import { envWith, requestWithEnv } from "./helpers/app";
import { callMessage, callRecordState, newTestCallId } from "./helpers/call-messages";
import { eventually } from "./helpers/db";
import { insertLetter } from "./helpers/debugger-fixture";
import { createAgent, createTenantFixture, type TenantFixture } from "./helpers/fixtures";
import { hookUrl, newBox, received, receivedEvents, signedWith } from "./helpers/receiver";

async function deliverToQueue(bodies: CallEventMessage[]) {
  const batch = createMessageBatch(
    "call-events",
    bodies.map((body, i) => ({ id: `al-${crypto.randomUUID()}-${i}`, timestamp: new Date(), attempts: 1, body })),
  );
  await worker.queue(batch, env, createExecutionContext());
}

/** One run of the every-minute cron, as if it ran at `at`. */
const minuteCron = (at = Date.now()) => worker.scheduled(createScheduledController({ scheduledTime: at, cron: "* * * * *" }), env, createExecutionContext());

function healthChange(t: TenantFixture, agentId: string, healthy: boolean, seq = 1): CallEventMessage {
  const record = callRecordState({ startedAt: Date.now() - 30_000, status: "routing" });
  return { ...callMessage(t.tenantId, newTestCallId(), seq, record, "agent.health_changed"), data: { agentId, healthy } };
}

const alertsOf = async (t: TenantFixture, status?: "open" | "resolved") => (await t.asAdmin("GET", `/api/alerts${status ? `?status=${status}` : ""}`)).body.items as any[];

describe("alert rules: the API", () => {
  it("validates each kind's params with field errors, keeps the Slack URL write-only, and refuses read-only users", async ({ expect }) => {
    const t = await createTenantFixture("alr");
    const agent = await createAgent(t);
    const refused: [Record<string, unknown>, string, RegExp][] = [
      [{ name: "x", kind: "failure_rate" }, "params", /expected object/i],
      [{ name: "x", kind: "failure_rate", params: { targetType: "agent", targetId: agent.id, thresholdPct: 500 } }, "params.thresholdPct", /1 to 100/],
      [{ name: "x", kind: "failure_rate", params: { targetType: "queue", targetId: agent.id, thresholdPct: 50 } }, "params.targetType", /agent.*group/],
      [{ name: "x", kind: "no_such_kind" }, "kind", /kind must be one of/],
      [{ name: "", kind: "dead_letters" }, "name", /must not be empty/],
      [{ name: "x", kind: "dead_letters", cooldownMinutes: 0 }, "cooldownMinutes", /1 to 1440/],
      [{ name: "x", kind: "dead_letters", slackUrl: `https://hooks.slack.com/${"a".repeat(10_000)}` }, "slackUrl", /at most 2048/],
      [{ name: "x", kind: "dead_letters", slackUrl: "https://hooks.slack.com/x\r\nX-Evil: 1" }, "slackUrl", /control characters/],
      [{ name: "x", kind: "dead_letters", params: { minCount: 1, extra: true } }, "params", /Unrecognized key/i],
    ];
    for (const [body, path, message] of refused) {
      const res = await t.asAdmin("POST", "/api/alert-rules", body);
      expect(res.status, JSON.stringify(body).slice(0, 90)).toBe(400);
      expect(res.body.error.details.find((d: any) => d.path === path)?.message, `${path}: ${JSON.stringify(res.body.error.details)}`).toMatch(message);
    }

    const slack = "https://hooks.slack.com/services/T000/B000/secretpart";
    const created = await t.asAdmin("POST", "/api/alert-rules", { name: "agent out", kind: "agent_unhealthy", params: { agentId: agent.id }, slackUrl: slack });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: "agent_unhealthy", params: { agentId: agent.id }, hasSlackUrl: true, cooldownMinutes: 60, notifyWebhooks: true, enabled: true });
    expect(JSON.stringify(created.body)).not.toContain("secretpart");
    const audit = await t.asAdmin("GET", `/api/audit-log?entityType=alert_rule&entityId=${created.body.id}`);
    expect(audit.body.items).toHaveLength(1);
    expect(JSON.stringify(audit.body)).not.toContain("secretpart");
    // Defaults filled in for a kind whose params are optional.
    expect((await t.asAdmin("POST", "/api/alert-rules", { name: "letters", kind: "dead_letters" })).body.params).toEqual({ minCount: 1 });

    const badParams = await t.asAdmin("PUT", `/api/alert-rules/${created.body.id}`, { params: { agentId: 7 } });
    expect(badParams.status).toBe(400);
    const cleared = await t.asAdmin("PUT", `/api/alert-rules/${created.body.id}`, { slackUrl: null, version: created.body.version });
    expect(cleared.body).toMatchObject({ hasSlackUrl: false, version: created.body.version + 1 });
    expect((await t.asAdmin("PUT", `/api/alert-rules/${created.body.id}`, { name: "stale", version: created.body.version })).status).toBe(409);

    expect((await t.asViewer("GET", "/api/alert-rules")).body.items).toHaveLength(2);
    expect((await t.asViewer("GET", "/api/alerts")).status).toBe(200);
    expect((await t.asViewer("POST", "/api/alert-rules", { name: "x", kind: "dead_letters" })).status).toBe(403);
    expect((await t.asViewer("DELETE", `/api/alert-rules/${created.body.id}`)).status).toBe(403);
  });

  it("in production, a Slack URL must be https and public", async ({ expect }) => {
    const t = await createTenantFixture("alr");
    const res = await requestWithEnv(envWith({ ENVIRONMENT: "production" }), "/api/alert-rules", {
      method: "POST",
      headers: { authorization: `Bearer ${t.admin.token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "x", kind: "dead_letters", slackUrl: "https://192.168.0.10/hook" }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.details).toEqual([{ path: "slackUrl", message: "must not be a private, loopback or link-local address" }]);
  });

  it("keeps tenants apart: another tenant's rules, targets and alerts answer 404 or are not listed", async ({ expect }) => {
    const [a, b] = await Promise.all([createTenantFixture("alra"), createTenantFixture("alrb")]);
    const agentOfA = await createAgent(a);
    const rule = (await a.asAdmin("POST", "/api/alert-rules", { name: "a's", kind: "agent_unhealthy", params: { agentId: agentOfA.id } })).body;
    for (const [method, path, body] of [
      ["GET", `/api/alert-rules/${rule.id}`],
      ["PUT", `/api/alert-rules/${rule.id}`, { name: "b's now" }],
      ["DELETE", `/api/alert-rules/${rule.id}`],
    ] as const) {
      expect((await b.asAdmin(method, path, body)).status, `${method} ${path}`).toBe(404);
    }
    // A rule of B cannot watch A's agent.
    const cross = await b.asAdmin("POST", "/api/alert-rules", { name: "spy", kind: "failure_rate", params: { targetType: "agent", targetId: agentOfA.id, thresholdPct: 10 } });
    expect(cross.status).toBe(404);
    await deliverToQueue([healthChange(a, agentOfA.id, false)]);
    await eventually(async () => (await alertsOf(a, "open")).length === 1, 10_000, "A's alert");
    expect(await alertsOf(b)).toEqual([]);
    expect((await b.asAdmin("GET", "/api/alert-rules")).body.items).toEqual([]);
  });
});

describe("alerts: firing, repeating, resolving", () => {
  it("an agent taken out for health fires once (Slack and the signed webhook), stays quiet in its cooldown, and resolves when it is back", async ({ expect }) => {
    const t = await createTenantFixture("hlt");
    const agent = await createAgent(t, { name: "Ada <!channel>" });
    const slack = newBox();
    const hooks = newBox();
    const endpoint = (await t.asAdmin("POST", "/api/event-webhooks", { url: hookUrl(hooks), eventTypes: ["alert.fired", "alert.resolved", "agent.health_changed"] })).body;
    const rule = (await t.asAdmin("POST", "/api/alert-rules", { name: "agents", kind: "agent_unhealthy", slackUrl: hookUrl(slack) })).body;

    await deliverToQueue([healthChange(t, agent.id, false)]);
    const [open] = await alertsOf(t, "open");
    expect(open).toMatchObject({ ruleId: rule.id, ruleName: "agents", kind: "agent_unhealthy", subject: { type: "agent", id: agent.id, name: "Ada <!channel>" }, notifications: 1 });
    const slackFired = await eventually(async () => ((await received(slack)).length ? received(slack) : null), 10_000, "Slack alert");
    expect(JSON.parse(slackFired[0]!.body).text).toBe(":rotating_light: Alert (agents): Agent Ada &lt;!channel&gt; was taken out of rotation for failing calls");

    // Out again within the cooldown: the same alert, no second notification.
    await deliverToQueue([healthChange(t, agent.id, false)]);
    expect((await alertsOf(t, "open"))[0]).toMatchObject({ id: open.id, notifications: 1 });

    await deliverToQueue([healthChange(t, agent.id, true)]);
    expect(await alertsOf(t, "open")).toEqual([]);
    expect((await alertsOf(t, "resolved"))[0]).toMatchObject({ id: open.id, resolvedAt: expect.any(String) });
    const slackAll = await eventually(async () => ((await received(slack)).length === 2 ? received(slack) : null), 10_000, "Slack resolved");
    expect(JSON.parse(slackAll[1]!.body).text).toMatch(/^:white_check_mark: Resolved \(agents\)/);

    const events = await eventually(
      async () => {
        const got = await receivedEvents(hooks);
        return got.filter((r) => r.event.type.startsWith("alert.")).length === 2 ? got : null;
      },
      10_000,
      "alert events",
    );
    const alertEvents = events.filter((r) => r.event.type.startsWith("alert."));
    expect(alertEvents.map((r) => r.event.type)).toEqual(["alert.fired", "alert.resolved"]);
    expect(alertEvents[0]!.event.data).toMatchObject({ alertId: open.id, kind: "agent_unhealthy", subject: { id: agent.id } });
    for (const r of alertEvents) expect(await signedWith(r, endpoint.secret)).toBe(true);
    // agent.health_changed itself reached the endpoint too, three times.
    expect(events.filter((r) => r.event.type === "agent.health_changed").map((r) => r.event.data.healthy)).toEqual([false, false, true]);
  });

  it("an agent's failure rate over a window: the cron opens it, repeats it after the cooldown, and a rule change resolves it", async ({ expect }) => {
    const t = await createTenantFixture("rate");
    const agent = await createAgent(t);
    const started = Date.now() - 5 * 60_000;
    const calls = Array.from({ length: 10 }, (_, i) =>
      callMessage(
        t.tenantId,
        newTestCallId(),
        5,
        callRecordState({
          startedAt: started + i * 1000,
          status: i < 6 ? "failed" : "completed",
          agentId: agent.id,
          attempts: [{ targetId: agent.id, groupId: null, outcome: i < 6 ? "failed" : "answered" }],
          answeredAfterSec: i < 6 ? null : 3,
          durationSec: i < 6 ? 0 : 20,
        }),
        "call.ended",
      ),
    );
    await deliverToQueue(calls);
    const rule = (await t.asAdmin("POST", "/api/alert-rules", { name: "ada fails", kind: "failure_rate", cooldownMinutes: 1, params: { targetType: "agent", targetId: agent.id, thresholdPct: 50, windowMinutes: 60, minAttempts: 5 } })).body;

    await minuteCron();
    const [open] = await alertsOf(t, "open");
    expect(open).toMatchObject({ ruleId: rule.id, kind: "failure_rate", subject: { type: "agent", id: agent.id }, notifications: 1, details: { attempts: 10, failed: 6, failurePct: 60 } });
    expect(open.message).toMatch(/60% of 10 dial attempts failed in the last 60 minutes \(threshold 50%\)/);
    await minuteCron();
    expect((await alertsOf(t, "open"))[0].notifications).toBe(1);
    await minuteCron(Date.now() + 61_000);
    expect((await alertsOf(t, "open"))[0].notifications).toBe(2);

    // A threshold above the rate: the open alert resolves, and the cron leaves it resolved.
    expect((await t.asAdmin("PUT", `/api/alert-rules/${rule.id}`, { params: { targetType: "agent", targetId: agent.id, thresholdPct: 80, windowMinutes: 60, minAttempts: 5 } })).status).toBe(200);
    expect(await alertsOf(t, "open")).toEqual([]);
    await minuteCron();
    expect(await alertsOf(t, "open")).toEqual([]);
    expect((await alertsOf(t, "resolved"))[0].id).toBe(open.id);
  });

  it("no call answered for N minutes while a schedule is open fires, and an answered call resolves it; a closed schedule never fires", async ({ expect }) => {
    const t = await createTenantFixture("noans");
    const allDay = Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, [{ open: "00:00", close: "24:00" }]]));
    const open = (await t.asAdmin("POST", "/api/schedules", { name: "Always", timezone: "UTC", weekly: allDay })).body;
    const closed = (await t.asAdmin("POST", "/api/schedules", { name: "Never", timezone: "UTC", weekly: {} })).body;
    expect(open.id && closed.id).toBeTruthy();
    const other = await createTenantFixture("noans");
    const otherSchedule = (await other.asAdmin("POST", "/api/schedules", { name: "Theirs", timezone: "UTC", weekly: allDay })).body;
    expect((await t.asAdmin("POST", "/api/alert-rules", { name: "x", kind: "no_answers", params: { scheduleId: otherSchedule.id } })).status).toBe(404);
    expect((await t.asAdmin("POST", "/api/alert-rules", { name: "x", kind: "no_answers", params: { scheduleId: open.id, minutes: 1 } })).body.error.details).toEqual([{ path: "params.minutes", message: "must be 5 to 1440" }]);
    const rule = (await t.asAdmin("POST", "/api/alert-rules", { name: "silence", kind: "no_answers", params: { scheduleId: open.id, minutes: 10 } })).body;
    await t.asAdmin("POST", "/api/alert-rules", { name: "silence when closed", kind: "no_answers", params: { scheduleId: closed.id, minutes: 10 } });

    await minuteCron();
    const firing = await alertsOf(t, "open");
    expect(firing).toHaveLength(1);
    expect(firing[0]).toMatchObject({ ruleId: rule.id, kind: "no_answers", subject: { type: "schedule", id: open.id, name: "Always" }, message: "No call answered for 10 minutes while schedule Always is open" });

    const now = Date.now();
    await deliverToQueue([callMessage(t.tenantId, newTestCallId(), 4, callRecordState({ startedAt: now - 60_000, status: "completed", answeredAfterSec: 10, durationSec: 30 }), "call.ended")]);
    await minuteCron();
    expect(await alertsOf(t, "open")).toEqual([]);
  });

  it("parked dead letters fire an alert that resolves once they are dealt with", async ({ expect }) => {
    const t = await createTenantFixture("dlq");
    await t.asAdmin("POST", "/api/alert-rules", { name: "letters", kind: "dead_letters" });
    await minuteCron();
    expect(await alertsOf(t, "open")).toEqual([]);
    const letter = await insertLetter(t.tenantId, { kind: "call_event", tenantId: t.tenantId });
    await minuteCron();
    const [open] = await alertsOf(t, "open");
    expect(open).toMatchObject({ kind: "dead_letters", subject: { type: "tenant" }, details: { parked: 1 } });
    expect((await t.asAdmin("POST", `/api/dead-letters/${letter}/discard`)).status).toBe(200);
    await minuteCron();
    expect(await alertsOf(t, "open")).toEqual([]);
    expect((await alertsOf(t, "resolved"))[0].id).toBe(open.id);
  });
});
