import type { CallAttempt, CallEventMessage, CallRecordState } from "../../../workers/queue/messages";
import { newId } from "../../../workers/lib/ids";

/*
 * Call-event queue messages built by hand, for tests that store records without running calls
 * (the webhook tests cover the real path). Each call gets its own record id and call id.
 */

export interface CallSpec {
  startedAt: number;
  status?: string;
  direction?: "inbound" | "outbound";
  from?: string;
  to?: string;
  groupId?: string | null;
  agentId?: string | null;
  ruleId?: string | null;
  answeredAfterSec?: number | null;
  durationSec?: number | null;
  attempts?: Pick<CallAttempt, "targetId" | "groupId" | "outcome">[];
  decision?: unknown;
}

export function callRecordState(spec: CallSpec, recordId = newId("cal", spec.startedAt)): CallRecordState {
  const status = spec.status ?? "completed";
  const terminal = ["completed", "failed", "timeout"].includes(status);
  const answeredAt = spec.answeredAfterSec === null || spec.answeredAfterSec === undefined ? null : spec.startedAt + spec.answeredAfterSec * 1000;
  const durationSec = spec.durationSec === undefined ? (terminal ? 0 : null) : spec.durationSec;
  return {
    recordId,
    direction: spec.direction ?? "inbound",
    fromNumber: spec.from ?? "14155550100",
    toNumber: spec.to ?? "18005550199",
    callerName: null,
    status,
    disposition: null,
    endReason: terminal ? "completed" : null,
    ruleId: spec.ruleId ?? null,
    groupId: spec.groupId ?? null,
    agentId: spec.agentId ?? null,
    trunkId: null,
    attempts: (spec.attempts ?? []).map((a, i) => ({
      n: i + 1,
      stage: "group",
      kind: "agent",
      targetId: a.targetId,
      targetName: a.targetId,
      groupId: a.groupId,
      startedAt: spec.startedAt + i * 1000,
      ...(a.outcome ? { outcome: a.outcome } : {}),
    })),
    decision: spec.decision ?? { test: true },
    startedAt: spec.startedAt,
    answeredAt,
    endedAt: terminal ? spec.startedAt + ((spec.answeredAfterSec ?? 0) + (durationSec ?? 0)) * 1000 : null,
    durationSec,
    billableSec: null,
  };
}

export function callMessage(tenantId: string, callId: string, seq: number, record: CallRecordState, type = "call.updated"): CallEventMessage {
  return { kind: "call_event", tenantId, callId, seq, type, at: record.startedAt + seq, data: { seq }, record };
}

export const newTestCallId = () => `test-${crypto.randomUUID()}`;
