import type { CallAttempt } from "../../workers/queue/messages";
import { checkCdr, checkDialDuration, checkTime, settleFlags, type Measured } from "../logic/call-figures";
import { failureBlamesAgent, isTerminal, mapSessionStatus, type CallEvent } from "../../workers/domain/call-machine";
import type { CallJournal } from "./journal";
import { noteRefused, type CallData, type CdrInput, type SessionUpdateInput } from "./model";

/*
 * The record-keeping of a call's life after routing: answers, ends, session times and the CDR,
 * as pure steps on the call's data. The CallSession frees slots (the only I/O) between them.
 */

/** What the record measured itself, for checking a reported figure against. */
export function measuredOf(call: CallData): Measured {
  const { record } = call;
  return { startedAt: record.startedAt, answeredAt: record.answeredAt, endedAt: isTerminal(call.state) ? record.endedAt : null, answered: record.answeredAt !== null };
}

/** The dialled leg answered; its slot stays held until the call ends. */
export function markAnswered(call: CallData, journal: CallJournal, at: number | undefined, data: Record<string, unknown>): void {
  const wasConnected = call.state === "connected";
  journal.apply(call, "answer", "call.answered", data);
  if (wasConnected || call.state !== "connected") return;
  if (at) call.record.answeredAt = at;
  const attempt = call.record.attempts.at(-1);
  if (attempt && !attempt.outcome) attempt.outcome = "answered";
}

/**
 * The call is ending (whichever channel said so first): the last attempt's outcome, and what its
 * slot's release tells the agent's health. Null when the call had ended already (noted).
 */
export function beginEnd(call: CallData, event: "hangup" | "fail", status: string, at: number | undefined): { result: "success" | "failure" | null } | null {
  if (isTerminal(call.state)) {
    noteRefused(call, `call is ${call.state}; status ${status} is ignored`);
    return null;
  }
  const attempt = call.record.attempts.at(-1);
  const answered = call.state === "connected";
  // A session that fails while an agent is ringing is that agent's failure; a caller who hangs
  // up or cancels before the answer, or an account without credit, is nobody's. An answered
  // call's success counts here too, with the release: one balancer request per call fewer.
  const agentFailed = !answered && event === "fail" && failureBlamesAgent(status);
  const result = answered ? "success" : agentFailed && attempt && !attempt.outcome ? "failure" : null;
  if (attempt && !attempt.outcome) attempt.outcome = answered ? "answered" : agentFailed ? "failed" : "ended";
  // An answered attempt has its outcome already; it still ends here, with the call.
  if (attempt && attempt.endedAt === undefined) {
    attempt.endedAt = at ?? Date.now();
    attempt.dialStatus ??= status;
  }
  return { result };
}

/** Ends the call once its slot is freed. `talkedSec`: Cloudonix's talk time, over our own times. */
export function finishEnd(call: CallData, journal: CallJournal, event: "hangup" | "fail", status: string, at: number | undefined, talkedSec?: number): void {
  const answered = call.state === "connected";
  const attempt = call.record.attempts.at(-1);
  call.record.endReason = answered ? "completed" : event === "fail" ? status.toLowerCase() : "caller_hangup";
  // Before the transition, so the call.ended event already carries Cloudonix's end time.
  const end = at ?? Date.now();
  call.record.endedAt = end;
  call.record.durationSec = answered && call.record.answeredAt ? (talkedSec ?? Math.max(0, Math.round((end - call.record.answeredAt) / 1000))) : 0;
  if (attempt && attempt.durationSec === undefined) attempt.durationSec = attempt.outcome === "answered" ? call.record.durationSec : 0;
  journal.apply(call, event, "call.ended", { reason: call.record.endReason, status });
}

/**
 * The answered leg has ended: it did its job. Cloudonix's DialCallDuration is the leg's talk
 * time; without it (or when it cannot be true) the times we saw count.
 */
export function answeredLeg(call: CallData, journal: CallJournal, attempt: CallAttempt, dialDurationSec: number | undefined, now: number): { answeredAt: number; talked: number | undefined } {
  const rejected = checkDialDuration(attempt.n, dialDurationSec, attempt.startedAt, now);
  const talked = rejected ? undefined : dialDurationSec;
  const answeredAt = call.record.answeredAt ?? (talked !== undefined ? now - talked * 1000 : attempt.startedAt);
  attempt.durationSec = talked ?? Math.max(0, Math.round((now - answeredAt) / 1000));
  journal.flag(call, rejected ? [rejected] : []);
  return { answeredAt, talked };
}

/**
 * A session update as a call event and the time it carries. Only the time the event uses is
 * checked, and only while the call can still use it; one that cannot be true is replaced by our
 * own (when the update arrived) and flagged before the event, which carries the record.
 */
export function sessionEvent(call: CallData, update: SessionUpdateInput, now: number): { event: CallEvent | null; at: number | undefined } {
  const event = mapSessionStatus(update.status);
  const field = event === "answer" ? "answeredAt" : event === "hangup" || event === "fail" ? "endedAt" : null;
  const rejected = field && !isTerminal(call.state) ? checkTime(field, update[field], measuredOf(call), now) : null;
  const at = rejected ? now : field ? update[field] : undefined;
  if (rejected) call.record.flags = settleFlags(call.record.flags, [rejected], () => at);
  return { event, at };
}

/** The CDR's usable figures (those that cannot be true dropped) and the rejected ones. */
export function usableCdr(call: CallData, reported: CdrInput, now: number): { cdr: CdrInput; rejected: ReturnType<typeof checkCdr>["rejected"] } {
  const { usable, rejected } = checkCdr(reported, measuredOf(call), now);
  const cdr: CdrInput = { ...reported, ...usable, status: usable.answered && !reported.answered ? "completed" : reported.status };
  for (const r of rejected) if (r.field !== "disposition") delete cdr[r.field as keyof CdrInput];
  return { cdr, rejected };
}

/** Writes the CDR's figures onto the record, flags what was rejected, and journals it. */
export function recordCdr(call: CallData, journal: CallJournal, cdr: CdrInput, rejected: ReturnType<typeof checkCdr>["rejected"]): void {
  const { record } = call;
  record.disposition = cdr.disposition.toUpperCase();
  if (cdr.durationSec !== undefined) record.durationSec = cdr.durationSec;
  if (cdr.billableSec !== undefined) record.billableSec = cdr.billableSec;
  if (cdr.answeredAt) record.answeredAt = cdr.answeredAt;
  if (cdr.endedAt) record.endedAt = cdr.endedAt;
  if (cdr.quality) record.quality = cdr.quality;
  journal.flag(call, rejected);
  journal.note(call, "call.cdr", { disposition: record.disposition, durationSec: record.durationSec, billableSec: record.billableSec, flagged: rejected.map((r) => r.field) });
}
