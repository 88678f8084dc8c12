import type { CallEventMessage } from "../../workers/queue/messages";
import type { HubEvent } from "../hub-events";

/** How long after a failed send the CallSession's alarm tries again. */
export const OUTBOX_RETRY_MS = 5_000;
/** Live news older than this is no longer worth showing; the hub's own check ends stale calls. */
const HUB_GIVE_UP_MS = 3_600_000;
const BATCH = 100;

// In the object's key-value storage (no schema to create for every call): one key per event and
// destination, numbered so that keys sort in event order.
const QUEUE = "outbox:queue:";
const HUB = "outbox:hub:";
const keyOf = (prefix: string, seq: number) => prefix + String(seq).padStart(10, "0");

export interface LiveHub {
  publish(events: HubEvent[]): Promise<unknown>;
}

export interface LiveEvent {
  tenantId: string;
  event: HubEvent;
}

/**
 * A call's events, written in the same storage transaction as the state they describe and
 * deleted only once delivered: to the Queue (for MySQL) and to the tenant's hub (for live
 * dashboards). A crash or a failed send between the two re-sends, never loses. Re-sends are
 * harmless: the consumer stores by (call, seq), and the hub drops an event whose (call, seq)
 * it has already shown.
 */
export class CallOutbox {
  constructor(
    private readonly kv: SyncKvStorage,
    private readonly queue: Queue,
    private readonly hubOf: (tenantId: string) => LiveHub,
  ) {}

  /** `message` for the Queue and `live` for the hub carry the same seq. */
  add(message: CallEventMessage, live: LiveEvent): void {
    this.kv.put(keyOf(QUEUE, message.seq), message);
    this.kv.put(keyOf(HUB, message.seq), live);
  }

  isEmpty(): boolean {
    return this.#pending<unknown>(QUEUE, 1).length === 0 && this.#pending<unknown>(HUB, 1).length === 0;
  }

  /** Sends what is pending (a batch of each at most); false when the Queue or the hub refused it. */
  async flush(now = Date.now()): Promise<boolean> {
    const [queued, shown] = await Promise.all([this.#flushQueue(), this.#flushHub(now)]);
    return queued && shown;
  }

  #pending<T>(prefix: string, limit = BATCH): [string, T][] {
    return [...this.kv.list<T>({ prefix, limit })];
  }

  async #flushQueue(): Promise<boolean> {
    const entries = this.#pending<CallEventMessage>(QUEUE);
    if (!entries.length) return true;
    try {
      await this.queue.sendBatch(entries.map(([, body]) => ({ body, contentType: "json" as const })));
    } catch (err) {
      console.warn(`call events: queue send failed, retrying by alarm: ${(err as Error).message}`);
      return false;
    }
    for (const [key] of entries) this.kv.delete(key);
    return true;
  }

  async #flushHub(now: number): Promise<boolean> {
    const entries = this.#pending<LiveEvent>(HUB);
    const stale = entries.filter(([, live]) => live.event.at < now - HUB_GIVE_UP_MS);
    for (const [key] of stale) this.kv.delete(key);
    if (stale.length) console.warn(`call events: gave up showing ${stale.length} live events older than an hour`);
    const fresh = entries.filter(([, live]) => live.event.at >= now - HUB_GIVE_UP_MS);
    if (!fresh.length) return true;
    try {
      await this.hubOf(fresh[0]![1].tenantId).publish(fresh.map(([, live]) => live.event));
    } catch (err) {
      console.warn(`call events: live publish failed, retrying by alarm: ${(err as Error).message}`);
      return false;
    }
    for (const [key] of fresh) this.kv.delete(key);
    return true;
  }
}
