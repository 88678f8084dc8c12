import type { CallEventMessage } from "../../workers/queue/messages";
import type { HubEvent } from "../hub-events";

/** How long after a failed send the CallSession's alarm tries again. */
export const OUTBOX_RETRY_MS = 5_000;
/** Live news older than this is no longer worth showing; the hub's own check ends stale calls. */
const HUB_GIVE_UP_MS = 3_600_000;
const BATCH = 100;
/**
 * One key in the object's key-value storage holds everything undelivered: a call queues a
 * handful of events per request, and one write to queue them plus one to clear them costs far
 * less than a row (or key) per event and destination.
 */
const KEY = "outbox";

export interface LiveHub {
  publish(events: HubEvent[]): Promise<unknown>;
}

export interface LiveEvent {
  tenantId: string;
  /** The call's event number, the same as its Queue message's. */
  seq: number;
  event: HubEvent;
}

interface Pending {
  queue: CallEventMessage[];
  hub: LiveEvent[];
}

/**
 * A call's events, written in the same storage transaction as the state they describe (the
 * caller adds them in the same turn as it saves the state) and cleared only once delivered: to
 * the Queue (for MySQL) and to the tenant's hub (for live dashboards). A crash or a failed send
 * between the two re-sends, never loses. Re-sends are harmless: the consumer stores by
 * (call, seq), and the hub drops an event whose (call, seq) it has already shown.
 */
export class CallOutbox {
  #pending: Pending | undefined;

  constructor(
    private readonly kv: SyncKvStorage,
    private readonly queue: Queue,
    private readonly hubOf: (tenantId: string) => LiveHub,
  ) {}

  /** Queues events: `messages` for the Queue and `live` for the hub carry the same seqs. */
  add(messages: CallEventMessage[], live: LiveEvent[]): void {
    if (!messages.length && !live.length) return;
    const pending = this.#read();
    this.#write({ queue: [...pending.queue, ...messages], hub: [...pending.hub, ...live] });
  }

  isEmpty(): boolean {
    const pending = this.#read();
    return pending.queue.length === 0 && pending.hub.length === 0;
  }

  /** Sends what is pending (a batch of each at most); false when the Queue or the hub refused it. */
  async flush(now = Date.now()): Promise<boolean> {
    const pending = this.#read();
    const queue = pending.queue.slice(0, BATCH);
    const stale = pending.hub.filter((live) => live.event.at < now - HUB_GIVE_UP_MS).length;
    if (stale) console.warn(`call events: gave up showing ${stale} live events older than an hour`);
    const hub = pending.hub.filter((live) => live.event.at >= now - HUB_GIVE_UP_MS).slice(0, BATCH);
    const [queued, shown] = await Promise.all([this.#send(queue), this.#show(hub)]);
    // Other requests may have queued more meanwhile: remove exactly what went out, by seq.
    const sentQueue = new Set(queued ? queue.map((m) => m.seq) : []);
    const doneHub = new Set([...(shown ? hub : []), ...pending.hub.filter((live) => live.event.at < now - HUB_GIVE_UP_MS)].map((live) => live.seq));
    if (sentQueue.size || doneHub.size) {
      const current = this.#read();
      this.#write({ queue: current.queue.filter((m) => !sentQueue.has(m.seq)), hub: current.hub.filter((live) => !doneHub.has(live.seq)) });
    }
    return queued && shown;
  }

  async #send(messages: CallEventMessage[]): Promise<boolean> {
    if (!messages.length) return true;
    try {
      await this.queue.sendBatch(messages.map((body) => ({ body, contentType: "json" as const })));
      return true;
    } catch (err) {
      console.warn(`call events: queue send failed, retrying by alarm: ${(err as Error).message}`);
      return false;
    }
  }

  async #show(live: LiveEvent[]): Promise<boolean> {
    if (!live.length) return true;
    try {
      await this.hubOf(live[0]!.tenantId).publish(live.map((entry) => entry.event));
      return true;
    } catch (err) {
      console.warn(`call events: live publish failed, retrying by alarm: ${(err as Error).message}`);
      return false;
    }
  }

  #read(): Pending {
    this.#pending ??= this.kv.get<Pending>(KEY) ?? { queue: [], hub: [] };
    return this.#pending;
  }

  #write(pending: Pending): void {
    this.#pending = pending;
    if (pending.queue.length || pending.hub.length) this.kv.put(KEY, pending);
    else this.kv.delete(KEY);
  }

  /** Forget the in-memory copy (after the object's storage was cleared, or to re-read it). */
  reset(): void {
    this.#pending = undefined;
  }
}
