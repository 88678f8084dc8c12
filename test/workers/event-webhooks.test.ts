import { env, exports } from "cloudflare:workers";
import { createExecutionContext, createMessageBatch, createScheduledController } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { describe, it } from "vitest";
import worker from "../../workers/index";
import { eventDeliveries, eventDeliveryAttempts } from "../../workers/db/schema";
import type { CallEventMessage } from "../../workers/queue/messages";
import { envWith, requestWithEnv } from "./helpers/app";
import { callMessage, callRecordState, newTestCallId } from "./helpers/call-messages";
import { eventually, withDb } from "./helpers/db";
import { call, createTenantFixture, login, type TenantFixture } from "./helpers/fixtures";
import { hookUrl, newBox, received, receivedEvents, setBox, signedWith } from "./helpers/receiver";
import { createRoutingFixture, voiceBody, webhookInit, type RoutingFixture } from "./helpers/routing-fixture";

const VOICE = "https://router.test/api/webhooks/voice-application";
const dialResult = (attempt: number) => `${VOICE}/dial-result?attempt=${attempt}`;
const CALL_TYPES = ["call.started", "call.answered", "call.failed_over", "call.ended"];

async function register(t: Pick<TenantFixture, "asAdmin">, box: string, eventTypes = CALL_TYPES, extra: Record<string, unknown> = {}) {
  const res = await t.asAdmin("POST", "/api/event-webhooks", { url: hookUrl(box), description: "test receiver", eventTypes, ...extra });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; secret: string; secretHint: string };
}

/** A routing fixture whose admin is signed in, with asAdmin like a tenant fixture. */
async function routingTenant(options: Parameters<typeof createRoutingFixture>[0] = {}) {
  const fixture = await createRoutingFixture(options);
  const token = await login(fixture.adminEmail, fixture.adminPassword);
  return { fixture, asAdmin: <T = any>(method: string, path: string, body?: unknown) => call<T>(token, method, path, body) };
}

async function post(fixture: RoutingFixture, url: string, body: Record<string, unknown>) {
  const started = performance.now();
  const res = await exports.default.fetch(url, webhookInit(fixture, body));
  const xml = await res.text();
  return { status: res.status, xml, ms: performance.now() - started };
}

/** A call that fails over once and is answered by the second agent. */
async function failedOverCall(fixture: RoutingFixture) {
  const body = voiceBody(fixture);
  const first = await post(fixture, VOICE, body);
  await post(fixture, dialResult(1), { ...body, DialCallStatus: "busy" });
  await post(fixture, dialResult(2), { ...body, DialCallStatus: "completed", DialCallDuration: "12" });
  return { callId: body.Session as string, first };
}

const deliveriesOf = (endpointId: string) => withDb((db) => db.select().from(eventDeliveries).where(eq(eventDeliveries.endpointId, endpointId)));

async function deliverToQueue(bodies: CallEventMessage[]) {
  const batch = createMessageBatch(
    "call-events",
    bodies.map((body, i) => ({ id: `ew-${crypto.randomUUID()}-${i}`, timestamp: new Date(), attempts: 1, body })),
  );
  await worker.queue(batch, env, createExecutionContext());
}

