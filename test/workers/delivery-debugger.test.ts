import { describe, it } from "vitest";
import { storeCallEvents } from "../../workers/queue/store";
import { callMessage, callRecordState } from "./helpers/call-messages";
import { withDb } from "./helpers/db";
import { insertDelivery, insertLetter } from "./helpers/debugger-fixture";
import { createTenantFixture } from "./helpers/fixtures";

const MINUTE = 60_000;
const ago = (ms: number) => new Date(Date.now() - ms);

describe("GET /api/webhook-deliveries", () => {
  it("lists the tenant's deliveries newest first, without the request and answer texts, in cursor pages", async ({ expect }) => {
    const t = await createTenantFixture("dbg");
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) ids.push(await insertDelivery(t.tenantId, { receivedAt: ago((10 - i) * MINUTE) }));
    // Two received in the same millisecond: the id breaks the tie, so paging neither repeats nor skips.
    const same = ago(MINUTE);
    ids.push(await insertDelivery(t.tenantId, { receivedAt: same }), await insertDelivery(t.tenantId, { receivedAt: same }));

    const first = await t.asViewer("GET", "/api/webhook-deliveries?limit=4");
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(4);
    expect(first.body.items[0]).toMatchObject({ id: ids[8], kind: "voice-application", method: "POST", statusCode: 200, status: "ok", outcome: "routed:ringing", durationMs: 12 });
    for (const item of first.body.items) {
      expect(item).not.toHaveProperty("request");
      expect(item).not.toHaveProperty("requestBody");
      expect(item).not.toHaveProperty("response");
    }
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await t.asViewer("GET", `/api/webhook-deliveries?limit=4${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((d: any) => d.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    // A cursor only fits the filters it was issued with.
    const refused = await t.asViewer("GET", `/api/webhook-deliveries?limit=4&kind=cdr&cursor=${first.body.nextCursor}`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("INVALID_CURSOR");
  });

  it("filters by kind, status, status code, call and time", async ({ expect }) => {
    const t = await createTenantFixture("dbg");
    const callId = `call-${crypto.randomUUID()}`;
    const ok = await insertDelivery(t.tenantId, { callId, receivedAt: ago(5 * MINUTE) });
    const refused = await insertDelivery(t.tenantId, { kind: "session-update", statusCode: 401, outcome: "UNAUTHORIZED", receivedAt: ago(4 * MINUTE) });
    // A voice webhook we failed still answers 200 (with a Reject): its outcome says it failed.
    const rejected = await insertDelivery(t.tenantId, { callId, outcome: "internal_error", error: "boom", receivedAt: ago(3 * MINUTE) });
    const unavailable = await insertDelivery(t.tenantId, { kind: "cdr", statusCode: 503, outcome: "store_unavailable", receivedAt: ago(2 * MINUTE) });
    const dial = await insertDelivery(t.tenantId, { kind: "dial-result", outcome: "routing_unavailable", receivedAt: ago(MINUTE) });
    const ids = async (query: string) => {
      const res = await t.asViewer("GET", `/api/webhook-deliveries?${query}`);
      expect(res.status, query).toBe(200);
      return res.body.items.map((d: any) => d.id);
    };
    expect(await ids("status=ok")).toEqual([ok]);
    expect(await ids("status=refused")).toEqual([refused]);
    expect(await ids("status=failed")).toEqual([dial, unavailable, rejected]);
    expect(await ids("kind=session-update")).toEqual([refused]);
    expect(await ids("kind=cdr&status=failed")).toEqual([unavailable]);
    expect(await ids("statusCode=401")).toEqual([refused]);
    expect(await ids(`callId=${callId}`)).toEqual([rejected, ok]);
    expect(await ids(`since=${encodeURIComponent(ago(2.5 * MINUTE).toISOString())}`)).toEqual([dial, unavailable]);
    expect(await ids(`until=${encodeURIComponent(ago(3.5 * MINUTE).toISOString())}`)).toEqual([refused, ok]);
    const statuses = (await t.asViewer("GET", "/api/webhook-deliveries")).body.items.map((d: any) => d.status);
    expect(statuses).toEqual(["failed", "failed", "failed", "refused", "ok"]);

    for (const bad of ["status=broken", "kind=sms", "statusCode=abc", "since=yesterday", "unknown=1", "limit=500"]) {
      const res = await t.asViewer("GET", `/api/webhook-deliveries?${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code, bad).toBe("VALIDATION_FAILED");
    }
  });

  it("shows one delivery whole, with a link to its call record when there is one", async ({ expect }) => {
    const t = await createTenantFixture("dbg");
    const callId = `call-${crypto.randomUUID()}`;
    const record = callRecordState({ startedAt: Date.now() - MINUTE });
    await withDb((db) => storeCallEvents(db, [callMessage(t.tenantId, callId, 1, record)]));
    const id = await insertDelivery(t.tenantId, {
      callId,
      requestQuery: "attempt=2",
      requestBody: "From=%2B14155550100&Password=[redacted]",
      requestTruncated: true,
      responseBody: '<Response><Dial action="/x"><Service provider="retell">+1</Service></Dial></Response>',
      durationMs: 31,
    });
    const res = await t.asViewer("GET", `/api/webhook-deliveries/${id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id,
      callId,
      status: "ok",
      durationMs: 31,
      request: { query: "attempt=2", body: "From=%2B14155550100&Password=[redacted]", truncated: true },
      response: expect.stringContaining("<Dial"),
      callRecordId: record.recordId,
    });
    expect(Date.parse(res.body.receivedAt)).toBeGreaterThan(Date.now() - 60_000);

    const lone = await insertDelivery(t.tenantId);
    expect((await t.asViewer("GET", `/api/webhook-deliveries/${lone}`)).body.callRecordId).toBeNull();
  });

  it("never shows another tenant's deliveries, nor those that named no tenant", async ({ expect }) => {
    const [a, b] = await Promise.all([createTenantFixture("dbg"), createTenantFixture("dbg")]);
    const callId = `call-${crypto.randomUUID()}`;
    const mine = await insertDelivery(a.tenantId, { callId });
    const theirs = await insertDelivery(b.tenantId, { callId });
    const nobodys = await insertDelivery(null, { callId, statusCode: 401, outcome: "UNAUTHORIZED" });
    for (const id of [theirs, nobodys]) {
      const res = await a.asAdmin("GET", `/api/webhook-deliveries/${id}`);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("NOT_FOUND");
    }
    expect((await a.asAdmin("GET", `/api/webhook-deliveries?callId=${callId}`)).body.items.map((d: any) => d.id)).toEqual([mine]);
    expect((await a.asAdmin("GET", "/api/webhook-deliveries?limit=200")).body.items.map((d: any) => d.id)).toEqual([mine]);
    expect((await b.asAdmin("GET", `/api/webhook-deliveries/${theirs}`)).status).toBe(200);
    for (const id of ["abc", "0", "1e3", "99999999999999999999"]) expect((await a.asAdmin("GET", `/api/webhook-deliveries/${id}`)).status, id).toBe(404);
  });
});

describe("GET /api/webhook-deliveries/summary", () => {
  it("counts the window's deliveries and failures, parked letters, and says when failures pass the alert rate", async ({ expect }) => {
    const t = await createTenantFixture("dbg");
    const quiet = (await t.asViewer("GET", "/api/webhook-deliveries/summary")).body;
    expect(quiet).toMatchObject({ window: "15m", deliveries: 0, failed: 0, refused: 0, failureRate: null, failing: false, parkedDeadLetters: 0 });

    for (let i = 0; i < 18; i++) await insertDelivery(t.tenantId, { receivedAt: ago(i * 10_000) });
    await insertDelivery(t.tenantId, { statusCode: 400, outcome: "INVALID_PARAMETERS", receivedAt: ago(MINUTE) });
    await insertDelivery(t.tenantId, { outcome: "internal_error", receivedAt: ago(MINUTE) });
    // Outside the 15 minutes: counted only by the wider windows.
    await insertDelivery(t.tenantId, { statusCode: 500, outcome: "internal_error", receivedAt: ago(30 * MINUTE) });
    await insertLetter(t.tenantId, { kind: "call_event", tenantId: t.tenantId });
    await insertLetter(t.tenantId, { kind: "call_event", tenantId: t.tenantId }, { status: "discarded" });

    const recent = (await t.asViewer("GET", "/api/webhook-deliveries/summary?window=15m")).body;
    expect(recent).toMatchObject({ deliveries: 20, failed: 1, refused: 1, failureRate: 0.05, failing: true, parkedDeadLetters: 1 });
    const hour = (await t.asViewer("GET", "/api/webhook-deliveries/summary?window=1h")).body;
    expect(hour).toMatchObject({ window: "1h", deliveries: 21, failed: 2, failing: true });
    expect(Date.now() - Date.parse(hour.since)).toBeGreaterThanOrEqual(3_600_000);
    expect((await t.asViewer("GET", "/api/webhook-deliveries/summary?window=2d")).status).toBe(400);
  });

  it("does not alarm below 20 deliveries, however many failed", async ({ expect }) => {
    const t = await createTenantFixture("dbg");
    for (let i = 0; i < 19; i++) await insertDelivery(t.tenantId, { statusCode: 503, outcome: "store_unavailable" });
    expect((await t.asViewer("GET", "/api/webhook-deliveries/summary")).body).toMatchObject({ deliveries: 19, failed: 19, failureRate: 1, failing: false });
  });
});
