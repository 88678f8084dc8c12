import { env } from "cloudflare:workers";
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { and, eq, like } from "drizzle-orm";
import { describe, it } from "vitest";
import worker from "../../workers/index";
import { callEvents, callRecords, deadLetters } from "../../workers/db/schema";
import type { CallEventMessage } from "../../workers/queue/messages";
import type { Env } from "../../workers/env";
import { envWith } from "./helpers/app";
import { withDb } from "./helpers/db";
import { createRoutingFixture } from "./helpers/routing-fixture";

function callEvent(tenantId: string, callId: string, seq: number, status: string): CallEventMessage {
  return {
    kind: "call_event",
    tenantId,
    callId,
    seq,
    type: seq === 1 ? "call.started" : "call.updated",
    at: 1_760_000_000_000 + seq,
    data: { seq },
    record: {
      recordId: `cal_${callId.slice(0, 20)}`,
      direction: "inbound",
      fromNumber: "14155550100",
      toNumber: "18005550199",
      callerName: null,
      status,
      disposition: null,
      endReason: null,
      ruleId: null,
      groupId: null,
      agentId: null,
      trunkId: null,
      attempts: [],
      decision: { seq },
      startedAt: 1_760_000_000_000,
      answeredAt: null,
      endedAt: status === "completed" ? 1_760_000_060_000 : null,
      durationSec: null,
      billableSec: null,
    },
  };
}

