import type { HealthChange } from "../group-balancer";
import type { HubEvent } from "../hub-events";
import { settleFlags, type Rejection } from "../logic/call-figures";
import { isTerminal, transition, type CallEvent } from "../../workers/domain/call-machine";
import type { WebhookDeliveryMessage } from "../../workers/queue/messages";
import { storedResponse } from "../../workers/webhooks/stored-request";
import type { QueuedEvent } from "./outbox";
import { hubEventOf, noteRefused, type CallData, type DeliveryDraft } from "./model";
import { log } from "../../workers/lib/log";

export interface Taken {
  queued: QueuedEvent[];
  /** For the call's own viewers: every event. */
  live: HubEvent[];
  /** For the tenant's hub: the events of a live call, and its end. */
  hub: HubEvent[];
  deliveries: WebhookDeliveryMessage[];
}

/*
 * What happens to a call during one request, as events: each state-machine step, each health
 * change, each flagged figure. Pure: the CallSession stores the events with the state they
 * describe (its outbox) and shows them to the call's own viewers once committed. A request that
 * fails half-way discards its journal with the state.
 */
export class CallJournal {
  #queued: QueuedEvent[] = [];
  #live: HubEvent[] = [];
  #hub: HubEvent[] = [];
  #deliveries: WebhookDeliveryMessage[] = [];

  /** Applies a state-machine event; a refused transition is noted in the trace, never thrown. */
  apply(call: CallData, event: CallEvent, type: string, data: Record<string, unknown>): void {
    const result = transition(call.state, event);
    if (!result.ok) {
      noteRefused(call, result.reason);
      log.warn("call.transition_refused", { callKey: call.facts.callKey, reason: result.reason });
      return;
    }
    // Cloudonix repeats statuses; a repeat is not news.
    if (result.next === call.state) return;
    const now = Date.now();
    call.state = result.next;
    call.record.status = result.next;
    if (result.next === "connected") call.record.answeredAt ??= now;
    if (isTerminal(result.next)) {
      call.record.endedAt ??= now;
      call.record.durationSec ??= call.record.answeredAt ? Math.round((now - call.record.answeredAt) / 1000) : 0;
    }
    this.note(call, type, { ...data, state: result.next });
  }

  /** Records an event of the call under its next sequence number. */
  note(call: CallData, type: string, data: Record<string, unknown>): void {
    call.seq++;
    call.lastActivityAt = Date.now();
    call.record.decision = call.trace;
    this.#queued.push({ seq: call.seq, type, at: call.lastActivityAt, data: structuredClone(data) });
    const live = hubEventOf(call, type, data);
    this.#live.push(live);
    // The tenant's dashboards follow live calls: once a call has ended, only its end is news
    // there (a CDR after it is for the record and the call's own viewers), one hub request
    // fewer; agent health changes are the tenant's news whenever they happen.
    if (!type.startsWith("call.") || !isTerminal(call.state) || type === "call.ended") this.#hub.push(live);
  }

  health(call: CallData, changes: readonly (HealthChange | null)[]): void {
    for (const change of changes) if (change) this.note(call, "agent.health_changed", { ...change });
  }

  /** Flags the rejected figures on the record, each beside the value the record holds instead. */
  flag(call: CallData, rejected: Rejection[]): void {
    const { record } = call;
    record.flags = settleFlags(record.flags, rejected, (field) => {
      const attempt = /^attempts\[(\d+)\]\.durationSec$/.exec(field);
      if (attempt) return record.attempts.find((a) => a.n === Number(attempt[1]))?.durationSec;
      return (record as unknown as Record<string, unknown>)[field];
    });
  }

  /** The webhook's delivery record, completed with our answer: it travels with the call's events. */
  deliver(draft: DeliveryDraft, outcome: string, response: string): void {
    this.#deliveries.push({ ...draft, statusCode: 200, outcome, error: null, durationMs: Date.now() - draft.receivedAt, response: storedResponse(response) });
  }

  /** The request's events, once: for the outbox and the call's viewers. */
  take(): Taken {
    const taken = { queued: this.#queued, live: this.#live, hub: this.#hub, deliveries: this.#deliveries };
    this.#hub = [];
    this.#queued = [];
    this.#live = [];
    this.#deliveries = [];
    return taken;
  }
}
