/**
 * The life of one call as a pure transition table. CallSession applies every webhook, dial
 * callback and session update through `transition`; a refused event is a duplicate or a late
 * arrival, and is recorded and ignored rather than treated as an error.
 */

export type CallState = "initiated" | "routing" | "ringing" | "connected" | "completed" | "failed" | "timeout";
export type CallEvent = "route" | "dial" | "ring" | "answer" | "dial_failed" | "hangup" | "fail" | "time_out";

export const CALL_STATES: readonly CallState[] = ["initiated", "routing", "ringing", "connected", "completed", "failed", "timeout"];
export const CALL_EVENTS: readonly CallEvent[] = ["route", "dial", "ring", "answer", "dial_failed", "hangup", "fail", "time_out"];

/** The one list of states a call never leaves; records, rollups and live views all use it. */
export const TERMINAL_STATES = ["completed", "failed", "timeout"] as const satisfies readonly CallState[];
export const TERMINAL: ReadonlySet<string> = new Set<string>(TERMINAL_STATES);

/** Takes any string: records, snapshots and live summaries carry the state as plain text. */
export function isTerminal(s: string): boolean {
  return TERMINAL.has(s);
}

type NonTerminal = "initiated" | "routing" | "ringing" | "connected";

/**
 * Missing entries are refused. Choices the table makes:
 * - `time_out` ends any live call: the CallSession alarm fires only when nothing else did.
 * - `hangup` before an answer (initiated, routing, ringing) is the caller giving up: completed.
 * - `fail` after `answer` gives `completed`, not `failed`: the call was delivered to an agent and
 *   talked; a session that ends in an error afterwards is still a call that was answered, and
 *   counting it as failed would feed agent health with failures the agent did not cause.
 * - `ring` while ringing and `answer` while connected are idempotent, since Cloudonix reports the
 *   same status several times.
 * - `dial_failed` while ringing goes back to routing: the next candidate is dialled.
 */
const TABLE: Record<NonTerminal, Partial<Record<CallEvent, CallState>>> = {
  initiated: { route: "routing", hangup: "completed", fail: "failed", time_out: "timeout" },
  routing: { dial: "ringing", hangup: "completed", fail: "failed", time_out: "timeout" },
  ringing: {
    ring: "ringing",
    answer: "connected",
    dial_failed: "routing",
    hangup: "completed",
    fail: "failed",
    time_out: "timeout",
  },
  connected: { answer: "connected", hangup: "completed", fail: "completed", time_out: "timeout" },
};

export function transition(state: CallState, event: CallEvent): { ok: true; next: CallState } | { ok: false; reason: string } {
  if (state === "completed" || state === "failed" || state === "timeout") {
    return { ok: false, reason: `call is ${state}; "${event}" is ignored` };
  }
  const next = TABLE[state][event];
  if (next === undefined) return { ok: false, reason: `call is ${state}; "${event}" is not allowed` };
  return { ok: true, next };
}

/**
 * Cloudonix session statuses (the session-update webhook) as call events. They describe
 * the whole session, not one dial attempt, so a terminal status ends the call:
 * - new, processing: the session exists, nothing to apply → null
 * - ringing → ring
 * - connected, answer, answered → answer
 * - completed, external (handed off outside Cloudonix) → hangup
 * - busy, noanswer/no-answer, cancel/canceled/cancelled, nocredit, congestion, error, failed → fail
 *   (after an answer the table turns `fail` into completed; `failureBlamesAgent` says whether the
 *   ringing agent is to blame)
 * - anything else → null: an unknown status must not move a call.
 */
const SESSION_STATUS: Record<string, CallEvent | null> = {
  new: null,
  processing: null,
  ringing: "ring",
  connected: "answer",
  answer: "answer",
  answered: "answer",
  completed: "hangup",
  external: "hangup",
  busy: "fail",
  noanswer: "fail",
  "no-answer": "fail",
  cancel: "fail",
  canceled: "fail",
  cancelled: "fail",
  nocredit: "fail",
  congestion: "fail",
  error: "fail",
  failed: "fail",
};

export function mapSessionStatus(status: string): CallEvent | null {
  const key = status.trim().toLowerCase();
  return Object.hasOwn(SESSION_STATUS, key) ? (SESSION_STATUS[key] ?? null) : null;
}

/**
 * Session statuses (and CDR dispositions, as statuses) that end a call for a reason on the
 * caller's side: the caller hung up before the answer, or the account has no credit. Counting
 * them against the ringing agent would take healthy agents out of rotation.
 */
const CALLER_SIDE_FAILURES: ReadonlySet<string> = new Set(["cancel", "canceled", "cancelled", "nocredit"]);

/** Whether a `fail` status is the ringing agent's failure (passive health counts it). */
export function failureBlamesAgent(status: string): boolean {
  return !CALLER_SIDE_FAILURES.has(status.trim().toLowerCase());
}