describe("event webhooks: registration", () => {
  it("shows the signing secret once, lists endpoints to read-only users, refuses their writes", async ({ expect }) => {
    const t = await createTenantFixture("ewh");
    const created = await register(t, newBox());
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(created.secretHint).toBe(created.secret.slice(-4));
    const got = await t.asViewer("GET", `/api/event-webhooks/${created.id}`);
    expect(got.status).toBe(200);
    expect(JSON.stringify(got.body)).not.toContain(created.secret);
    expect((await t.asViewer("GET", "/api/event-webhooks")).body.items.map((e: any) => e.id)).toEqual([created.id]);
    expect((await t.asViewer("POST", "/api/event-webhooks", { url: hookUrl(newBox()), eventTypes: ["call.ended"] })).status).toBe(403);
    const audit = await t.asAdmin("GET", `/api/audit-log?entityType=event_webhook&entityId=${created.id}`);
    expect(audit.body.items[0].action).toBe("event_webhook.created");
    expect(JSON.stringify(audit.body)).not.toContain(created.secret);
  });

  it("refuses hostile input with field errors: a 10,000-character URL, a line break in the description, unknown event types", async ({ expect }) => {
    const t = await createTenantFixture("ewh");
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ url: `https://example.com/${"a".repeat(10_000)}`, eventTypes: ["call.ended"] }, "url", /at most 2048/],
      [{ url: hookUrl(newBox()), description: "ok\r\nX-Injected: yes", eventTypes: ["call.ended"] }, "description", /line breaks or control characters/],
      [{ url: hookUrl(newBox()), eventTypes: ["call.exploded"] }, "eventTypes.0", /must be one of/],
      [{ url: hookUrl(newBox()), eventTypes: [] }, "eventTypes", /at least one/],
      [{ url: "https://user:pw@example.com/", eventTypes: ["call.ended"] }, "url", /user name or password/],
      [{ url: "ftp://example.com/", eventTypes: ["call.ended"] }, "url", /https URL/],
      [{ url: hookUrl(newBox()), eventTypes: ["call.ended"], secret: "mine" }, "(root)", /Unrecognized key/i],
    ];
    for (const [body, path, message] of cases) {
      const res = await t.asAdmin("POST", "/api/event-webhooks", body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
      const detail = res.body.error.details.find((d: any) => d.path === path);
      expect(detail?.message, `${path}: ${JSON.stringify(res.body.error.details)}`).toMatch(message);
    }
    expect((await t.asAdmin("GET", "/api/event-webhooks")).body.items).toEqual([]);
  });

  it("in production refuses plain http and private, loopback and link-local addresses (field errors, nothing stored)", async ({ expect }) => {
    const t = await createTenantFixture("ewh");
    const production = envWith({ ENVIRONMENT: "production" });
    const attempt = (url: string) => requestWithEnv(production, "/api/event-webhooks", { method: "POST", headers: { authorization: `Bearer ${t.admin.token}`, "content-type": "application/json" }, body: JSON.stringify({ url, eventTypes: ["call.ended"] }) });
    for (const [url, message] of [
      [hookUrl(newBox()), /https URL/],
      ["https://127.0.0.1/hook", /private, loopback or link-local/],
      ["https://[::1]/hook", /private, loopback or link-local/],
      ["https://169.254.169.254/latest", /private, loopback or link-local/],
      ["https://10.0.0.7/", /private, loopback or link-local/],
      ["https://localhost/hook", /public host name/],
      ["https://metadata.google.internal/", /public host name/],
    ] as const) {
      const res = await attempt(url);
      const body = (await res.json()) as any;
      expect(res.status, url).toBe(400);
      expect(body.error.details, url).toEqual([{ path: "url", message: expect.stringMatching(message) }]);
    }
    expect((await t.asAdmin("GET", "/api/event-webhooks")).body.items).toEqual([]);
  });

  it("keeps tenants apart: another tenant's endpoint and its deliveries answer 404", async ({ expect }) => {
    const a = await createTenantFixture("ewa");
    const b = await createTenantFixture("ewb");
    const endpoint = await register(a, newBox());
    for (const [method, path, body] of [
      ["GET", `/api/event-webhooks/${endpoint.id}`],
      ["PUT", `/api/event-webhooks/${endpoint.id}`, { description: "mine now" }],
      ["DELETE", `/api/event-webhooks/${endpoint.id}`],
      ["POST", `/api/event-webhooks/${endpoint.id}/rotate-secret`, {}],
      ["GET", `/api/event-webhooks/${endpoint.id}/deliveries`],
      ["POST", `/api/event-webhooks/${endpoint.id}/deliveries/evd_x/resend`],
    ] as const) {
      expect((await b.asAdmin(method, path, body)).status, `${method} ${path}`).toBe(404);
    }
    expect((await b.asAdmin("GET", "/api/event-webhooks")).body.items).toEqual([]);
    expect((await a.asAdmin("GET", `/api/event-webhooks/${endpoint.id}`)).body.description).toBe("test receiver");
  });
});

