import { DurableObject } from "cloudflare:workers";
import type { Env } from "../workers/env";
import { decryptSecret } from "../workers/lib/secrets";
import type { CallEventMessage, CallRecordState } from "../workers/queue/messages";
import { advance, afterFailure, dialOutcomeOf, freeSlot, type FlowPorts, type FlowResult, type PlannedAttempt, type Slot } from "../workers/routing/call-flow";
import type { RoutePlan } from "../workers/routing/decide";
import { dialCxml, dialResultUrl, endCxml } from "../workers/routing/dial-cxml";
import type { EndStage } from "../workers/routing/plan-types";
import {
  claimLifetimeMs,
  hubEventOf,
  needsSettling,
  newCallData,
  noteRefused,
  RETAIN_ENDED_MS,
  seenEvent,
  settleMessage,
  SETTLE_AFTER_SECONDS,
  silenceDeadline,
  valuesOf,
  type CallData,
  type CallFacts,
  type CdrInput,
  type LifecycleResult,
  type RouteAnswer,
  type SessionUpdateInput,
} from "./call/model";
import { CallOutbox, OUTBOX_RETRY_MS } from "./call/outbox";
import type { HealthChange } from "./group-balancer";
import type { HubEvent } from "./hub-events";
import { acceptCallViewer, answerViewerPings, broadcastToViewers, onViewerClose, onViewerMessage } from "./lib/call-viewers";
import { failureBlamesAgent, isTerminal, mapSessionStatus, transition, type CallEvent, type CallState } from "./logic/call-machine";
import { checkCdr, checkDialDuration, checkTime, settleFlags, type Measured, type Rejection } from "./logic/call-figures";

export type { CallFacts, CdrInput, LifecycleResult, RouteAnswer, SessionUpdateInput } from "./call/model";

/** The call's state, in the object's key-value storage beside its outbox (call/outbox.ts). */
const CALL_KEY = "call";

/**
 * One per call (named by Cloudonix's Session token, else CallSid): the call's state machine, its
 * routing decision and attempts, and the outbox of its events. Cloudonix may repeat any webhook;
 * each answer is stored under the request it answers, so a repeat gets the same CXML and
 * changes nothing.
 */
export class CallSession extends DurableObject<Env> {
  #call: CallData | null | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  /** Events of the request in progress, for the call's own viewers once committed. */
  #hubEvents: HubEvent[] = [];
  /** Events of the request in progress (for the Queue, and for the tenant's hub), written to the outbox by #save. */
  #pendingEvents: { message: CallEventMessage; live: HubEvent }[] = [];

