import type { CarrierHeaders } from "../../workers/domain/carrier-headers";
import { newId } from "../../workers/lib/ids";
import type { CdrQuality } from "../../workers/webhooks/cdr-quality";
import type { CallRecordState } from "../../workers/queue/messages";
import type { CallValues } from "../../workers/domain/call-context";
import type { CallTrace } from "../../workers/contracts/trace";
import type { FlowCursor } from "../../workers/routing/call-flow";
import type { RoutePlan } from "../../workers/routing/decide";
import { DIAL_TIMEOUT_SECONDS } from "../../workers/routing/dial-cxml";
import type { HubEvent, LiveCallSummary } from "../hub-events";
import type { Outbox } from "./outbox";
import { callStart } from "../logic/call-figures";
import { isTerminal, type CallState } from "../../workers/domain/call-machine";
import { WAITING_SILENCE_MS } from "../../workers/domain/overflow";

/** What a CallSession stores and answers: the call's facts, state, record and trace. */

/** Ringing with no dial result for this long means Cloudonix lost the leg. */
export const RINGING_SILENCE_MS = (DIAL_TIMEOUT_SECONDS + 90) * 1000;
/** Ended calls keep their state this long, so late duplicates still get the same answer. */
export const RETAIN_ENDED_MS = 24 * 3_600_000;

export interface CallFacts {
  tenantId: string;
  callKey: string;
  callSid: string | null;
  session: string | null;
  from: string;
  to: string;
  callerName: string | null;
  baseUrl: string;
  /** Cloudonix's numeric session id (SessionData.id), when the request carried one. */
  cxSessionId?: number | null;
  /** When Cloudonix started the call (SessionData.callStartTime), when it said. */
  callStartTime?: number | null;
  /** The carrier's SIP headers of a trunk-inbound call, bounded (workers/webhooks/carrier-headers.ts). */
  carrierHeaders?: CarrierHeaders | null;
  /** Cloudonix's Diverted (the diverting account) and AssertedIdentity, when sent. */
  diverted?: string | null;
  assertedIdentity?: string | null;
  /** Parameters every Dial action URL of the call carries (a campaign call's campaign and contact). */
  actionQuery?: string | null;
}

export interface SessionUpdateInput {
  status: string;
  answeredAt?: number;
  endedAt?: number;
  /** Cloudonix's id of this session event, when it sent one. */
  eventId?: string;
}

export interface CdrInput {
  disposition: string;
  /** The session status the disposition stands for (completed, busy, noanswer, …). */
  status: string;
  /** Disposition ANSWER or billed seconds: the call was answered, whatever `status` says. */
  answered: boolean;
  durationSec?: number;
  billableSec?: number;
  answeredAt?: number;
  endedAt?: number;
  /** Quality, cost, AMD, recording and route, as far as the CDR reported them readably. */
  quality?: CdrQuality;
}

export interface LifecycleResult {
  known: boolean;
  state: CallState | null;
  applied: boolean;
  /** The webhook's delivery record went out with the call's events (the Worker sends none). */
  recorded?: boolean;
}

export interface RouteAnswer {
  cxml: string;
  state: CallState;
  duplicate: boolean;
  recorded?: boolean;
  /** The decision's agent and group so far, for the Worker's metrics. */
  agentId?: string | null;
  groupId?: string | null;
}

export type { DeliveryDraft } from "../../workers/queue/messages";

export type { PickTrace } from "../../workers/routing/call-flow";

/** The call as its object stores it: the flow's cursor (where it is in its plan) and the rest. */
export interface CallData extends FlowCursor {
  facts: CallFacts;
  state: CallState;
  seq: number;
  record: CallRecordState;
  trace: CallTrace;
  responses: Record<string, string>;
  lastActivityAt: number;
  /** The last session-update eventIds applied, so a repeated event is applied once. */
  seenEventIds?: string[];
  /** The event number whose record the call last re-sent itself (see needsSettling). */
  settledSeq?: number;
  /** Events still to be delivered (call/outbox.ts); absent on calls stored before it moved here. */
  outbox?: Outbox;
  /** Webhook delivery records this call has carried, to number the next. */
  deliveryCount?: number;
}

/** Default for CALL_SETTLE_SECONDS: how long after its last event an ended call re-sends its final record. */
export const SETTLE_AFTER_SECONDS = 60;

/**
 * An ended call re-sends its final record once things have gone quiet: the Queue only promises
 * what it holds, and a crash between its accepting a message and storing it would otherwise lose
 * the call's billing record for good. The re-send is idempotent (same event number).
 */
export const needsSettling = (call: CallData): boolean => isTerminal(call.state) && (call.settledSeq ?? 0) < call.seq;