describe("event webhooks: delivery to a real receiver", () => {
  it("signs each delivery (t=…,v1=HMAC-SHA-256 of '<t>.<body>'), sends the call's events in order with ids, and only the tenant's", async ({ expect }) => {
    const { fixture, asAdmin } = await routingTenant({ agentCount: 2, maxAttempts: 3 });
    const other = await routingTenant();
    const box = newBox();
    const otherBox = newBox();
    const endpoint = await register({ asAdmin }, box);
    await register({ asAdmin: other.asAdmin }, otherBox);
    const { callId } = await failedOverCall(fixture);

    const events = await eventually(
      async () => {
        const got = await receivedEvents(box);
        return got.some((r) => r.event.type === "call.ended") ? got : null;
      },
      20_000,
      "call.ended at the receiver",
    );
    expect(events.map((r) => r.event.type)).toEqual(["call.started", "call.failed_over", "call.answered", "call.ended"]);
    const seqs = events.map((r) => r.event.call.seq);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    for (const r of events) {
      expect(r.event.call.id).toBe(callId);
      expect(r.event.tenantId).toBe(fixture.tenantId);
      expect(await signedWith(r, endpoint.secret), r.headers["x-router-signature"]).toBe(true);
      expect(await signedWith(r, `${endpoint.secret}x`)).toBe(false);
      expect(r.headers["idempotency-key"]).toMatch(/^evd_[0-9a-f]{32}$/);
      expect(r.headers["x-router-event-id"]).toBe(r.event.id);
      expect(r.headers["x-router-event-type"]).toBe(r.event.type);
      expect(r.headers["content-type"]).toBe("application/json");
    }
    const ended = events.at(-1)!.event;
    expect(ended.data).toMatchObject({ outcome: { status: "completed", answered: true }, agent: { id: fixture.agents[1]!.id }, durations: { totalSec: expect.any(Number) } });
    expect(ended.data.attempts.map((a: any) => [a.outcome, a.targetId, typeof a.talkSec])).toEqual([
      ["failed", fixture.agents[0]!.id, "number"],
      ["answered", fixture.agents[1]!.id, "number"],
    ]);
    expect(ended.data.decision.rule.id).toBe(fixture.ruleId);
    // The other tenant's receiver heard nothing of this call.
    expect((await received(otherBox)).length).toBe(0);
    const list = await asAdmin("GET", `/api/event-webhooks/${endpoint.id}/deliveries`);
    expect(list.body.items).toHaveLength(4);
    expect(list.body.items.every((d: any) => d.status === "delivered" && d.lastAttempt.statusCode === 200 && d.lastAttempt.responseExcerpt === "ok")).toBe(true);
  });

  it("holds a call's later event until the earlier ones are stored, whatever order the queue brings them in", async ({ expect }) => {
    const t = await createTenantFixture("ord");
    const box = newBox();
    await register(t, box, ["call.started", "call.ended"]);
    const callId = newTestCallId();
    const record = callRecordState({ startedAt: Date.now() - 60_000, status: "completed", durationSec: 30, answeredAfterSec: 5 });
    // seq 1 and 3 first; seq 2 (a ringing, which this endpoint does not take) arrives later.
    await deliverToQueue([callMessage(t.tenantId, callId, 1, record, "call.started"), callMessage(t.tenantId, callId, 3, record, "call.ended")]);
    await eventually(async () => (await received(box)).length === 1, 10_000, "call.started delivered");
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await receivedEvents(box)).map((r) => r.event.call.seq)).toEqual([1]);
    await deliverToQueue([callMessage(t.tenantId, callId, 2, record, "call.ringing")]);
    const events = await eventually(async () => ((await received(box)).length === 2 ? receivedEvents(box) : null), 10_000, "call.ended delivered after the gap closed");
    expect(events.map((r) => [r.event.call.seq, r.event.type])).toEqual([
      [1, "call.started"],
      [3, "call.ended"],
    ]);
  });

  it("keeps each call's order over many calls with a slow receiver", async ({ expect }) => {
    const t = await createTenantFixture("ord");
    const box = newBox();
    await setBox(box, { delayMs: 150 });
    await register(t, box, ["call.started", "call.answered", "call.ended"]);
    const calls = Array.from({ length: 4 }, () => newTestCallId());
    const record = callRecordState({ startedAt: Date.now() - 60_000, status: "completed", durationSec: 30, answeredAfterSec: 5 });
    const messages = calls.flatMap((callId) => [callMessage(t.tenantId, callId, 1, record, "call.started"), callMessage(t.tenantId, callId, 2, record, "call.answered"), callMessage(t.tenantId, callId, 3, record, "call.ended")]);
    // Newest first, in one batch: the order of a call's deliveries must not follow the batch's.
    await deliverToQueue(messages.reverse());
    const events = await eventually(async () => ((await received(box)).length >= 12 ? receivedEvents(box) : null), 20_000, "12 deliveries");
    expect(events).toHaveLength(12);
    for (const callId of calls) expect(events.filter((r) => r.event.call.id === callId).map((r) => r.event.call.seq)).toEqual([1, 2, 3]);
  });

  it("a receiver down for a while, then back, gets every event once (same idempotency id on each retry)", async ({ expect }) => {
    const t = await createTenantFixture("down");
    const box = newBox();
    await setBox(box, { mode: "down" });
    const endpoint = await register(t, box, ["call.started", "call.ended"]);
    const calls = [newTestCallId(), newTestCallId()];
    const record = callRecordState({ startedAt: Date.now() - 60_000, status: "completed", durationSec: 30, answeredAfterSec: 5 });
    await deliverToQueue(calls.flatMap((id) => [callMessage(t.tenantId, id, 1, record, "call.started"), callMessage(t.tenantId, id, 2, record, "call.ended")]));
    // At least two failed attempts each for the calls' first events.
    await eventually(
      async () => {
        const rows = await deliveriesOf(endpoint.id);
        return rows.filter((r) => r.seq === 1 && r.attempts >= 2).length === 2;
      },
      15_000,
      "retries while the receiver is down",
    );
    await setBox(box, { mode: "ok" });
    const events = await eventually(async () => ((await received(box)).length >= 4 ? receivedEvents(box) : null), 20_000, "everything after the receiver came back");
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const all = await receivedEvents(box);
    expect(all).toHaveLength(4);
    expect(new Set(all.map((r) => r.headers["idempotency-key"])).size).toBe(4);
    for (const callId of calls) expect(events.filter((r) => r.event.call.id === callId).map((r) => r.event.type)).toEqual(["call.started", "call.ended"]);
    const rows = await deliveriesOf(endpoint.id);
    expect(rows.every((r) => r.status === "delivered")).toBe(true);
    const attempts = await withDb((db) =>
      db
        .select()
        .from(eventDeliveryAttempts)
        .where(eq(eventDeliveryAttempts.deliveryId, rows.find((r) => r.seq === 1)!.id)),
    );
    expect(attempts.filter((a) => !a.ok).every((a) => a.statusCode === null && /could not connect|no answer/.test(a.error ?? ""))).toBe(true);
    expect(attempts.filter((a) => a.ok)).toHaveLength(1);
    const endpointNow = await t.asAdmin("GET", `/api/event-webhooks/${endpoint.id}`);
    expect(endpointNow.body).toMatchObject({ enabled: true, failingSince: null });
  });

  it("a receiver that sleeps 5 s never slows the webhook's answer", async ({ expect }) => {
    const { fixture, asAdmin } = await routingTenant({ agentCount: 2 });
    const box = newBox();
    await setBox(box, { delayMs: 5_000 });
    const endpoint = await register({ asAdmin }, box);
    const answers: number[] = [];
    for (let i = 0; i < 4; i++) {
      const body = voiceBody(fixture);
      const first = await post(fixture, VOICE, body);
      expect(first.xml).toContain("<Dial");
      answers.push(first.ms);
      answers.push((await post(fixture, dialResult(1), { ...body, DialCallStatus: "completed", DialCallDuration: "3" })).ms);
    }
    // The receiver is still sleeping on the first deliveries while the calls are answered.
    expect(Math.max(...answers), answers.map((ms) => Math.round(ms)).join(", ")).toBeLessThan(1_500);
    const done = await eventually(
      async () => {
        const rows = await deliveriesOf(endpoint.id);
        return rows.some((r) => r.status === "delivered") ? rows : null;
      },
      25_000,
      "a slow delivery done",
    );
    const attempt = await withDb((db) =>
      db
        .select()
        .from(eventDeliveryAttempts)
        .where(and(eq(eventDeliveryAttempts.deliveryId, done.find((r) => r.status === "delivered")!.id), eq(eventDeliveryAttempts.ok, true))),
    );
    expect(attempt[0]!.latencyMs).toBeGreaterThanOrEqual(4_900);
  }, 40_000);
});