async function deliver(queue: string, bodies: unknown[], useEnv: Env = env, attempts = 1) {
  const batch = createMessageBatch(
    queue,
    bodies.map((body, i) => ({ id: `${queue}-${crypto.randomUUID()}-${i}`, timestamp: new Date(), attempts, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, useEnv, ctx);
  return getQueueResult(batch, ctx);
}

const rowsOf = (tenantId: string, callId: string) =>
  withDb(async (db) => ({
    record: (
      await db
        .select()
        .from(callRecords)
        .where(and(eq(callRecords.tenantId, tenantId), eq(callRecords.callId, callId)))
    )[0],
    events: await db
      .select()
      .from(callEvents)
      .where(and(eq(callEvents.tenantId, tenantId), eq(callEvents.callId, callId))),
  }));

describe("the call-events queue consumer", () => {
  it("stores events once and keeps the newest record state, whatever the delivery order", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 0 });
    const callId = crypto.randomUUID().replace(/-/g, "");
    const result = await deliver("call-events", [callEvent(f.tenantId, callId, 3, "completed"), callEvent(f.tenantId, callId, 1, "routing")]);
    expect(result.explicitAcks).toHaveLength(2);
    // Redelivered, and an older event arriving late.
    await deliver("call-events", [callEvent(f.tenantId, callId, 1, "routing"), callEvent(f.tenantId, callId, 2, "ringing")]);
    const { record, events } = await rowsOf(f.tenantId, callId);
    expect(record).toMatchObject({ status: "completed", lastSeq: 3, decision: { seq: 3 } });
    expect(events.map((e) => e.seq).sort()).toEqual([1, 2, 3]);
  });

  it("retries the whole batch when MySQL is unreachable: after 5 s, or on the dead-letter queue after its configured delay", async ({ expect }) => {
    const broken = envWith({ HYPERDRIVE: { host: "127.0.0.1", port: 1, user: "x", password: "x", database: "x", connectionString: "" } });
    const result = await deliver("call-events", [callEvent("t", "c", 1, "routing")], broken);
    expect(result.retryBatch.retry).toBe(true);
    // getQueueResult does not report delays: watch retryAll itself.
    const retries = async (queue: string) => {
      const calls: (QueueRetryOptions | undefined)[] = [];
      const batch = { queue, messages: [], retryAll: (options?: QueueRetryOptions) => calls.push(options), ackAll: () => {} };
      await worker.queue(batch as unknown as MessageBatch<unknown>, broken, createExecutionContext());
      return calls;
    };
    expect(await retries("call-events")).toEqual([{ delaySeconds: 5 }]);
    // No explicit delay: the consumer's retry_delay (300 s in wrangler.toml) applies, so the
    // last queue's 100 retries span hours of outage instead of 100 × 5 s.
    expect(await retries("call-events-dlq")).toEqual([undefined]);
  });

  it("parks a message it does not understand at once, with what is wrong with it, and stores the rest", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 0 });
    const callId = crypto.randomUUID().replace(/-/g, "");
    const marker = crypto.randomUUID();
    const result = await deliver("call-events", [{ kind: "mystery", marker }, callEvent(f.tenantId, callId, 1, "routing")]);
    expect(result.retryMessages).toHaveLength(0);
    expect(result.explicitAcks).toHaveLength(2);
    expect((await rowsOf(f.tenantId, callId)).events).toHaveLength(1);
    const parked = await withDb((db) => db.select().from(deadLetters).where(eq(deadLetters.queue, "call-events")));
    const mine = parked.find((row) => row.body.includes(marker));
    expect(mine).toMatchObject({ kind: "mystery", status: "parked", error: expect.stringContaining(`kind: kind must be "call_events", "call_event" or "webhook"`) });
  });

  it("parks dead-lettered messages in MySQL, once", async ({ expect }) => {
    const marker = crypto.randomUUID();
    const batch = createMessageBatch("call-events-dlq", [{ id: `dlq-${marker}`, timestamp: new Date(), attempts: 6, body: { kind: "mystery", marker } }]);
    for (let i = 0; i < 2; i++) {
      const ctx = createExecutionContext();
      await worker.queue(batch, env, ctx);
      await getQueueResult(batch, ctx);
    }
    const rows = await withDb((db) =>
      db
        .select()
        .from(deadLetters)
        .where(eq(deadLetters.messageId, `dlq-${marker}`)),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ queue: "call-events-dlq", attempts: 6, kind: "mystery", status: "parked", bodyTruncated: false });
    expect(JSON.parse(rows[0]!.body)).toEqual({ kind: "mystery", marker });
    expect(rows[0]!.error).toContain("after 6 tries");
  });

  it("stores and acknowledges the rest of a batch when one message fails on its own, and retries that one alone", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 0 });
    const good = Array.from({ length: 5 }, () => crypto.randomUUID().replace(/-/g, ""));
    // No such tenant: MySQL refuses the record (foreign key), whatever the retry.
    const poison = callEvent(`ten_missing_${crypto.randomUUID().slice(0, 8)}`, crypto.randomUUID().replace(/-/g, ""), 1, "routing");
    const bodies = [callEvent(f.tenantId, good[0]!, 1, "routing"), poison, ...good.slice(1).map((id) => callEvent(f.tenantId, id, 1, "routing"))];
    const first = await deliver("call-events", bodies);
    expect(first.retryBatch.retry).toBe(false);
    expect(first.explicitAcks).toHaveLength(5);
    expect(first.retryMessages).toHaveLength(1);
    expect(first.retryMessages[0]!.msgId).toMatch(/-1$/);
    for (const callId of good) expect((await rowsOf(f.tenantId, callId)).events, callId).toHaveLength(1);

    // Its third failure parks it, with MySQL's reason, and acknowledges it.
    const third = await deliver("call-events", [poison], env, 3);
    expect(third.explicitAcks).toHaveLength(1);
    expect(third.retryMessages).toHaveLength(0);
    const [letter] = await withDb((db) =>
      db
        .select()
        .from(deadLetters)
        .where(and(eq(deadLetters.queue, "call-events"), eq(deadLetters.callId, poison.callId))),
    );
    expect(letter).toMatchObject({ kind: "call_event", tenantId: poison.tenantId, attempts: 3, status: "parked" });
    expect(letter!.error).toMatch(/foreign key/i);
    expect(JSON.parse(letter!.body)).toMatchObject({ callId: poison.callId, seq: 1 });
  });

  it("writes a message that failed before on its own, so a batch with a suspect is not retried whole", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 0 });
    const callId = crypto.randomUUID().replace(/-/g, "");
    const suspect = callEvent(f.tenantId, callId, 2, "ringing");
    const result = await deliver("call-events", [suspect, callEvent(f.tenantId, callId, 1, "routing")], env, 2);
    expect(result.explicitAcks).toHaveLength(2);
    expect((await rowsOf(f.tenantId, callId)).events.map((e) => e.seq).sort()).toEqual([1, 2]);
  });

  it("makes hostile text storable instead of failing on it: lone surrogates, NUL, JSON nested past MySQL's limit", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 0 });
    const callId = crypto.randomUUID().replace(/-/g, "");
    const message = callEvent(f.tenantId, callId, 1, "routing");
    message.record.fromNumber = "\udfff1415\u0000";
    message.record.callerName = "\ud800";
    let deep: Record<string, unknown> = { leaf: "\udc00" };
    for (let i = 0; i < 60; i++) deep = { d: deep };
    message.data = { deep };
    message.record.decision = deep;
    const result = await deliver("call-events", [message]);
    expect(result.explicitAcks).toHaveLength(1);
    const { record, events } = await rowsOf(f.tenantId, callId);
    expect(record).toMatchObject({ fromNumber: "\ufffd1415", callerName: "\ufffd" });
    expect(JSON.stringify(events[0]!.data)).toContain("[nested too deep]");
  });

  it("parks every dead letter of a batch, even one whose body cannot be serialised", async ({ expect }) => {
    const marker = crypto.randomUUID();
    const cyclic: Record<string, unknown> = { kind: "call_event", marker, big: 10n };
    cyclic.self = cyclic;
    const batch = createMessageBatch("call-events-dlq", [
      { id: `dlq-a-${marker}`, timestamp: new Date(), attempts: 6, body: cyclic },
      { id: `dlq-b-${marker}`, timestamp: new Date(), attempts: 6, body: "x".repeat(300_000) },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toHaveLength(2);
    const rows = await withDb((db) =>
      db
        .select()
        .from(deadLetters)
        .where(like(deadLetters.messageId, `dlq-%-${marker}`)),
    );
    expect(rows).toHaveLength(2);
    const a = rows.find((r) => r.messageId.startsWith("dlq-a"))!;
    expect(JSON.parse(a.body)).toMatchObject({ kind: "call_event", marker, big: "10", self: null });
    const b = rows.find((r) => r.messageId.startsWith("dlq-b"))!;
    expect(b).toMatchObject({ bodyTruncated: true });
    expect(b.body.length).toBe(131_072);
  });
});
