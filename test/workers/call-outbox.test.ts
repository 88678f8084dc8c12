import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CallOutbox, type LiveHub } from "../../durable-objects/call/outbox";
import type { HubEvent } from "../../durable-objects/hub-events";
import type { CallEventMessage } from "../../workers/queue/messages";

const message = (seq: number) => ({ kind: "call_event", tenantId: "ten_x", callId: "c1", seq, type: "call.updated", at: Date.now(), data: {} }) as unknown as CallEventMessage;
const live = (seq: number, at = Date.now()) => ({ tenantId: "ten_x", seq, event: { type: "call.updated", at, data: {}, key: { stream: "c1", seq } } satisfies HubEvent });

/** A Queue and a hub that record what they were given, and can be told to refuse. */
function destinations() {
  const sent: number[][] = [];
  const shown: number[][] = [];
  let queueDown = false;
  let hubDown = false;
  let duringSend: (() => void) | null = null;
  const queue = {
    async sendBatch(batch: { body: CallEventMessage }[]) {
      duringSend?.();
      if (queueDown) throw new Error("queue down");
      sent.push(batch.map((m) => m.body.seq));
    },
  } as unknown as Queue;
  const hub: LiveHub = {
    async publish(events: HubEvent[]) {
      if (hubDown) throw new Error("hub down");
      shown.push(events.map((e) => e.key!.seq));
    },
  };
  return {
    queue,
    hubOf: () => hub,
    sent,
    shown,
    set: (o: { queueDown?: boolean; hubDown?: boolean; duringSend?: () => void }) => {
      queueDown = o.queueDown ?? queueDown;
      hubDown = o.hubDown ?? hubDown;
      duringSend = o.duringSend ?? duringSend;
    },
  };
}

const inObject = <T>(work: (kv: SyncKvStorage) => Promise<T>) => runInDurableObject(env.CALL_SESSION.getByName(`outbox-test-${crypto.randomUUID()}`), (_instance, state) => work(state.storage.kv));

describe("a call's outbox", () => {
  it("delivers to both destinations and then holds nothing", async () => {
    await inObject(async (kv) => {
      const d = destinations();
      const outbox = new CallOutbox(kv, d.queue, d.hubOf);
      outbox.add([message(1), message(2)], [live(1), live(2)]);
      expect(outbox.isEmpty()).toBe(false);
      expect(await outbox.flush()).toBe(true);
      expect(d.sent).toEqual([[1, 2]]);
      expect(d.shown).toEqual([[1, 2]]);
      expect(outbox.isEmpty()).toBe(true);
      expect(kv.get("outbox")).toBeUndefined();
    });
  });

  it("keeps what a destination refused, in storage, and sends it again later", async () => {
    await inObject(async (kv) => {
      const d = destinations();
      const outbox = new CallOutbox(kv, d.queue, d.hubOf);
      outbox.add([message(1)], [live(1)]);
      d.set({ hubDown: true });
      expect(await outbox.flush()).toBe(false);
      expect(d.sent).toEqual([[1]]);
      // A fresh instance (after eviction) finds the undelivered live event in storage.
      const again = new CallOutbox(kv, d.queue, d.hubOf);
      expect(again.isEmpty()).toBe(false);
      d.set({ hubDown: false });
      expect(await again.flush()).toBe(true);
      expect(d.sent).toEqual([[1]]);
      expect(d.shown).toEqual([[1]]);
      expect(again.isEmpty()).toBe(true);
    });
  });

  it("keeps events queued while a flush was in flight", async () => {
    await inObject(async (kv) => {
      const d = destinations();
      const outbox = new CallOutbox(kv, d.queue, d.hubOf);
      outbox.add([message(1)], [live(1)]);
      d.set({ duringSend: () => outbox.add([message(2)], [live(2)]) });
      await outbox.flush();
      expect(d.sent).toEqual([[1]]);
      expect(new CallOutbox(kv, d.queue, d.hubOf).isEmpty()).toBe(false);
      d.set({ duringSend: () => {} });
      await outbox.flush();
      expect(d.sent).toEqual([[1], [2]]);
      expect(outbox.isEmpty()).toBe(true);
    });
  });

  it("gives up showing live news older than an hour, but still sends it to the Queue", async () => {
    await inObject(async (kv) => {
      const d = destinations();
      const outbox = new CallOutbox(kv, d.queue, d.hubOf);
      outbox.add([message(1)], [live(1, Date.now() - 2 * 3_600_000)]);
      expect(await outbox.flush()).toBe(true);
      expect(d.sent).toEqual([[1]]);
      expect(d.shown).toEqual([]);
      expect(outbox.isEmpty()).toBe(true);
    });
  });
});