describe("event webhooks: the minute sweep", () => {
  it("sends a delivery whose queue message was lost, and one held 5 minutes behind an event that never got stored", async ({ expect }) => {
    const t = await createTenantFixture("swp");
    const box = newBox();
    const endpoint = await register(t, box, ["call.ended", "config.changed"]);
    const callId = newTestCallId();
    const hex = () => crypto.randomUUID().replace(/-/g, "");
    const [lost, held] = [`evd_${hex()}`, `evd_${hex()}`];
    const row = (id: string, extra: Record<string, unknown>) => ({ id, tenantId: t.tenantId, endpointId: endpoint.id, eventId: `evt_${id}`, eventType: "call.ended", payload: JSON.stringify({ id: `evt_${id}` }), ...extra });
    await withDb((db) =>
      db.insert(eventDeliveries).values([
        // Due two minutes ago, and no message on the queue for it.
        row(lost, { status: "pending", nextAttemptAt: new Date(Date.now() - 120_000) }),
        // seq 3 of a call whose events 1 and 2 were never stored, written six minutes ago.
        row(held, { status: "held", callId, seq: 3, createdAt: new Date(Date.now() - 6 * 60_000) }),
      ]),
    );
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "* * * * *" }), env, createExecutionContext());
    const got = await eventually(async () => ((await received(box)).length === 2 ? receivedEvents(box) : null), 10_000, "both sent");
    expect(got.map((r) => r.headers["idempotency-key"]).sort()).toEqual([held, lost].sort());
    // The receiver answers before the sender records the answer: wait for the rows to say so.
    const rows = await eventually(
      async () => {
        const now = await deliveriesOf(endpoint.id);
        return now.every((r) => r.status !== "pending" && r.status !== "held") ? now : null;
      },
      10_000,
      "both recorded",
    );
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ["delivered", 1],
      ["delivered", 1],
    ]);
  });
});

