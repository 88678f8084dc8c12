import { and, eq } from "drizzle-orm";
import { describe, it } from "vitest";
import * as schema from "../../workers/db/schema";
import { callMessage, callRecordState, newTestCallId } from "./helpers/call-messages";
import { withDb } from "./helpers/db";
import { deliveryMessage, insertLetter } from "./helpers/debugger-fixture";
import { createTenantFixture, type TenantFixture } from "./helpers/fixtures";

const storedOf = (tenantId: string, callId: string) =>
  withDb(async (db) => ({
    records: await db
      .select()
      .from(schema.callRecords)
      .where(and(eq(schema.callRecords.tenantId, tenantId), eq(schema.callRecords.callId, callId))),
    events: await db
      .select()
      .from(schema.callEvents)
      .where(and(eq(schema.callEvents.tenantId, tenantId), eq(schema.callEvents.callId, callId))),
  }));

const letterRow = (id: number) => withDb(async (db) => (await db.select().from(schema.deadLetters).where(eq(schema.deadLetters.id, id)))[0]!);

const auditOf = (t: TenantFixture, id: number) => t.asAdmin("GET", `/api/audit-log?entityType=dead_letter&entityId=${id}`).then((res) => res.body.items);

function callEvent(tenantId: string, callId = newTestCallId(), seq = 1) {
  return callMessage(tenantId, callId, seq, callRecordState({ startedAt: Date.now() - 60_000, status: "completed", durationSec: 30 }), "call.ended");
}

