import type { RetryOutcome, RetryPolicy } from "./types";

/*
 * What a contact's attempt outcome means for the contact: answered ends it; busy, no answer and
 * failed are tried again after the policy's spacing while the contact has had fewer attempts, in
 * all, than the policy allows for that outcome.
 */

export type AttemptOutcome = "answered" | RetryOutcome;

export type AfterAttempt = { done: true; result: AttemptOutcome } | { done: false; nextAt: number };

export function afterAttempt(policy: RetryPolicy, outcome: AttemptOutcome, attempts: number, now: number): AfterAttempt {
  if (outcome === "answered") return { done: true, result: "answered" };
  const rule = policy[outcome];
  if (attempts >= rule.attempts) return { done: true, result: outcome };
  return { done: false, nextAt: now + rule.spacingMinutes * 60_000 };
}

/**
 * A Cloudonix session status as an attempt outcome (null: not an end). Statuses are lower-case on
 * the wire; `completed` and `external` end a call that was answered.
 */
export function sessionOutcome(status: string, answered: boolean): AttemptOutcome | null {
  switch (status.trim().toLowerCase()) {
    case "completed":
    case "external":
    case "hangup":
      return "answered";
    case "busy":
      return answered ? "answered" : "busy";
    case "noanswer":
    case "no-answer":
    case "no_answer":
      return answered ? "answered" : "noAnswer";
    case "failed":
    case "error":
    case "congestion":
    case "nocredit":
    case "cancel":
    case "canceled":
    case "cancelled":
      return answered ? "answered" : "failed";
    default:
      return null;
  }
}