describe("event webhooks: resend, rotation, configuration events, giving up", () => {
  it("Resend sends the same body with the same idempotency id, signed afresh, and logs it as a resend", async ({ expect }) => {
    const t = await createTenantFixture("rsd");
    const box = newBox();
    const endpoint = await register(t, box, ["config.changed"]);
    await t.asAdmin("POST", "/api/trunks", { name: `trk-${crypto.randomUUID().slice(0, 6)}` });
    const [first] = await eventually(async () => ((await received(box)).length ? receivedEvents(box) : null), 10_000, "config.changed");
    expect(first!.event).toMatchObject({ type: "config.changed", call: null, data: { entity: "trunk", action: "created", actor: { email: t.admin.email } } });
    const [delivery] = (await t.asAdmin("GET", `/api/event-webhooks/${endpoint.id}/deliveries`)).body.items;
    expect((await t.asViewer("POST", `/api/event-webhooks/${endpoint.id}/deliveries/${delivery.id}/resend`)).status).toBe(403);
    const resent = await t.asAdmin("POST", `/api/event-webhooks/${endpoint.id}/deliveries/${delivery.id}/resend`);
    expect(resent.status).toBe(202);
    const both = await eventually(async () => ((await received(box)).length === 2 ? receivedEvents(box) : null), 10_000, "the resend");
    expect(both[1]!.body).toBe(both[0]!.body);
    expect(both[1]!.headers["idempotency-key"]).toBe(delivery.id);
    expect(await signedWith(both[1]!, endpoint.secret)).toBe(true);
    const detail = await eventually(
      async () => {
        const res = await t.asAdmin("GET", `/api/event-webhooks/${endpoint.id}/deliveries/${delivery.id}`);
        return res.body.attemptLog.length === 2 ? res.body : null;
      },
      5_000,
      "the resend's attempt logged",
    );
    expect(detail.attemptLog.map((a: any) => a.trigger)).toEqual(["resend", "auto"]);
    expect(JSON.parse(detail.payload).id).toBe(first!.event.id);
  });

  it("rotation: both secrets sign during the grace period, only the new one after a rotation without grace", async ({ expect }) => {
    const t = await createTenantFixture("rot");
    const box = newBox();
    const endpoint = await register(t, box, ["config.changed"]);
    const rotated = await t.asAdmin("POST", `/api/event-webhooks/${endpoint.id}/rotate-secret`, { graceSeconds: 3600 });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(endpoint.secret);
    expect(rotated.body.previousSecretExpiresAt).not.toBeNull();
    await t.asAdmin("POST", "/api/trunks", { name: `trk-${crypto.randomUUID().slice(0, 6)}` });
    const [during] = await eventually(async () => ((await received(box)).length === 1 ? receivedEvents(box) : null), 10_000, "a delivery during the grace period");
    expect(during!.headers["x-router-signature"]!.match(/v1=/g)).toHaveLength(2);
    expect(await signedWith(during!, endpoint.secret)).toBe(true);
    expect(await signedWith(during!, rotated.body.secret)).toBe(true);

    const again = await t.asAdmin("POST", `/api/event-webhooks/${endpoint.id}/rotate-secret`, { graceSeconds: 0 });
    expect(again.body.previousSecretExpiresAt).toBeNull();
    await t.asAdmin("POST", "/api/trunks", { name: `trk-${crypto.randomUUID().slice(0, 6)}` });
    const after = await eventually(async () => ((await received(box)).length === 2 ? receivedEvents(box) : null), 10_000, "a delivery after");
    expect(after[1]!.headers["x-router-signature"]!.match(/v1=/g)).toHaveLength(1);
    expect(await signedWith(after[1]!, again.body.secret)).toBe(true);
    expect(await signedWith(after[1]!, rotated.body.secret)).toBe(false);
  });

  it("gives up after the retry window, disables an endpoint that never succeeded, and alerts (resolved when enabled again)", async ({ expect }) => {
    const t = await createTenantFixture("dis");
    const failing = newBox();
    const watcher = newBox();
    const slack = newBox();
    await setBox(failing, { mode: "status", status: 500, body: "x".repeat(5_000) });
    const endpoint = await register(t, failing, ["config.changed"]);
    const alerts = await register(t, watcher, ["alert.fired", "alert.resolved"]);
    const rule = await t.asAdmin("POST", "/api/alert-rules", { name: "webhooks down", kind: "endpoint_disabled", slackUrl: hookUrl(slack) });
    expect(rule.status).toBe(201);
    expect(rule.body.hasSlackUrl).toBe(true);
    await t.asAdmin("POST", "/api/trunks", { name: `trk-${crypto.randomUUID().slice(0, 6)}` });

    const disabled = await eventually(
      async () => {
        const res = await t.asAdmin("GET", `/api/event-webhooks/${endpoint.id}`);
        return res.body.enabled === false ? res.body : null;
      },
      25_000,
      "the endpoint disabled",
    );
    expect(disabled.disabledReason).toMatch(/every delivery failed for .* h \(last: the receiver answered 500\)/);
    const [delivery] = (await t.asAdmin("GET", `/api/event-webhooks/${endpoint.id}/deliveries`)).body.items;
    expect(delivery.status).toBe("failed");
    expect(delivery.attempts).toBeGreaterThanOrEqual(4);
    expect(delivery.lastAttempt.responseExcerpt).toHaveLength(2_048);
    expect((await received(failing)).length).toBe(delivery.attempts);

    const open = await t.asViewer("GET", "/api/alerts?status=open");
    expect(open.body.items).toHaveLength(1);
    expect(open.body.items[0]).toMatchObject({ kind: "endpoint_disabled", ruleId: rule.body.id, ruleName: "webhooks down", subject: { type: "endpoint", id: endpoint.id }, status: "open" });
    const fired = await eventually(async () => ((await received(watcher)).length ? receivedEvents(watcher) : null), 10_000, "alert.fired at the other endpoint");
    expect(fired[0]!.event).toMatchObject({ type: "alert.fired", data: { kind: "endpoint_disabled", subject: { id: endpoint.id } } });
    expect(await signedWith(fired[0]!, alerts.secret)).toBe(true);
    const slackText = await eventually(async () => ((await received(slack)).length ? received(slack) : null), 10_000, "the Slack message");
    expect(JSON.parse(slackText[0]!.body)).toEqual({ text: expect.stringMatching(/^:rotating_light: Alert \(webhooks down\): Event webhook test receiver was disabled/) });

    // Enabled again by an admin: the alert resolves, and says so.
    const enabled = await t.asAdmin("PUT", `/api/event-webhooks/${endpoint.id}`, { enabled: true });
    expect(enabled.body).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
    const recent = await t.asAdmin("GET", "/api/alerts");
    expect(recent.body.items[0]).toMatchObject({ status: "resolved", resolvedAt: expect.any(String) });
    const resolved = await eventually(async () => ((await received(watcher)).length === 2 ? receivedEvents(watcher) : null), 10_000, "alert.resolved");
    expect(resolved[1]!.event.type).toBe("alert.resolved");
  }, 45_000);
});
