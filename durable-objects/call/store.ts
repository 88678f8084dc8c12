import type { Env } from "../../workers/env";
import type { HubEvent } from "../hub-events";
import { isTerminal } from "../../workers/domain/call-machine";
import { claimLifetimeMs, needsSettling, RETAIN_ENDED_MS, SETTLE_AFTER_SECONDS, silenceDeadline, type CallData } from "./model";
import type { Taken } from "./journal";
import { CallOutbox, OUTBOX_RETRY_MS, type Outbox } from "./outbox";

/** The call's state and its outbox, in one key of the object's key-value storage. */
const CALL_KEY = "call";
/** Where builds before the outbox moved into the call's value kept it; read once, then gone. */
const LEGACY_OUTBOX_KEY = "outbox";

/**
 * A CallSession's storage: the call as one value (its outbox inside), written once per request,
 * and the alarm, set only when it must move earlier (it re-arms itself when it fires early), so
 * a webhook costs one write and no alarm write of its own.
 */
export class CallStore {
  #call: CallData | null | undefined;
  /** The alarm as set in storage (undefined: not read yet). */
  #alarmAt: number | null | undefined;
  readonly #outbox: CallOutbox;

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Env,
  ) {
    this.#outbox = new CallOutbox(env.CALL_EVENTS, (tenantId) => env.TENANT_HUB.getByName(tenantId));
  }

  /** A copy of the call, so a request that fails half-way leaves the stored state untouched. */
  read(): CallData | null {
    // Reading writes nothing: an object asked about a call it does not have (a stray session
    // update, a CDR for another tenant's call) leaves no storage behind.
    if (this.#call === undefined) this.#call = this.#load();
    return this.#call ? structuredClone(this.#call) : null;
  }

  /** One write of the state and its new events, which the runtime commits as one transaction. */
  save(call: CallData, taken: Taken): void {
    const outbox = this.#outbox.pruned(call.outbox);
    outbox.queue.push(...taken.queued);
    outbox.hub.push(...taken.hub);
    for (const delivery of taken.deliveries) {
      call.deliveryCount = (call.deliveryCount ?? 0) + 1;
      (outbox.deliveries ??= []).push({ ...delivery, n: call.deliveryCount });
    }
    call.outbox = outbox;
    this.ctx.storage.kv.put(CALL_KEY, call);
    this.#call = structuredClone(call);
  }

  /** Saves, makes sure the alarm is due in time, and delivers off the answer's path. */
  async commit(call: CallData, taken: Taken): Promise<void> {
    this.save(call, taken);
    await this.#ensureAlarm(this.dueAt(call));
    this.ctx.waitUntil(this.flush());
  }

  /** Delivers the outbox; a failed send brings the alarm forward to try again soon. */
  async flush(): Promise<void> {
    const call = this.#call;
    if (!call) return;
    const { tenantId, callKey } = call.facts;
    const delivered = await this.#outbox.flush(call.outbox, { kind: "call_events", v: 1, tenantId, callId: callKey, record: { ...call.record, decision: call.trace } }, !isTerminal(call.state));
    if (!delivered) await this.#ensureAlarm(Date.now() + OUTBOX_RETRY_MS);
  }

  /** Whether the stored outbox still holds something undelivered. */
  pending(call: CallData): boolean {
    return this.#outbox.pending(call.outbox, !isTerminal(call.state));
  }

  /**
   * The alarm fired: re-read the state, and the alarm is no longer set. What this instance knows
   * it delivered stays known (a new instance after an eviction knows nothing and resends), so an
   * alarm does not publish again what the dashboards already have.
   */
  forget(): void {
    this.#call = undefined;
    this.#alarmAt = null;
  }

  /** Re-arms the alarm for the call as it now stands (after an alarm that found nothing due). */
  async rearm(call: CallData): Promise<void> {
    await this.#ensureAlarm(this.pending(call) ? Math.min(this.dueAt(call), Date.now() + OUTBOX_RETRY_MS) : this.dueAt(call));
  }

  async erase(): Promise<void> {
    await this.ctx.storage.deleteAll();
    this.#outbox.reset();
    this.#call = null;
    this.#alarmAt = null;
  }

  /** When the call next needs its alarm: the silence deadline, its settling, or its removal. */
  dueAt(call: CallData): number {
    if (!isTerminal(call.state)) return this.silenceDeadline(call);
    return call.lastActivityAt + (needsSettling(call) ? this.settleMs() : RETAIN_ENDED_MS);
  }

  silenceDeadline(call: CallData): number {
    return silenceDeadline(call, Number(this.env.CALL_TIMEOUT_SECONDS) * 1000);
  }

  claimLifetimeMs(): number {
    return claimLifetimeMs(Number(this.env.CALL_TIMEOUT_SECONDS) * 1000);
  }

  settleMs(): number {
    return Number(this.env.CALL_SETTLE_SECONDS ?? SETTLE_AFTER_SECONDS) * 1000;
  }

  async #ensureAlarm(at: number): Promise<void> {
    if (this.#alarmAt === undefined) this.#alarmAt = await this.ctx.storage.getAlarm();
    // An alarm due earlier fires, finds nothing to do and re-arms for the real time.
    if (this.#alarmAt !== null && this.#alarmAt <= at) return;
    this.#alarmAt = at;
    await this.ctx.storage.setAlarm(at);
  }

  #load(): CallData | null {
    const call = this.ctx.storage.kv.get<CallData>(CALL_KEY) ?? null;
    const legacy = this.ctx.storage.kv.get<{ queue: { seq: number; type: string; at: number; data: Record<string, unknown>; settle?: true }[]; hub: { event: HubEvent }[] }>(LEGACY_OUTBOX_KEY);
    if (!call || !legacy) return call;
    // A call stored by a build before this one: its separate outbox joins the call's own.
    const outbox: Outbox = call.outbox ?? { queue: [], hub: [] };
    for (const m of legacy.queue) {
      if (m.settle) outbox.settle = Math.max(outbox.settle ?? 0, m.seq);
      else outbox.queue.push({ seq: m.seq, type: m.type, at: m.at, data: m.data });
    }
    outbox.hub.push(...legacy.hub.map((live) => live.event));
    call.outbox = outbox;
    this.ctx.storage.kv.delete(LEGACY_OUTBOX_KEY);
    return call;
  }
}