/** How many refusals a call's trace keeps: a stream of stray updates cannot grow it without bound. */
export const MAX_REFUSED = 50;
const SEEN_EVENT_IDS = 32;

/** Notes in the trace why an update changed nothing (the first MAX_REFUSED of them). */
export function noteRefused(call: CallData, why: string): void {
  if (call.trace.refused.length < MAX_REFUSED) call.trace.refused.push(why);
}

/** Whether a session-update event was applied before; remembers it otherwise. */
export function seenEvent(call: CallData, eventId: string | undefined): boolean {
  if (eventId === undefined) return false;
  const seen = (call.seenEventIds ??= []);
  if (seen.includes(eventId)) return true;
  seen.push(eventId);
  if (seen.length > SEEN_EVENT_IDS) seen.shift();
  return false;
}

export function newCallData(facts: CallFacts, plan: RoutePlan, now: number): CallData {
  const start = callStart(facts.callStartTime ?? null, now);
  return {
    facts,
    state: "initiated",
    seq: 0,
    record: {
      recordId: newId("cal", now),
      direction: plan.direction,
      fromNumber: facts.from,
      toNumber: facts.to,
      callerName: facts.callerName,
      status: "initiated",
      disposition: null,
      endReason: null,
      ruleId: plan.ruleId,
      groupId: null,
      agentId: null,
      trunkId: null,
      attempts: [],
      decision: null,
      startedAt: start.startedAt,
      answeredAt: null,
      endedAt: null,
      durationSec: null,
      billableSec: null,
      cxSessionId: facts.cxSessionId ?? null,
      ...(start.flag ? { flags: [start.flag] } : {}),
      ...(facts.carrierHeaders ? { carrierHeaders: facts.carrierHeaders } : {}),
    },
    trace: { ...plan.trace, picks: [], refused: [] },
    stageIndex: 0,
    stageKey: null,
    candidates: [],
    attemptsInStage: 0,
    slot: null,
    responses: {},
    lastActivityAt: now,
  };
}

/**
 * How long the balancer keeps a call's slot when nobody frees it. The CallSession frees it when
 * the call ends, at the latest by the alarm that ends a connected call silent for the call
 * timeout; the claim must outlast that alarm, or a long call would lose its slot while it talks.
 */
export const CLAIM_MARGIN_MS = 15 * 60_000;

export function claimLifetimeMs(callTimeoutMs: number): number {
  return callTimeoutMs + RINGING_SILENCE_MS + CLAIM_MARGIN_MS;
}

/** When a live call that hears nothing more is ended by the alarm (a waiting caller tries again each clip of hold music). */
export function silenceDeadline(call: CallData, connectedTimeoutMs: number): number {
  return call.lastActivityAt + (call.state === "connected" ? connectedTimeoutMs : call.wait ? WAITING_SILENCE_MS : RINGING_SILENCE_MS);
}

const CALL_EVENT_TYPES: Record<string, string> = { "call.started": "call.started", "call.ended": "call.ended" };

/** The live event of the call's event numbered call.seq, keyed by it so the hub shows a resend once. */
export function hubEventOf(call: CallData, type: string, data: Record<string, unknown>): HubEvent {
  const { record } = call;
  const key = { stream: call.facts.callKey, seq: call.seq };
  if (!type.startsWith("call.")) return { type, at: call.lastActivityAt, data: { ...data, callId: call.facts.callKey }, key };
  const live: LiveCallSummary = {
    callId: call.facts.callKey,
    recordId: record.recordId,
    state: call.state,
    direction: record.direction,
    from: record.fromNumber,
    to: record.toNumber,
    ruleId: record.ruleId,
    groupId: record.groupId,
    agentId: record.agentId,
    trunkId: record.trunkId,
    attempt: record.attempts.length,
    startedAt: record.startedAt,
    answeredAt: record.answeredAt,
    endedAt: record.endedAt,
    waiting: record.wait?.outcome === "waiting" ? { position: record.wait.lastPosition, since: record.wait.enteredAt } : null,
  };
  return { type: CALL_EVENT_TYPES[type] ?? "call.updated", at: call.lastActivityAt, data: { ...live, event: type, detail: data }, key };
}

/** What call-context templates can use of this call (the stage adds rule and group). */
export function valuesOf(call: CallData): CallValues {
  const { facts, record } = call;
  return {
    caller: facts.from,
    called: facts.to,
    callerName: facts.callerName,
    ruleId: record.ruleId,
    callId: record.recordId,
    session: facts.session,
    diverted: facts.diverted ?? null,
    assertedIdentity: facts.assertedIdentity ?? null,
    headers: facts.carrierHeaders ?? null,
  };
}