  readonly #outbox: CallOutbox;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#outbox = new CallOutbox(ctx.storage.kv, env.CALL_EVENTS, (tenantId) => env.TENANT_HUB.getByName(tenantId));
    answerViewerPings(ctx);
  }

  /**
   * Calls to other objects (the balancer) open this object's input gate, so a webhook repeated
   * while the first is still being routed could interleave; requests are run one at a time.
   */
  #serially<T>(work: () => Promise<T>): Promise<T> {
    const start = () => {
      // A request that failed half-way saved nothing; neither may its events survive it.
      this.#pendingEvents = [];
      this.#hubEvents = [];
      return work();
    };
    const run = this.#queue.then(start, start);
    this.#queue = run.catch(() => {});
    return run;
  }

  route(facts: CallFacts, plan: RoutePlan): Promise<RouteAnswer> {
    return this.#serially(() => this.#route(facts, plan));
  }

  /** `dialDurationSec`: the action request's DialCallDuration, when Cloudonix sent one. */
  dialResult(attempt: number, dialStatus: string, plan: RoutePlan, dialDurationSec?: number): Promise<RouteAnswer> {
    return this.#serially(() => this.#dialResult(attempt, dialStatus, plan, dialDurationSec));
  }

  /** A Cloudonix session update; duplicates and late, out-of-order statuses change nothing. */
  sessionUpdate(update: SessionUpdateInput): Promise<LifecycleResult> {
    return this.#serially(() => this.#sessionUpdate(update));
  }

  /** The call's CDR: fills duration, billable seconds and disposition, and ends a call still open. */
  cdr(cdr: CdrInput): Promise<LifecycleResult> {
    return this.#serially(() => this.#cdr(cdr));
  }

  async #route(facts: CallFacts, plan: RoutePlan): Promise<RouteAnswer> {
    const existing = this.#read();
    if (existing) return { cxml: existing.responses.route ?? endCxml({ type: "hangup" }), state: existing.state, duplicate: true };
    const now = Date.now();
    const call = newCallData(facts, plan, now);
    this.#apply(call, "route", "call.started", { direction: plan.direction, ruleId: plan.ruleId });
    const cxml = await this.#continue(call, (ports) => advance(call, plan.stages, 0, null, ports, valuesOf(call)));
    call.responses.route = cxml;
    return this.#commit(call, cxml, false);
  }

  /** Cloudonix called the Dial action: the attempt ended; fail over or finish. */
  async #dialResult(attempt: number, dialStatus: string, plan: RoutePlan, dialDurationSec?: number): Promise<RouteAnswer> {
    const call = this.#read();
    if (!call) return { cxml: endCxml({ type: "hangup" }), state: "completed", duplicate: false };
    const key = `dial:${attempt}`;
    const stored = call.responses[key];
    if (stored) return { cxml: stored, state: call.state, duplicate: true };
    const current = call.record.attempts.at(-1);
    if (!current || current.n !== attempt || isTerminal(call.state)) {
      noteRefused(call, `dial result for attempt ${attempt} ignored (current attempt ${current?.n ?? "none"}, state ${call.state})`);
      const cxml = endCxml({ type: "hangup" });
      call.responses[key] = cxml;
      return this.#commit(call, cxml, true);
    }
    const now = Date.now();
    current.endedAt = now;
    current.dialStatus = dialStatus;
    let cxml: string;
    const outcome = dialOutcomeOf(dialStatus, current.via === "stream");
    if (outcome !== "answered") {
      current.outcome = "failed";
      current.durationSec = 0;
      this.#apply(call, "dial_failed", "call.attempt_failed", { attempt, dialStatus, targetId: current.targetId });
      cxml = await this.#continue(call, (ports) => afterFailure(call, plan.stages, current, outcome, ports, valuesOf(call)));
    } else {
      // The agent answered and the leg has ended: it did its job. Cloudonix's DialCallDuration
      // is the leg's talk time; without it (or when it cannot be true) the times we saw count.
      // Everything is settled before #ended, whose call.ended event carries the record.
      const rejected = checkDialDuration(attempt, dialDurationSec, current.startedAt, now);
      const talked = rejected ? undefined : dialDurationSec;
      const answeredAt = call.record.answeredAt ?? (talked !== undefined ? now - talked * 1000 : current.startedAt);
      current.durationSec = talked ?? Math.max(0, Math.round((now - answeredAt) / 1000));
      this.#flag(call, rejected ? [rejected] : []);
      await this.#answered(call, answeredAt, { attempt, targetId: current.targetId });
      await this.#ended(call, "hangup", dialStatus, now, talked);
      cxml = endCxml({ type: "hangup" });
    }
    call.responses[key] = cxml;
    return this.#commit(call, cxml, false);
  }

  async #sessionUpdate(update: SessionUpdateInput): Promise<LifecycleResult> {
    const call = this.#read();
    if (!call) return { known: false, state: null, applied: false };
    // A repeated event changes nothing, and costs no write.
    if (seenEvent(call, update.eventId)) return { known: true, state: call.state, applied: false };
    const event = mapSessionStatus(update.status);
    const before = call.seq;
    // Only the time the event uses is checked, and only while the call can still use it.
    const field = event === "answer" ? "answeredAt" : event === "hangup" || event === "fail" ? "endedAt" : null;
    const now = Date.now();
    const rejected = field && !isTerminal(call.state) ? checkTime(field, update[field], measuredOf(call), now) : null;
    // A time that cannot be true is replaced by our own: when the update arrived. Flagged before
    // the event, which carries the record.
    const at = rejected ? now : field ? update[field] : undefined;
    if (rejected) call.record.flags = settleFlags(call.record.flags, [rejected], () => at);
    if (event === "ring") this.#apply(call, "ring", "call.ringing", { status: update.status });
    else if (event === "answer") await this.#answered(call, at, { status: update.status });
    else if (event === "hangup" || event === "fail") await this.#ended(call, event, update.status, at);
    else noteRefused(call, `session status ${update.status} carries no call event`);
    await this.#commit(call, "", false);
    return { known: true, state: call.state, applied: call.seq > before };
  }

  async #cdr(reported: CdrInput): Promise<LifecycleResult> {
    const call = this.#read();
    if (!call) return { known: false, state: null, applied: false };
    // One CDR per finished call: another is a redelivery and changes nothing.
    if (call.record.disposition !== null) return { known: true, state: call.state, applied: false };
    // Figures that cannot be true are dropped here, before anything uses them, and flagged below.
    const { usable, rejected } = checkCdr(reported, measuredOf(call), Date.now());
    const cdr: CdrInput = { ...reported, ...usable, status: usable.answered && !reported.answered ? "completed" : reported.status };
    for (const r of rejected) if (r.field !== "disposition") delete cdr[r.field as keyof CdrInput];
    if (!isTerminal(call.state)) {
      if (cdr.answered) await this.#answered(call, cdr.answeredAt, { via: "cdr" });
      await this.#ended(call, cdr.answered || mapSessionStatus(cdr.status) === "hangup" ? "hangup" : "fail", cdr.status, cdr.endedAt);
    }
    const { record } = call;
    record.disposition = cdr.disposition.toUpperCase();
    if (cdr.durationSec !== undefined) record.durationSec = cdr.durationSec;
    if (cdr.billableSec !== undefined) record.billableSec = cdr.billableSec;
    if (cdr.answeredAt) record.answeredAt = cdr.answeredAt;
    if (cdr.endedAt) record.endedAt = cdr.endedAt;
    if (cdr.quality) record.quality = cdr.quality;
    this.#flag(call, rejected);
    this.#queueEvent(call, "call.cdr", { disposition: record.disposition, durationSec: record.durationSec, billableSec: record.billableSec, flagged: rejected.map((r) => r.field) });
    await this.#commit(call, "", false);
    return { known: true, state: call.state, applied: true };
  }

  /** The dialled leg answered: the agent is healthy; its slot stays held until the call ends. */
  async #answered(call: CallData, at: number | undefined, data: Record<string, unknown>): Promise<void> {
    const wasConnected = call.state === "connected";
    this.#apply(call, "answer", "call.answered", data);
    if (wasConnected || call.state !== "connected") return;
    if (at) call.record.answeredAt = at;
    const attempt = call.record.attempts.at(-1);
    if (attempt && !attempt.outcome) attempt.outcome = "answered";
    if (call.slot) {
      const change = await this.env.GROUP_BALANCER.getByName(call.slot.balancer).reportSuccess(call.slot.agentId);
      this.#publishHealth(call, change ? [change] : []);
    }
  }

  /**
   * The call ended (whichever channel said so first): free the slot once, feed agent health.
   * `talkedSec`: the talk time Cloudonix measured (DialCallDuration), over the one from our times.
   */
  async #ended(call: CallData, event: "hangup" | "fail", status: string, at: number | undefined, talkedSec?: number): Promise<void> {
    if (isTerminal(call.state)) {
      noteRefused(call, `call is ${call.state}; status ${status} is ignored`);
      return;
    }
    const attempt = call.record.attempts.at(-1);
    const answered = call.state === "connected";
    // A session that fails while an agent is ringing is that agent's failure; a caller who hangs
    // up or cancels before the answer, or an account without credit, is nobody's.
    const agentFailed = !answered && event === "fail" && failureBlamesAgent(status);
    const result = answered ? "success" : agentFailed && attempt && !attempt.outcome ? "failure" : null;
    if (attempt && !attempt.outcome) attempt.outcome = answered ? "answered" : agentFailed ? "failed" : "ended";
    // An answered attempt has its outcome already; it still ends here, with the call.
    if (attempt && attempt.endedAt === undefined) {
      attempt.endedAt = at ?? Date.now();
      attempt.dialStatus ??= status;
    }
    await freeSlot(call, this.#ports(call), answered ? null : result);
    call.record.endReason = answered ? "completed" : event === "fail" ? status.toLowerCase() : "caller_hangup";
    // Before the transition, so the call.ended event already carries Cloudonix's end time.
    const end = at ?? Date.now();
    call.record.endedAt = end;
    call.record.durationSec = answered && call.record.answeredAt ? (talkedSec ?? Math.max(0, Math.round((end - call.record.answeredAt) / 1000))) : 0;
    if (attempt && attempt.durationSec === undefined) attempt.durationSec = attempt.outcome === "answered" ? call.record.durationSec : 0;
    this.#apply(call, event, "call.ended", { reason: call.record.endReason, status });
  }

  /** Flags the rejected figures on the record, each beside the value the record holds instead. */
  #flag(call: CallData, rejected: Rejection[]): void {
    const { record } = call;
    record.flags = settleFlags(record.flags, rejected, (field) => {
      const attempt = /^attempts\[(\d+)\]\.durationSec$/.exec(field);
      if (attempt) return record.attempts.find((a) => a.n === Number(attempt[1]))?.durationSec;
      return (record as unknown as Record<string, unknown>)[field];
    });
  }

  /** For tests and the records API: the call as this object knows it. */
  async snapshot(): Promise<{ state: CallState; record: Omit<CallRecordState, "decision">; trace: CallData["trace"]; slot: CallData["slot"] } | null> {
    const call = this.#read();
    if (!call) return null;
    // The record's decision is the trace itself; it travels once.
    const { decision: _decision, ...record } = call.record;
    return { state: call.state, record, trace: call.trace, slot: call.slot };
  }

  /** Per-call live view: a WebSocket upgrade forwarded by GET /api/realtime/calls/{callId} (lib/call-viewers.ts). */
  async fetch(request: Request): Promise<Response> {
    const call = this.#read();
    if (!call) return acceptCallViewer(this.ctx, request, null);
    const { decision: _decision, ...record } = call.record;
    return acceptCallViewer(this.ctx, request, { state: call.state, seq: call.seq, record, trace: call.trace });
  }

  async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    onViewerMessage(ws, message);
  }

  async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    onViewerClose(ws, code, reason);
  }

  async alarm(): Promise<void> {
    // Alarms are rare: re-read storage rather than trust the in-memory copy.
    this.#call = undefined;
    this.#outbox.reset();
    const call = this.#read();
    if (!call) return;
    const now = Date.now();
    if (!isTerminal(call.state) && now >= this.#silenceDeadline(call)) {
      await freeSlot(call, this.#ports(call), null);
      const attempt = call.record.attempts.at(-1);
      if (attempt && attempt.endedAt === undefined) attempt.endedAt = now;
      this.#apply(call, "time_out", "call.ended", { reason: "timeout", lastState: call.state });
      call.record.endReason = "timeout";
      this.#save(call);
      this.#showViewers();
    } else if (needsSettling(call) && now >= call.lastActivityAt + this.#settleMs()) {
      call.settledSeq = call.seq;
      this.#save(call);
      this.#outbox.add([settleMessage(call)], []);
    } else if (isTerminal(call.state) && now >= call.lastActivityAt + RETAIN_ENDED_MS && this.#outbox.isEmpty()) {
      await this.ctx.storage.deleteAll();
      this.#outbox.reset();
      this.#call = null;
      return;
    }
    await this.#flushOutbox();
  }

  /**
   * Takes the call's next step in its plan (workers/routing/call-flow.ts): dials an attempt or
   * ends the call. When that fails half-way (the balancer unreachable, a password
   * that no longer decrypts) a slot it claimed is freed: the failed request saves nothing, so
   * nothing else would free it before the claim expires, hours later.
   */
  async #continue(call: CallData, step: (ports: FlowPorts) => Promise<FlowResult>): Promise<string> {
    const ports = this.#ports(call);
    try {
      const result = await step(ports);
      Object.assign(call, result.cursor);
      call.trace.picks.push(...result.picks);
      return result.step.type === "end" ? this.#end(call, result.step.stage, result.step.reason) : await this.#dial(call, result.step.attempt);
    } catch (err) {
      const claimed = ports.claimed;
      if (claimed && claimed !== call.slot) {
        await this.#balancer(claimed.balancer)
          .release(call.facts.callKey)
          .catch((releaseErr: Error) => console.warn(`call ${call.facts.callKey}: could not free the slot after a failure: ${releaseErr.message}`));
      }
      throw err;
    }
  }

  /** The flow's ports, carried out against the group balancers; `claimed` is the last slot claimed. */
  #ports(call: CallData): FlowPorts & { claimed: Slot | null } {
    const claimTtlMs = this.#claimLifetimeMs();
    const { callKey } = call.facts;
    const ports = {
      claimed: null as Slot | null,
      pick: async (stage: Parameters<FlowPorts["pick"]>[0]) => {
        const outcome = await this.#balancer(stage.balancer).pick({ callKey, group: stage.group, caller: call.facts.from, claimTtlMs });
        if (outcome.chosen) ports.claimed = { balancer: stage.balancer, agentId: outcome.chosen };
        return outcome;
      },
      failover: async (stage: Parameters<FlowPorts["failover"]>[0], failedAgentId: string | null, candidates: string[]) => {
        const result = await this.#balancer(stage.balancer).failover({ callKey, failedAgentId, group: stage.group, candidates, claimTtlMs });
        this.#publishHealth(call, result.healthChanges);
        if (result.chosen) ports.claimed = { balancer: stage.balancer, agentId: result.chosen };
        return result;
      },
      release: async (slot: Slot, result: "success" | "failure" | null) => {
        const released = await this.#balancer(slot.balancer).release(callKey, result ? { agentId: slot.agentId, result } : undefined);
        this.#publishHealth(call, released.healthChange ? [released.healthChange] : []);
      },
    };
    return ports;
  }

  #balancer(name: string) {
    return this.env.GROUP_BALANCER.getByName(name);
  }

  async #dial(call: CallData, attempt: PlannedAttempt): Promise<string> {
    const n = call.record.attempts.length + 1;
    const { kind, targetId, targetName, provider, groupId } = attempt;
    call.record.attempts.push({ n, stage: attempt.stage, kind, via: attempt.target.kind, targetId, targetName, provider, groupId, startedAt: Date.now() });
    if (kind === "agent") {
      call.record.groupId = groupId;
      call.record.agentId = targetId;
    } else if (kind === "trunk") call.record.trunkId = targetId;
    this.#apply(call, "dial", "call.attempt_started", { attempt: n, kind, targetId, targetName });
    const password = attempt.passwordEnc ? await decryptSecret(attempt.passwordEnc, this.env.ENCRYPTION_KEY) : undefined;
    return dialCxml(attempt.target, { actionUrl: dialResultUrl(call.facts.baseUrl, n), password, timeLimitSec: attempt.timeLimitSec, context: attempt.context });
  }

  #end(call: CallData, stage: EndStage, reason?: string): string {
    const delivered = stage.action.type === "announcement";
    call.record.endReason = reason ?? (call.record.attempts.length ? "all_attempts_failed" : stage.label.replace(/\s+/g, "_"));
    this.#apply(call, delivered ? "hangup" : "fail", "call.ended", { reason: call.record.endReason, action: stage.action.type });
    return endCxml(stage.action);
  }

  #publishHealth(call: CallData, changes: HealthChange[]): void {
    for (const change of changes) this.#queueEvent(call, "agent.health_changed", { ...change });
  }

  /** Applies a state-machine event; a refused transition is logged in the trace, never thrown. */
  #apply(call: CallData, event: CallEvent, type: string, data: Record<string, unknown>): void {
    const result = transition(call.state, event);
    if (!result.ok) {
      noteRefused(call, result.reason);
      console.warn(`call ${call.facts.callKey}: ${result.reason}`);
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
    this.#queueEvent(call, type, { ...data, state: result.next });
  }

  #queueEvent(call: CallData, type: string, data: Record<string, unknown>): void {
    call.seq++;
    call.lastActivityAt = Date.now();
    call.record.decision = call.trace;
    const message: CallEventMessage = {
      kind: "call_event",
      tenantId: call.facts.tenantId,
      callId: call.facts.callKey,
      seq: call.seq,
      type,
      at: call.lastActivityAt,
      data,
      record: call.record,
    };
    // Kept until #save, so the events land in the same storage transaction as their state.
    const live = hubEventOf(call, type, data);
    this.#pendingEvents.push({ message: structuredClone(message), live });
    this.#hubEvents.push(live);
  }

  async #commit(call: CallData, cxml: string, duplicate: boolean): Promise<RouteAnswer> {
    this.#save(call);
    await this.#armAlarm(call);
    // Delivery is off the answer's path; the alarm retries whatever this flush cannot send.
    this.ctx.waitUntil(this.#flushOutbox());
    this.#showViewers();
    return { cxml, state: call.state, duplicate };
  }

  /**
   * The call's own viewers see its events at once; the tenant's dashboards get them through
   * the outbox, which retries until the hub has them (the hub drops resends by call and seq).
   */
  #showViewers(): void {
    const events = this.#hubEvents;
    this.#hubEvents = [];
    // #call holds the state just saved.
    broadcastToViewers(this.ctx, events, this.#call ? isTerminal(this.#call.state) : false);
  }

  /**
   * Delivers the outbox, then sets the alarm for what is left: the silence deadline once
   * everything went out, else a retry soon. The alarm is set in the same turn as the outbox is
   * cleared, so both are one commit, and a delivered call is not woken again for nothing.
   */
  async #flushOutbox(): Promise<void> {
    await this.#outbox.flush();
    if (this.#call) await this.#armAlarm(this.#call);
  }

  #silenceDeadline(call: CallData): number {
    return silenceDeadline(call, Number(this.env.CALL_TIMEOUT_SECONDS) * 1000);
  }

  #claimLifetimeMs(): number {
    return claimLifetimeMs(Number(this.env.CALL_TIMEOUT_SECONDS) * 1000);
  }

  #settleMs(): number {
    return Number(this.env.CALL_SETTLE_SECONDS ?? SETTLE_AFTER_SECONDS) * 1000;
  }

  async #armAlarm(call: CallData): Promise<void> {
    const ended = needsSettling(call) ? call.lastActivityAt + this.#settleMs() : call.lastActivityAt + RETAIN_ENDED_MS;
    const due = isTerminal(call.state) ? ended : this.#silenceDeadline(call);
    const outboxRetry = this.#outbox.isEmpty() ? Infinity : Date.now() + OUTBOX_RETRY_MS;
    await this.ctx.storage.setAlarm(Math.min(due, outboxRetry));
  }

  #read(): CallData | null {
    // Reading writes nothing: an object asked about a call it does not have (a stray session
    // update, a CDR for another tenant's call) leaves no storage behind.
    if (this.#call === undefined) this.#call = this.ctx.storage.kv.get<CallData>(CALL_KEY) ?? null;
    // A copy, so a request that fails half-way leaves the stored state untouched.
    return this.#call ? structuredClone(this.#call) : null;
  }

  /** One write of the state and its new events, which the runtime commits as one transaction. */
  #save(call: CallData): void {
    this.ctx.storage.kv.put(CALL_KEY, call);
    this.#outbox.add(
      this.#pendingEvents.map((event) => event.message),
      this.#pendingEvents.map((event) => ({ tenantId: call.facts.tenantId, seq: event.message.seq, event: event.live })),
    );
    this.#pendingEvents = [];
    this.#call = structuredClone(call);
  }
}

/** What the record measured itself, for checking a reported figure against. */
function measuredOf(call: CallData): Measured {
  const { record } = call;
  return { startedAt: record.startedAt, answeredAt: record.answeredAt, endedAt: isTerminal(call.state) ? record.endedAt : null, answered: record.answeredAt !== null };
}
