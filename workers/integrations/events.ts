import type { EventType } from "../domain/integrations";
import type { CallAttempt, CallEventMessage, CallRecordState } from "../queue/messages";

/*
 * The events tenants receive, built from what the router already records. Pure: no I/O.
 *
 * Every delivery's body is one event:
 *   { "id": "evt_…", "type": "call.ended", "createdAt": ISO, "tenantId": "ten_…",
 *     "call": { "id": "<call id>", "seq": 7 } | null, "data": { … } }
 * A call's events carry its id and per-call sequence number; `id` is derived from them, so the
 * same call event is the same event id however often the queue hands it to us.
 */

export interface OutgoingEvent {
  id: string;
  type: EventType;
  createdAt: string;
  tenantId: string;
  call: { id: string; seq: number } | null;
  data: Record<string, unknown>;
}

const encoder = new TextEncoder();

export async function shortHash(text: string, hexChars = 32): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
  return [...digest]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("")
    .slice(0, hexChars);
}

/** A call event's id: the same for the same (tenant, call, seq), whoever computes it. */
export const callEventId = async (tenantId: string, callId: string, seq: number) => `evt_${await shortHash(`${tenantId}\u0000${callId}\u0000${seq}`)}`;

/** A delivery's id (its idempotency id): one per event and destination ("ep:<id>" or "slack:<rule id>"). */
export const deliveryId = async (destination: string, eventId: string) => `evd_${await shortHash(`${destination}\u0000${eventId}`)}`;

const iso = (ms: number | null | undefined) => (typeof ms === "number" && Number.isFinite(ms) ? new Date(ms).toISOString() : null);

function attemptOf(a: CallAttempt) {
  return {
    n: a.n,
    stage: a.stage,
    kind: a.kind,
    targetId: a.targetId,
    targetName: a.targetName,
    groupId: a.groupId,
    startedAt: iso(a.startedAt),
    endedAt: iso(a.endedAt),
    outcome: a.outcome ?? null,
    dialStatus: a.dialStatus ?? null,
    talkSec: a.durationSec ?? null,
  };
}

/** The call's facts every call.* event carries. */
function callFacts(callId: string, r: CallRecordState) {
  return {
    callId,
    recordId: r.recordId,
    direction: r.direction,
    from: r.fromNumber,
    to: r.toNumber,
    status: r.status,
    ruleId: r.ruleId,
    groupId: r.groupId,
    agentId: r.agentId,
    trunkId: r.trunkId,
    startedAt: iso(r.startedAt),
    answeredAt: iso(r.answeredAt),
    endedAt: iso(r.endedAt),
  };
}

const pick = (value: unknown, key: string): unknown => (typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined);

/** What routing decided, from the recorded trace: the rule, the direction and why, the default fallback. */
function decisionSummary(r: CallRecordState) {
  const trace = r.decision;
  const rule = pick(trace, "rule");
  return {
    direction: r.direction,
    directionReason: typeof pick(trace, "directionReason") === "string" ? pick(trace, "directionReason") : null,
    rule: rule && typeof rule === "object" ? { id: pick(rule, "id") ?? null, name: pick(rule, "name") ?? null, pattern: pick(rule, "pattern") ?? null } : null,
    usedDefaultFallback: pick(trace, "usedDefaultFallback") === true,
    groupId: r.groupId,
    trunkId: r.trunkId,
  };
}

function agentOf(r: CallRecordState) {
  if (!r.agentId) return null;
  const attempt = [...r.attempts].reverse().find((a) => a.kind === "agent" && a.targetId === r.agentId);
  return { id: r.agentId, name: attempt?.targetName ?? null, provider: attempt?.provider ?? null };
}

const seconds = (from: number | null, to: number | null) => (from !== null && to !== null && to >= from ? Math.round((to - from) / 1000) : null);

/**
 * The event a stored call message stands for, or null when it is none of ours (a ringing, a
 * CDR, a first dial, the call settling its record).
 */
export async function eventOfCallMessage(m: CallEventMessage): Promise<OutgoingEvent | null> {
  if (m.settle) return null;
  const r = m.record;
  const base = { tenantId: m.tenantId, createdAt: iso(m.at) ?? new Date().toISOString(), call: { id: m.callId, seq: m.seq } };
  const event = (type: EventType, data: Record<string, unknown>) => callEventId(m.tenantId, m.callId, m.seq).then((id): OutgoingEvent => ({ id, type, ...base, data }));
  switch (m.type) {
    case "call.started":
      return event("call.started", { ...callFacts(m.callId, r), decision: decisionSummary(r) });
    case "call.answered": {
      const attempt = r.attempts.at(-1);
      return event("call.answered", { ...callFacts(m.callId, r), agent: agentOf(r), attempt: attempt ? attemptOf(attempt) : null });
    }
    case "call.attempt_started": {
      // A second or later dial is a failover: the attempt before it failed.
      const n = Number(m.data.attempt);
      if (!Number.isInteger(n) || n < 2) return null;
      const failed = r.attempts.find((a) => a.n === n - 1);
      const next = r.attempts.find((a) => a.n === n);
      return event("call.failed_over", { ...callFacts(m.callId, r), failed: failed ? attemptOf(failed) : null, next: next ? attemptOf(next) : null });
    }
    case "call.ended":
      return event("call.ended", {
        ...callFacts(m.callId, r),
        outcome: { status: r.status, disposition: r.disposition, endReason: r.endReason, answered: r.answeredAt !== null },
        decision: decisionSummary(r),
        agent: agentOf(r),
        attempts: r.attempts.map(attemptOf),
        durations: {
          totalSec: seconds(r.startedAt, r.endedAt),
          waitSec: seconds(r.startedAt, r.answeredAt),
          talkSec: r.durationSec,
          billableSec: r.billableSec,
        },
      });
    case "agent.health_changed":
      return event("agent.health_changed", { agentId: m.data.agentId ?? null, healthy: m.data.healthy === true, callId: m.callId });
    default:
      return null;
  }
}

/** An event of the tenant, not of a call (configuration changes, alerts): a fresh id. */
export function tenantEvent(tenantId: string, type: EventType, data: Record<string, unknown>, id: string, at = Date.now()): OutgoingEvent {
  return { id, type, createdAt: new Date(at).toISOString(), tenantId, call: null, data };
}
