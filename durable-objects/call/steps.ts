import { decryptSecret } from "../../workers/lib/secrets";
import type { FlowStep, PlannedAttempt } from "../../workers/routing/call-flow";
import { dialCxml, dialResultUrl, endCxml, waitCxml, waitPollUrl } from "../../workers/routing/dial-cxml";
import type { EndStage } from "../../workers/routing/plan-types";
import type { CallJournal } from "./journal";
import type { CallData } from "./model";
import { enterWait } from "./waiting";

/*
 * A step of the call flow carried out on the call: the attempt or end on its record, the event
 * in its journal, and the CXML that tells Cloudonix to do it.
 */

/** `wasWaiting`: the step answers a waiting caller's try (the room's message was said already). */
export function takeStep(call: CallData, journal: CallJournal, step: FlowStep, wasWaiting: boolean, encryptionKey: string): Promise<string> | string {
  switch (step.type) {
    case "end":
      return endStep(call, journal, step.stage, step.reason);
    case "dial":
      return dialStep(call, journal, step.attempt, encryptionKey);
    case "wait":
      if (!wasWaiting) enterWait(call, journal, step.groupId, step.position, step.stage.room.maxWaitSec, Date.now());
      return waitCxml(step.stage.room, { position: step.position, first: !wasWaiting, redirectUrl: waitPollUrl(call.facts.baseUrl, step.poll, call.facts.actionQuery) });
  }
}

async function dialStep(call: CallData, journal: CallJournal, attempt: PlannedAttempt, encryptionKey: string): Promise<string> {
  const n = call.record.attempts.length + 1;
  const { kind, targetId, targetName, provider, groupId } = attempt;
  call.record.attempts.push({ n, stage: attempt.stage, kind, via: attempt.target.kind, targetId, targetName, provider, groupId, startedAt: Date.now() });
  if (kind === "agent") {
    call.record.groupId = groupId;
    call.record.agentId = targetId;
  } else if (kind === "trunk") call.record.trunkId = targetId;
  journal.apply(call, "dial", "call.attempt_started", { attempt: n, kind, targetId, targetName });
  const password = attempt.passwordEnc ? await decryptSecret(attempt.passwordEnc, encryptionKey) : undefined;
  return dialCxml(attempt.target, { actionUrl: dialResultUrl(call.facts.baseUrl, n, call.facts.actionQuery), password, timeLimitSec: attempt.timeLimitSec, context: attempt.context });
}

function endStep(call: CallData, journal: CallJournal, stage: EndStage, reason?: string): string {
  const delivered = stage.action.type === "announcement";
  call.record.endReason = reason ?? (call.record.attempts.length ? "all_attempts_failed" : stage.label.replace(/\s+/g, "_"));
  journal.apply(call, delivered ? "hangup" : "fail", "call.ended", { reason: call.record.endReason, action: stage.action.type });
  return endCxml(stage.action);
}
