import type { CallEventsMessage, CallRecordState, WebhookDeliveryMessage } from "../../workers/queue/messages";
import type { HubEvent } from "../hub-events";
import { log } from "../../workers/lib/log";

/** How long after a failed send the CallSession's alarm tries again. */
export const OUTBOX_RETRY_MS = 5_000;
/** Live news older than this is no longer worth showing; the hub's own check ends stale calls. */
const HUB_GIVE_UP_MS = 3_600_000;
const BATCH = 100;
/** A live call's events wait for its next milestone unless this many pile up (see #holds). */
const HOLD_AT_MOST = 50;
/**
 * Events that go to the Queue at once even while the call is live, with whatever waited before
 * them: event webhooks (fanned out after MySQL) tell integrations of an answer as it happens.
 * A call's start goes at once too (its first send), and its end (the call is no longer live).
 */
const MILESTONES: ReadonlySet<string> = new Set(["call.answered"]);

export interface LiveHub {
  publish(events: HubEvent[]): Promise<unknown>;
}

/** One event of the call, as the Queue carries it (the record travels once per message). */
export interface QueuedEvent {
  seq: number;
  type: string;
  at: number;
  data: Record<string, unknown>;
}

/**
 * What is still to be delivered, stored inside the call's own value: written in the same put
 * as the state it describes, so the call costs one write per webhook, and nothing is lost
 * between the two.
 */
export interface Outbox {
  queue: QueuedEvent[];
  hub: HubEvent[];
  /** The webhooks' delivery records, numbered per call (`n`), sent with the events. */
  deliveries?: (WebhookDeliveryMessage & { n: number })[];
  /** The event number whose final record is still to be re-sent (see model.ts needsSettling). */
  settle?: number;
}

export const emptyOutbox = (): Outbox => ({ queue: [], hub: [] });

/**
 * Delivers a call's outbox: one Queue message with all its events and the record (for MySQL),
 * and one hub publish (for live dashboards). What went out is remembered here and dropped from
 * the stored outbox at the call's next write rather than with a write of its own; after an
 * eviction it is simply sent again, which both destinations drop as a resend (the consumer by
 * call and seq, the hub by stream and seq).
 */
export class CallOutbox {
  #sentSeq = 0;
  #shownSeq = 0;
  #settled = 0;
  #sentDeliveries = 0;

  constructor(
    private readonly queue: Queue,
    private readonly hubOf: (tenantId: string) => LiveHub,
  ) {}

  /**
   * The outbox to store: without what this object has delivered since it was last written. The
   * call's events stay until its record is settled: the settle message re-sends them all, so a
   * message the Queue accepted and lost (a crash of the local runtime keeps its queue in memory)
   * costs no event either.
   */
  pruned(outbox: Outbox | undefined): Outbox {
    if (!outbox) return emptyOutbox();
    const settle = outbox.settle !== undefined && outbox.settle > this.#settled ? outbox.settle : undefined;
    const deliveries = (outbox.deliveries ?? []).filter((d) => d.n > this.#sentDeliveries);
    return {
      queue: outbox.queue.filter((e) => e.seq > this.#settled),
      hub: outbox.hub.filter((e) => (e.key?.seq ?? 0) > this.#shownSeq),
      ...(deliveries.length ? { deliveries } : {}),
      ...(settle !== undefined ? { settle } : {}),
    };
  }

  /** Whether anything in `outbox` is still to go out now (a live call's held events are not). */
  pending(outbox: Outbox | undefined, live = false): boolean {
    const left = this.pruned(outbox);
    const unsent = this.#unsent(left.queue);
    const toQueue = unsent.length > 0 || (left.deliveries?.length ?? 0) > 0;
    return left.hub.length > 0 || left.settle !== undefined || (toQueue && !this.#holds(unsent, live));
  }

  #unsent(queue: QueuedEvent[]): QueuedEvent[] {
    return queue.filter((e) => e.seq > this.#sentSeq);
  }

  #holds(unsent: QueuedEvent[], live: boolean): boolean {
    return live && this.#sentSeq > 0 && unsent.length < HOLD_AT_MOST && !unsent.some((e) => MILESTONES.has(e.type));
  }

  /**
   * Sends what is pending (a batch of each at most); false when the Queue or the hub refused it.
   * `live`: the call is still going. Its first events go to the Queue at once (so its record
   * exists in MySQL from the start), the rest wait for its answer or its end (one message then,
   * not one per webhook) unless many pile up; live dashboards get every event at once from the hub.
   */
  async flush(outbox: Outbox | undefined, message: Omit<CallEventsMessage, "events" | "settle">, live = false, now = Date.now()): Promise<boolean> {
    const pending = this.pruned(outbox);
    const unsent = this.#unsent(pending.queue);
    const hold = this.#holds(unsent, live);
    // Settling re-sends every event the call still keeps; otherwise what has not gone out yet.
    const queue = pending.settle !== undefined ? pending.queue.slice(-BATCH) : hold ? [] : unsent.slice(0, BATCH);
    const deliveries = hold ? [] : (pending.deliveries ?? []).slice(0, BATCH);
    const stale = pending.hub.filter((event) => event.at < now - HUB_GIVE_UP_MS);
    if (stale.length) log.warn("call_events.live_given_up", { callKey: message.callId, events: stale.length, reason: "older than an hour" });
    const hub = pending.hub.filter((event) => event.at >= now - HUB_GIVE_UP_MS).slice(0, BATCH);
    const [queued, shown] = await Promise.all([this.#send(queue, deliveries, pending.settle, message), this.#show(message.tenantId, hub)]);
    if (queued) {
      this.#sentSeq = Math.max(this.#sentSeq, ...queue.map((e) => e.seq));
      this.#sentDeliveries = Math.max(this.#sentDeliveries, ...deliveries.map((d) => d.n));
      if (pending.settle !== undefined) this.#settled = Math.max(this.#settled, pending.settle);
    }
    this.#shownSeq = Math.max(this.#shownSeq, ...stale.map((e) => e.key?.seq ?? 0), ...(shown ? hub.map((e) => e.key?.seq ?? 0) : []));
    return queued && shown && !this.pending(outbox, live);
  }

  async #send(events: QueuedEvent[], deliveries: (WebhookDeliveryMessage & { n: number })[], settle: number | undefined, message: Omit<CallEventsMessage, "events" | "settle">): Promise<boolean> {
    if (!events.length && !deliveries.length && settle === undefined) return true;
    try {
      const records = deliveries.map(({ n: _n, ...delivery }) => delivery);
      const body: CallEventsMessage = { ...message, events, ...(records.length ? { deliveries: records } : {}), ...(settle !== undefined ? { settle } : {}) };
      await this.queue.send(body, { contentType: "json" });
      return true;
    } catch (err) {
      log.warn("call_events.queue_send_failed", { callKey: message.callId, action: "retrying by alarm", error: err });
      return false;
    }
  }

  async #show(tenantId: string, events: HubEvent[]): Promise<boolean> {
    if (!events.length) return true;
    try {
      await this.hubOf(tenantId).publish(events);
      return true;
    } catch (err) {
      log.warn("call_events.live_publish_failed", { tenantId, action: "retrying by alarm", error: err });
      return false;
    }
  }

  /** Forget what was delivered (the object's storage was re-read: it knows best). */
  reset(): void {
    this.#sentSeq = 0;
    this.#shownSeq = 0;
    this.#settled = 0;
    this.#sentDeliveries = 0;
  }
}

export type { CallRecordState };
