import { describe, expect, it } from "vitest";
import { CallOutbox, type LiveHub, type Outbox } from "../../durable-objects/call/outbox";
import type { HubEvent } from "../../durable-objects/hub-events";
import type { CallEventsMessage, CallRecordState } from "../../workers/queue/messages";

const event = (seq: number) => ({ seq, type: "call.updated", at: Date.now(), data: { n: seq } });
const live = (seq: number, at = Date.now()): HubEvent => ({ type: "call.updated", at, data: {}, key: { stream: "c1", seq } });
const envelope = { kind: "call_events" as const, v: 1 as const, tenantId: "ten_x", callId: "c1", record: { recordId: "cal_1" } as CallRecordState };

/** A Queue and a hub that record what they were given, and can be told to refuse. */
function destinations() {
  const sent: CallEventsMessage[] = [];
  const shown: number[][] = [];
  let queueDown = false;
  let hubDown = false;
  const queue = {
    async send(body: CallEventsMessage) {
      if (queueDown) throw new Error("queue down");
      sent.push(structuredClone(body));
    },
  } as unknown as Queue;
  const hub: LiveHub = {
    async publish(events: HubEvent[]) {
      if (hubDown) throw new Error("hub down");
      shown.push(events.map((e) => e.key!.seq));
    },
  };
  return { queue, hubOf: () => hub, sent, shown, set: (o: { queueDown?: boolean; hubDown?: boolean }) => ((queueDown = o.queueDown ?? queueDown), (hubDown = o.hubDown ?? hubDown)) };
}

describe("a call's outbox", () => {
  it("sends a webhook's events as one Queue message with the record, and one hub publish", async () => {
    const d = destinations();
    const outbox = new CallOutbox(d.queue, d.hubOf);
    const stored: Outbox = { queue: [event(1), event(2), event(3)], hub: [live(1), live(2), live(3)] };
    expect(await outbox.flush(stored, envelope)).toBe(true);
    expect(d.sent).toEqual([{ ...envelope, events: [event(1), event(2), event(3)].map((e) => ({ ...e, at: expect.any(Number) })) }]);
    expect(d.shown).toEqual([[1, 2, 3]]);
    // Delivered, so nothing is pending; the next write keeps only the events, until the call's
    // record is settled (the settle re-sends them), without a write of its own now.
    expect(outbox.pruned(stored)).toEqual({ queue: stored.queue, hub: [] });
    expect(outbox.pending(stored)).toBe(false);
  });

  it("keeps what a destination refused, and a fresh instance (after eviction) sends the stored rest again", async () => {
    const d = destinations();
    const outbox = new CallOutbox(d.queue, d.hubOf);
    const stored: Outbox = { queue: [event(1)], hub: [live(1)] };
    d.set({ hubDown: true });
    expect(await outbox.flush(stored, envelope)).toBe(false);
    expect(d.sent.map((m) => m.events.map((e) => e.seq))).toEqual([[1]]);
    expect(outbox.pruned(stored)).toEqual({ queue: stored.queue, hub: [live(1)].map((e) => ({ ...e, at: expect.any(Number) })) });
    d.set({ hubDown: false });
    const again = new CallOutbox(d.queue, d.hubOf);
    expect(await again.flush(stored, envelope)).toBe(true);
    // Sent twice to the Queue: the consumer stores by call and seq, so the resend changes nothing.
    expect(d.sent.map((m) => m.events.map((e) => e.seq))).toEqual([[1], [1]]);
    expect(d.shown).toEqual([[1]]);
  });

  it("re-sends a settled call's final record with every event it kept, once, then forgets them", async () => {
    const d = destinations();
    const outbox = new CallOutbox(d.queue, d.hubOf);
    const stored: Outbox = { queue: [event(1), event(2)], hub: [] };
    expect(await outbox.flush(stored, envelope)).toBe(true);
    // The call went quiet: its settle re-sends the record and the events (a lost message's too).
    stored.settle = 2;
    expect(await outbox.flush(stored, envelope)).toBe(true);
    expect(d.sent.map((m) => [m.events.map((e) => e.seq), m.settle])).toEqual([
      [[1, 2], undefined],
      [[1, 2], 2],
    ]);
    expect(await outbox.flush(stored, envelope)).toBe(true);
    expect(d.sent).toHaveLength(2);
    expect(outbox.pruned(stored)).toEqual({ queue: [], hub: [] });
  });

  it("gives up showing live news older than an hour, but still sends it to the Queue", async () => {
    const d = destinations();
    const outbox = new CallOutbox(d.queue, d.hubOf);
    const stored: Outbox = { queue: [event(1)], hub: [live(1, Date.now() - 2 * 3_600_000)] };
    expect(await outbox.flush(stored, envelope)).toBe(true);
    expect(d.sent).toHaveLength(1);
    expect(d.shown).toEqual([]);
    expect(outbox.pending(stored)).toBe(false);
  });
});

describe("a live call's Queue messages", () => {
  const named = (seq: number, type: string) => ({ seq, type, at: Date.now(), data: {} });

  it("sends the start at once, holds ringing and failovers until the answer, and the rest until the end", async () => {
    const d = destinations();
    const outbox = new CallOutbox(d.queue, d.hubOf);
    const stored: Outbox = { queue: [named(1, "call.started"), named(2, "call.attempt_started")], hub: [live(1), live(2)] };
    expect(await outbox.flush(stored, envelope, true)).toBe(true);
    stored.queue.push(named(3, "call.ringing"), named(4, "call.attempt_failed"), named(5, "call.attempt_started"));
    stored.hub.push(live(3), live(4), live(5));
    expect(await outbox.flush(stored, envelope, true)).toBe(true);
    // The dashboards saw it all; the Queue got one message so far.
    expect(d.shown).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
    expect(d.sent.map((m) => m.events.map((e) => e.seq))).toEqual([[1, 2]]);
    expect(outbox.pending(stored, true)).toBe(false);
    stored.queue.push(named(6, "call.answered"));
    expect(await outbox.flush(stored, envelope, true)).toBe(true);
    expect(d.sent.map((m) => m.events.map((e) => e.seq))).toEqual([
      [1, 2],
      [3, 4, 5, 6],
    ]);
    stored.queue.push(named(7, "call.ended"));
    // Ended: nothing is held.
    expect(outbox.pending(stored, false)).toBe(true);
    expect(await outbox.flush(stored, envelope, false)).toBe(true);
    expect(d.sent.map((m) => m.events.map((e) => e.seq))).toEqual([[1, 2], [3, 4, 5, 6], [7]]);
  });
});
