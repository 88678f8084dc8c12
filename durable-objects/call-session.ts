import { DurableObject } from "cloudflare:workers";
import type { Env } from "../workers/env";
import type { CallRecordState } from "../workers/queue/messages";
import { dialOutcomeOf } from "../workers/routing/dial-outcome";
import { advance, afterFailure, freeSlot, type FlowPorts, type FlowResult } from "../workers/routing/call-flow";
import { pollWait } from "../workers/routing/wait-flow";
import type { RoutePlan } from "../workers/routing/decide";
import { endCxml } from "../workers/routing/dial-cxml";
import { balancerPorts } from "./call/balancer-ports";
import { CallJournal } from "./call/journal";
import { answeredLeg, beginEnd, finishEnd, markAnswered, recordCdr, sessionEvent, usableCdr } from "./call/lifecycle";
import { needsSettling, newCallData, noteRefused, RETAIN_ENDED_MS, seenEvent, valuesOf, type CallData, type CallFacts, type CdrInput, type DeliveryDraft, type LifecycleResult, type RouteAnswer, type SessionUpdateInput } from "./call/model";
import { CallStore } from "./call/store";
import { takeStep } from "./call/steps";
import { finishWait, leaveWaitingRoom, notePoll } from "./call/waiting";
import type { HubEvent } from "./hub-events";
import { acceptCallViewer, answerViewerPings, broadcastToViewers, onViewerClose, onViewerMessage } from "./lib/call-viewers";
import { isTerminal, mapSessionStatus, type CallState } from "../workers/domain/call-machine";
import { log } from "../workers/lib/log";

export type { CallFacts, CdrInput, LifecycleResult, RouteAnswer, SessionUpdateInput } from "./call/model";

/**
 * One per call (named by Cloudonix's Session token, else CallSid): the call's state machine, its
 * routing (the pure call flow, workers/routing/call-flow.ts, carried out against the group
 * balancers) and attempts, and the outbox of its events. Cloudonix may repeat any webhook; each
 * answer is stored under the request it answers, so a repeat gets the same CXML and changes
 * nothing.
 */