describe("dead letters: reading", () => {
  it("lists the tenant's letters newest first with filters, and shows one with its body", async ({ expect }) => {
    const t = await createTenantFixture("dlq");
    const message = callEvent(t.tenantId);
    const parked = await insertLetter(t.tenantId, message, { receivedAt: new Date(Date.now() - 3_000) });
    const delivery = await insertLetter(t.tenantId, deliveryMessage(t.tenantId), { queue: "call-events-dlq", receivedAt: new Date(Date.now() - 2_000) });
    const discarded = await insertLetter(t.tenantId, callEvent(t.tenantId), { status: "discarded", receivedAt: new Date(Date.now() - 1_000) });
    const ids = async (query = "") => {
      const res = await t.asViewer("GET", `/api/dead-letters${query}`);
      expect(res.status, query).toBe(200);
      return res.body.items.map((l: any) => l.id);
    };
    expect(await ids()).toEqual([discarded, delivery, parked]);
    expect(await ids("?status=parked")).toEqual([delivery, parked]);
    expect(await ids("?kind=webhook")).toEqual([delivery]);
    expect(await ids("?queue=call-events-dlq")).toEqual([delivery]);
    expect(await ids(`?callId=${message.callId}`)).toEqual([parked]);
    expect(await ids(`?since=${encodeURIComponent(new Date(Date.now() - 2_500).toISOString())}&status=parked`)).toEqual([delivery]);
    const firstPage = await t.asViewer("GET", "/api/dead-letters?limit=2");
    expect(firstPage.body.items).toHaveLength(2);
    expect(firstPage.body.items[0]).not.toHaveProperty("body");
    expect((await t.asViewer("GET", `/api/dead-letters?limit=2&cursor=${firstPage.body.nextCursor}`)).body.items.map((l: any) => l.id)).toEqual([parked]);
    expect((await t.asViewer("GET", "/api/dead-letters?status=lost")).status).toBe(400);

    const detail = await t.asViewer("GET", `/api/dead-letters/${parked}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ id: parked, queue: "call-events", kind: "call_event", callId: message.callId, status: "parked", attempts: 3, error: "MySQL refused the batch", problem: null, callRecordId: null, bodyTruncated: false });
    expect(JSON.parse(detail.body.body)).toEqual(message);
  });

  it("says why a letter cannot be replayed", async ({ expect }) => {
    const t = await createTenantFixture("dlq");
    const cases: [unknown, Record<string, unknown>, RegExp][] = [
      ['{"kind":"call_event","tenantId":"', { bodyTruncated: true }, /cut when it was parked/],
      ["not json at all", {}, /not JSON/],
      [{ kind: "call_event", tenantId: t.tenantId, callId: "x" }, {}, /not a well-formed call event or webhook delivery: seq: Invalid input: expected number/],
      [{ kind: "export", exportId: "exp_1", tenantId: t.tenantId }, { queue: "call-events-dlq" }, /export job/],
      [callEvent("ten_someone_else"), {}, /another tenant/],
      [callEvent(t.tenantId), { queue: "export-jobs" }, /queue "export-jobs"/],
    ];
    for (const [body, overrides, why] of cases) {
      const id = await insertLetter(t.tenantId, body, overrides);
      const detail = await t.asViewer("GET", `/api/dead-letters/${id}`);
      expect(detail.body.problem, String(why)).toMatch(why);
      const res = await t.asAdmin("POST", `/api/dead-letters/${id}/replay`);
      expect(res.status, String(why)).toBe(422);
      expect(res.body.error.code).toBe("NOT_REPLAYABLE");
      expect(res.body.error.message).toMatch(why);
      expect((await letterRow(id)).status).toBe("parked");
      expect(await auditOf(t, id)).toEqual([]);
    }
  });

  it("never shows or changes another tenant's letters, nor those that named no tenant", async ({ expect }) => {
    const [a, b] = await Promise.all([createTenantFixture("dlq"), createTenantFixture("dlq")]);
    const callId = newTestCallId();
    const mine = await insertLetter(a.tenantId, callEvent(a.tenantId, callId));
    const theirs = await insertLetter(b.tenantId, callEvent(b.tenantId, callId));
    const nobodys = await insertLetter(null, "[body not storable: x]", { callId });
    for (const id of [theirs, nobodys]) {
      for (const [method, path] of [
        ["GET", `/api/dead-letters/${id}`],
        ["POST", `/api/dead-letters/${id}/replay`],
        ["POST", `/api/dead-letters/${id}/discard`],
      ] as const) {
        const res = await a.asAdmin(method, path);
        expect(res.status, path).toBe(404);
        expect(res.body.error.code).toBe("NOT_FOUND");
      }
    }
    expect((await a.asAdmin("GET", `/api/dead-letters?callId=${callId}`)).body.items.map((l: any) => l.id)).toEqual([mine]);
    expect((await a.asAdmin("GET", "/api/dead-letters?limit=200")).body.items.map((l: any) => l.id)).toEqual([mine]);
    // Replaying all of A's letters touches none of B's.
    expect((await a.asAdmin("POST", "/api/dead-letters/replay")).body).toMatchObject({ replayed: 1, remaining: 0 });
    expect((await letterRow(theirs)).status).toBe("parked");
    expect((await letterRow(nobodys)).status).toBe("parked");
    expect((await storedOf(b.tenantId, callId)).records).toHaveLength(0);
    expect((await b.asAdmin("GET", `/api/dead-letters/${theirs}`)).body.status).toBe("parked");
  });
});

describe("dead letters: replay and discard", () => {
  it("stores a call event's record and event once, however often it is replayed, and audits the replay", async ({ expect }) => {
    const t = await createTenantFixture("dlq");
    const message = callEvent(t.tenantId);
    const id = await insertLetter(t.tenantId, message);
    // The same message parked twice (two deliveries of one queue message): stored once still.
    const twin = await insertLetter(t.tenantId, message, { queue: "call-events-dlq" });

    const first = await t.asAdmin("POST", `/api/dead-letters/${id}/replay`, undefined, { "cf-connecting-ip": "203.0.113.9" });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ changed: true, letter: { id, status: "replayed", resolvedBy: t.admin.email } });
    expect(Date.parse(first.body.letter.replayedAt)).toBeGreaterThan(Date.now() - 60_000);
    const again = await t.asAdmin("POST", `/api/dead-letters/${id}/replay`);
    expect(again.status).toBe(200);
    expect(again.body.changed).toBe(false);
    expect(again.body.message).toMatch(/already replayed/);
    expect(again.body.letter.replayedAt).toBe(first.body.letter.replayedAt);
    expect((await t.asAdmin("POST", `/api/dead-letters/${twin}/replay`)).body.changed).toBe(true);

    const stored = await storedOf(t.tenantId, message.callId);
    expect(stored.records).toHaveLength(1);
    expect(stored.records[0]).toMatchObject({ id: message.record.recordId, status: "completed", durationSec: 30, lastSeq: 1 });
    expect(stored.events).toHaveLength(1);
    expect(stored.events[0]).toMatchObject({ seq: 1, type: "call.ended" });
    // The record is readable through the API, and the letter now links to it.
    expect((await t.asViewer("GET", `/api/call-records/${message.record.recordId}`)).status).toBe(200);
    expect((await t.asViewer("GET", `/api/dead-letters/${id}`)).body.callRecordId).toBe(message.record.recordId);

    const audit = await auditOf(t, id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: "dead_letter.replayed",
      entityType: "dead_letter",
      entityId: String(id),
      actor: { userId: t.admin.id, email: t.admin.email },
      ip: "203.0.113.9",
      before: { status: "parked" },
      after: { status: "replayed", callId: message.callId },
    });
  });

  it("replays a webhook delivery into the deliveries list", async ({ expect }) => {
    const t = await createTenantFixture("dlq");
    const message = deliveryMessage(t.tenantId, { statusCode: 503, outcome: "store_unavailable" });
    const id = await insertLetter(t.tenantId, message);
    expect((await t.asAdmin("POST", `/api/dead-letters/${id}/replay`)).body.changed).toBe(true);
    const list = (await t.asViewer("GET", `/api/webhook-deliveries?callId=${message.callId}`)).body.items;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ deliveryId: message.deliveryId, kind: "session-update", status: "failed", statusCode: 503 });
    const detail = (await t.asViewer("GET", `/api/webhook-deliveries/${list[0].id}`)).body;
    expect(detail.request).toEqual({ query: "", body: "Status=answered", truncated: false });
  });

  it("discards a parked letter once; a discarded letter is not replayed and a replayed one not discarded", async ({ expect }) => {
    const t = await createTenantFixture("dlq");
    const message = callEvent(t.tenantId);
    const id = await insertLetter(t.tenantId, message);
    const res = await t.asAdmin("POST", `/api/dead-letters/${id}/discard`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ changed: true, letter: { status: "discarded", resolvedBy: t.admin.email, replayedAt: null } });
    expect((await t.asAdmin("POST", `/api/dead-letters/${id}/discard`)).body.changed).toBe(false);
    const replay = await t.asAdmin("POST", `/api/dead-letters/${id}/replay`);
    expect(replay.status).toBe(409);
    expect(replay.body.error.code).toBe("LETTER_RESOLVED");
    expect((await storedOf(t.tenantId, message.callId)).records).toHaveLength(0);
    expect((await auditOf(t, id)).map((e: any) => e.action)).toEqual(["dead_letter.discarded"]);

    const replayed = await insertLetter(t.tenantId, callEvent(t.tenantId));
    await t.asAdmin("POST", `/api/dead-letters/${replayed}/replay`);
    const discard = await t.asAdmin("POST", `/api/dead-letters/${replayed}/discard`);
    expect(discard.status).toBe(409);
    expect((await letterRow(replayed)).status).toBe("replayed");
  });

  it("refuses every change to a read-only user and changes nothing", async ({ expect }) => {
    const t = await createTenantFixture("dlq");
    const message = callEvent(t.tenantId);
    const id = await insertLetter(t.tenantId, message);
    for (const path of [`/api/dead-letters/${id}/replay`, `/api/dead-letters/${id}/discard`, "/api/dead-letters/replay"]) {
      const res = await t.asViewer("POST", path);
      expect(res.status, path).toBe(403);
      expect(res.body.error.code).toBe("FORBIDDEN");
    }
    expect((await letterRow(id)).status).toBe("parked");
    expect((await storedOf(t.tenantId, message.callId)).records).toHaveLength(0);
    expect(await auditOf(t, id)).toEqual([]);
  });

  it("answers 503 and leaves the letter parked when MySQL will not store its message", async ({ expect }) => {
    const t = await createTenantFixture("dlq");
    const message = callEvent(t.tenantId);
    // Well formed for the queue, but the call_records.direction column refuses the value.
    (message.record as { direction: string }).direction = "sideways";
    const id = await insertLetter(t.tenantId, message);
    const res = await t.asAdmin("POST", `/api/dead-letters/${id}/replay`);
    expect(res.status).toBe(503);
    expect(res.body.error).toMatchObject({ code: "REPLAY_FAILED", requestId: expect.any(String) });
    expect(res.body.error.message).toMatch(/stays parked/);
    expect((await letterRow(id)).status).toBe("parked");
    expect(await auditOf(t, id)).toEqual([]);
  });

  it("replays all parked letters, skipping those that cannot be replayed, and says what remains", async ({ expect }) => {
    const t = await createTenantFixture("dlq");
    const good = [callEvent(t.tenantId), callEvent(t.tenantId), deliveryMessage(t.tenantId)];
    const goodIds = [];
    for (const message of good) goodIds.push(await insertLetter(t.tenantId, message));
    const bad = await insertLetter(t.tenantId, "not json");
    const refusedByMySql = callEvent(t.tenantId);
    (refusedByMySql.record as { direction: string }).direction = "sideways";
    const refused = await insertLetter(t.tenantId, refusedByMySql);
    const done = await insertLetter(t.tenantId, callEvent(t.tenantId), { status: "discarded" });

    const res = await t.asAdmin("POST", "/api/dead-letters/replay");
    expect(res.status).toBe(200);
    expect(res.body.replayed).toBe(3);
    expect(res.body.remaining).toBe(2);
    expect(res.body.skipped).toEqual([
      { id: bad, problem: "its body is not JSON" },
      { id: refused, problem: "MySQL refused to store its message" },
    ]);
    for (const id of goodIds) expect((await letterRow(id)).status).toBe("replayed");
    expect((await letterRow(done)).status).toBe("discarded");
    for (const message of good.slice(0, 2)) expect((await storedOf(t.tenantId, (message as { callId: string }).callId)).events).toHaveLength(1);
    expect((await t.asViewer("GET", `/api/webhook-deliveries?callId=${good[2]!.callId}`)).body.items).toHaveLength(1);
    expect((await t.asAdmin("GET", "/api/audit-log?entityType=dead_letter")).body.items).toHaveLength(3);

    const again = await t.asAdmin("POST", "/api/dead-letters/replay");
    expect(again.body).toMatchObject({ replayed: 0, remaining: 2 });
  });
});