export class CallSession extends DurableObject<Env> {
  #queue: Promise<unknown> = Promise.resolve();
  /** The events of the request in progress; saved with its state, or dropped with it. */
  #journal = new CallJournal();
  /** The delivery record of the webhook in progress, completed and sent with its events. */
  #delivery: DeliveryDraft | undefined;
  readonly #store: CallStore;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#store = new CallStore(ctx, env);
    answerViewerPings(ctx);
  }

  /**
   * Calls to other objects (the balancer) open this object's input gate, so a webhook repeated
   * while the first is still being routed could interleave; requests are run one at a time.
   */
  #serially<T>(work: () => Promise<T>, delivery?: DeliveryDraft): Promise<T> {
    const start = () => {
      // A request that failed half-way saved nothing; neither may its events survive it.
      this.#journal = new CallJournal();
      this.#delivery = delivery;
      return work();
    };
    const run = this.#queue.then(start, start);
    this.#queue = run.catch(() => {});
    return run;
  }

  /** `delivery`: the webhook's delivery record, to go out with the call's events (see RouteAnswer.recorded). */
  route(facts: CallFacts, plan: RoutePlan, delivery?: DeliveryDraft): Promise<RouteAnswer> {
    return this.#serially(() => this.#route(facts, plan), delivery);
  }

  /** `dialDurationSec`: the action request's DialCallDuration, when Cloudonix sent one. */
  dialResult(attempt: number, dialStatus: string, plan: RoutePlan, dialDurationSec?: number, delivery?: DeliveryDraft): Promise<RouteAnswer> {
    return this.#serially(() => this.#dialResult(attempt, dialStatus, plan, dialDurationSec), delivery);
  }

  /** A waiting caller's next try (the waiting room's Redirect, numbered `poll`). */
  waitPoll(poll: number, plan: RoutePlan, delivery?: DeliveryDraft): Promise<RouteAnswer> {
    return this.#serially(() => this.#waitPoll(poll, plan), delivery);
  }

  /** A Cloudonix session update; duplicates and late, out-of-order statuses change nothing. */
  sessionUpdate(update: SessionUpdateInput, delivery?: DeliveryDraft): Promise<LifecycleResult> {
    return this.#serially(() => this.#sessionUpdate(update), delivery);
  }

  /** The call's CDR: fills duration, billable seconds and disposition, and ends a call still open. */
  cdr(cdr: CdrInput, delivery?: DeliveryDraft): Promise<LifecycleResult> {
    return this.#serially(() => this.#cdr(cdr), delivery);
  }

  async #route(facts: CallFacts, plan: RoutePlan): Promise<RouteAnswer> {
    const existing = this.#store.read();
    if (existing) return { cxml: existing.responses.route ?? endCxml({ type: "hangup" }), state: existing.state, duplicate: true };
    const now = Date.now();
    const call = newCallData(facts, plan, now);
    this.#journal.apply(call, "route", "call.started", { direction: plan.direction, ruleId: plan.ruleId });
    const cxml = await this.#continue(call, (ports) => advance(call, plan.stages, 0, null, ports, valuesOf(call)));
    call.responses.route = cxml;
    return this.#commit(call, cxml, false, `routed:${call.state}`);
  }

  /** Cloudonix called the Dial action: the attempt ended; fail over or finish. */
  async #dialResult(attempt: number, dialStatus: string, plan: RoutePlan, dialDurationSec?: number): Promise<RouteAnswer> {
    const call = this.#store.read();
    if (!call) return { cxml: endCxml({ type: "hangup" }), state: "completed", duplicate: false };
    const key = `dial:${attempt}`;
    const stored = call.responses[key];
    if (stored) return { cxml: stored, state: call.state, duplicate: true };
    const current = call.record.attempts.at(-1);
    if (!current || current.n !== attempt || isTerminal(call.state)) {
      noteRefused(call, `dial result for attempt ${attempt} ignored (current attempt ${current?.n ?? "none"}, state ${call.state})`);
      const cxml = endCxml({ type: "hangup" });
      call.responses[key] = cxml;
      return this.#commit(call, cxml, true, "duplicate");
    }
    const now = Date.now();
    current.endedAt = now;
    current.dialStatus = dialStatus;
    let cxml: string;
    const outcome = dialOutcomeOf(dialStatus, current.via === "stream");
    if (outcome !== "answered") {
      current.outcome = "failed";
      current.durationSec = 0;
      this.#journal.apply(call, "dial_failed", "call.attempt_failed", { attempt, dialStatus, targetId: current.targetId });
      cxml = await this.#continue(call, (ports) => afterFailure(call, plan.stages, current, outcome, ports, valuesOf(call)));
    } else {
      const { answeredAt, talked } = answeredLeg(call, this.#journal, current, dialDurationSec, now);
      markAnswered(call, this.#journal, answeredAt, { attempt, targetId: current.targetId });
      await this.#ended(call, "hangup", dialStatus, now, talked);
      cxml = endCxml({ type: "hangup" });
    }
    call.responses[key] = cxml;
    return this.#commit(call, cxml, false, `dial:${dialStatus.toLowerCase()}:${call.state}`);
  }

  async #waitPoll(poll: number, plan: RoutePlan): Promise<RouteAnswer> {
    const call = this.#store.read();
    if (!call) return { cxml: endCxml({ type: "hangup" }), state: "completed", duplicate: false };
    const key = `wait:${poll}`;
    const stored = call.responses[key];
    if (stored) return { cxml: stored, state: call.state, duplicate: true };
    if (!call.wait || poll !== call.wait.polls + 1 || isTerminal(call.state)) {
      noteRefused(call, `wait try ${poll} ignored (${call.wait ? `expected try ${call.wait.polls + 1}` : "not waiting"}, state ${call.state})`);
      return this.#commit(call, endCxml({ type: "hangup" }), true, "duplicate");
    }
    const cxml = await this.#continue(call, (ports) => pollWait(call, plan.stages, ports, valuesOf(call)));
    // Only the latest try's answer is kept for a repeat: a long wait must not grow the call.
    delete call.responses[`wait:${poll - 1}`];
    call.responses[key] = cxml;
    return this.#commit(call, cxml, false, call.wait ? `waiting:${call.wait.position}` : `waited:${call.record.wait?.outcome ?? "over"}:${call.state}`);
  }

  async #sessionUpdate(update: SessionUpdateInput): Promise<LifecycleResult> {
    const call = this.#store.read();
    if (!call) return { known: false, state: null, applied: false };
    // A repeated event changes nothing, and costs no write.
    if (seenEvent(call, update.eventId)) return { known: true, state: call.state, applied: false };
    const before = call.seq;
    const { event, at } = sessionEvent(call, update, Date.now());
    if (event === "ring") this.#journal.apply(call, "ring", "call.ringing", { status: update.status });
    else if (event === "answer") markAnswered(call, this.#journal, at, { status: update.status });
    else if (event === "hangup" || event === "fail") await this.#ended(call, event, update.status, at);
    else noteRefused(call, `session status ${update.status} carries no call event`);
    return this.#commitLifecycle(call, "session", call.seq > before);
  }

  async #cdr(reported: CdrInput): Promise<LifecycleResult> {
    const call = this.#store.read();
    if (!call) return { known: false, state: null, applied: false };
    // One CDR per finished call: another is a redelivery and changes nothing.
    if (call.record.disposition !== null) return { known: true, state: call.state, applied: false };
    // Figures that cannot be true are dropped here, before anything uses them, and flagged.
    const { cdr, rejected } = usableCdr(call, reported, Date.now());
    if (!isTerminal(call.state)) {
      if (cdr.answered) markAnswered(call, this.#journal, cdr.answeredAt, { via: "cdr" });
      await this.#ended(call, cdr.answered || mapSessionStatus(cdr.status) === "hangup" ? "hangup" : "fail", cdr.status, cdr.endedAt);
    }
    recordCdr(call, this.#journal, cdr, rejected);
    return this.#commitLifecycle(call, "cdr", true);
  }

  /** The call ended (whichever channel said so first): free the slot once, feed agent health. */
  async #ended(call: CallData, event: "hangup" | "fail", status: string, at: number | undefined, talkedSec?: number): Promise<void> {
    const ending = beginEnd(call, event, status, at);
    if (!ending) return;
    const ports = this.#ports(call);
    await leaveWaitingRoom(call, this.#journal, ports, at ?? Date.now());
    await freeSlot(call, ports, ending.result);
    finishEnd(call, this.#journal, event, status, at, talkedSec);
  }

  /** For tests and the records API: the call as this object knows it. */
  async snapshot(): Promise<{ state: CallState; record: Omit<CallRecordState, "decision">; trace: CallData["trace"]; slot: CallData["slot"] } | null> {
    const call = this.#store.read();
    if (!call) return null;
    // The record's decision is the trace itself; it travels once.
    const { decision: _decision, ...record } = call.record;
    return { state: call.state, record, trace: call.trace, slot: call.slot };
  }

  /** Per-call live view: a WebSocket upgrade forwarded by GET /api/realtime/calls/{callId} (lib/call-viewers.ts). */
  async fetch(request: Request): Promise<Response> {
    const call = this.#store.read();
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
    this.#store.forget();
    const call = this.#store.read();
    if (!call) return;
    const now = Date.now();
    if (!isTerminal(call.state) && now >= this.#store.silenceDeadline(call)) {
      const ports = this.#ports(call);
      await leaveWaitingRoom(call, this.#journal, ports, now);
      await freeSlot(call, ports, null);
      const attempt = call.record.attempts.at(-1);
      if (attempt && attempt.endedAt === undefined) attempt.endedAt = now;
      this.#journal.apply(call, "time_out", "call.ended", { reason: "timeout", lastState: call.state });
      call.record.endReason = "timeout";
      this.#save(call);
    } else if (needsSettling(call) && now >= call.lastActivityAt + this.#store.settleMs()) {
      call.settledSeq = call.seq;
      call.outbox = { ...(call.outbox ?? { queue: [], hub: [] }), settle: call.seq };
      this.#save(call);
    } else if (isTerminal(call.state) && now >= call.lastActivityAt + RETAIN_ENDED_MS) {
      // What was delivered stays in the stored outbox until a write prunes it, and an ended call
      // has no more writes: send what may be left, then forget the call if nothing is.
      await this.#store.flush();
      if (!this.#store.pending(call)) {
        await this.#store.erase();
        return;
      }
    }
    await this.#store.flush();
    const current = this.#store.read();
    if (current) await this.#store.rearm(current);
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
      const waiting = call.wait ?? null;
      const result = await step(ports);
      Object.assign(call, result.cursor);
      // A waiting caller's tries that change nothing stay out of the trace (a long wait must not grow it).
      if (!waiting || !result.cursor.wait) call.trace.picks.push(...result.picks);
      if (waiting) notePoll(call, this.#journal, result.step.type === "wait" ? result.step.position : null, Date.now());
      if (result.waitEnded) finishWait(call, this.#journal, result.waitEnded, Date.now());
      return await takeStep(call, this.#journal, result.step, waiting !== null, this.env.ENCRYPTION_KEY);
    } catch (err) {
      const claimed = ports.claimed;
      if (claimed && claimed !== call.slot) {
        await this.env.GROUP_BALANCER.getByName(claimed.balancer)
          .release(call.facts.callKey)
          .catch((releaseErr: Error) => log.warn("call.slot_release_failed", { callKey: call.facts.callKey, balancer: claimed.balancer, error: releaseErr }));
      }
      throw err;
    }
  }

  #ports(call: CallData): ReturnType<typeof balancerPorts> {
    return balancerPorts(this.env, call, this.#journal, this.#store.claimLifetimeMs());
  }

  async #commit(call: CallData, cxml: string, duplicate: boolean, outcome: string): Promise<RouteAnswer> {
    if (this.#delivery) this.#journal.deliver(this.#delivery, outcome, cxml);
    const taken = this.#journal.take();
    await this.#store.commit(call, taken);
    this.#showViewers(call, taken.live);
    return { cxml, state: call.state, duplicate, recorded: taken.deliveries.length > 0, agentId: call.record.agentId, groupId: call.record.groupId };
  }

  /** A session update's or CDR's commit: the delivery record carries the JSON answer the Worker gives. */
  async #commitLifecycle(call: CallData, kind: "session" | "cdr", applied: boolean): Promise<LifecycleResult> {
    const answer = JSON.stringify({ ok: true, state: call.state, applied });
    const { recorded } = await this.#commit(call, answer, false, applied ? `${kind}:${call.state}` : `${kind}:ignored`);
    return { known: true, state: call.state, applied, recorded };
  }

  /** Saves outside a request's answer (the alarm): the same single write, and the viewers see it. */
  #save(call: CallData): void {
    const taken = this.#journal.take();
    this.#store.save(call, taken);
    this.#showViewers(call, taken.live);
  }

  /**
   * The call's own viewers see its events at once; the tenant's dashboards get them through
   * the outbox, which retries until the hub has them (the hub drops resends by call and seq).
   */
  #showViewers(call: CallData, events: HubEvent[]): void {
    broadcastToViewers(this.ctx, events, isTerminal(call.state));
  }
}
