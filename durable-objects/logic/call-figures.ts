/**
 * Figures Cloudonix reports about a call (CDR duration and billsec, answer and end times,
 * DialCallDuration), checked against what the CallSession measured itself. A figure that cannot
 * be true is not used: the record keeps its own measurement and carries a flag with the value as
 * reported, so nothing is lost and nothing implausible reaches billing or analytics.
 * Pure: no Workers APIs; the clock is passed in.
 */

/** How far a reported figure may exceed what we measured: clocks and webhook latency differ a little. */
export const FIGURE_SLACK_SEC = 5;
/** A record keeps at most this many flags: a stream of bad updates cannot grow it without bound. */
export const MAX_FLAGS = 20;

/** Figures are seconds, epoch milliseconds or a disposition; plain values, so records stay serialisable over RPC. */
export type FlagValue = string | number | null;

export interface RecordFlag {
  /** The record field the figure was for (durationSec, billableSec, answeredAt, endedAt, disposition, attempts[n].durationSec). */
  field: string;
  reported: FlagValue;
  /** What the record holds instead (our own measurement; null when we have none). */
  used: FlagValue;
  reason: string;
}

/** What the call's own record said before the figure arrived. */
export interface Measured {
  startedAt: number;
  answeredAt: number | null;
  /** Null while the call is live. */
  endedAt: number | null;
  /** We saw the call answered (a dial result or session update said so). */
  answered: boolean;
}

/** A rejected figure; `used` is filled in once the record has its final value (`settleFlags`). */
export type Rejection = Omit<RecordFlag, "used">;

const seconds = (ms: number) => Math.max(0, Math.round(ms / 1000));
const SLACK_MS = FIGURE_SLACK_SEC * 1000;

/** A reported time must fall within the call as we know it: not before it reached us, not after now. */
export function checkTime(field: "answeredAt" | "endedAt", reported: number | undefined, measured: Measured, now: number): Rejection | null {
  if (reported === undefined) return null;
  if (reported < measured.startedAt - SLACK_MS) {
    return { field, reported, reason: `${new Date(reported).toISOString()} is before the call reached the router (${new Date(measured.startedAt).toISOString()})` };
  }
  if (reported > now + SLACK_MS) return { field, reported, reason: `${new Date(reported).toISOString()} is in the future (now ${new Date(now).toISOString()})` };
  if (field === "endedAt" && measured.answeredAt !== null && reported < measured.answeredAt - SLACK_MS) {
    return { field, reported, reason: `the call cannot end before it was answered (${new Date(measured.answeredAt).toISOString()})` };
  }
  return null;
}

/** Cloudonix starts a call before it asks us to route it, but not by more than this. */
export const MAX_START_LEAD_MS = 10 * 60_000;

/**
 * The call's start: Cloudonix's callStartTime when it is plausible (at most ten minutes before the
 * request reached us, not after it), else the time the request reached us, with a flag.
 */
export function callStart(reported: number | null, receivedAt: number): { startedAt: number; flag: RecordFlag | null } {
  if (reported === null) return { startedAt: receivedAt, flag: null };
  if (reported >= receivedAt - MAX_START_LEAD_MS && reported <= receivedAt + SLACK_MS) return { startedAt: Math.min(reported, receivedAt), flag: null };
  const reason = reported > receivedAt ? "is after the call reached the router" : "is more than ten minutes before the call reached the router";
  return { startedAt: receivedAt, flag: { field: "startedAt", reported, used: receivedAt, reason: `${new Date(reported).toISOString()} ${reason}` } };
}

/** The call's wall time so far: from its start to its end as we measured it, or to now. */
export function wallSeconds(measured: Measured, now: number): number {
  return seconds((measured.endedAt ?? now) - measured.startedAt);
}

export interface ReportedCdr {
  disposition: string;
  /** The disposition says (or billsec shows) the call was answered. */
  answered: boolean;
  durationSec?: number;
  billableSec?: number;
  answeredAt?: number;
  endedAt?: number;
}

/**
 * Checks a CDR against the call: duration and billsec within the wall time (plus slack),
 * billsec within duration and within the talk time we measured, times within the call, and no
 * disposition that takes back an answer we saw. Returns the CDR with only its usable figures
 * (an answered call's disposition stays ANSWER) and a rejection for every other one.
 */
export function checkCdr(cdr: ReportedCdr, measured: Measured, now: number): { usable: ReportedCdr; rejected: Rejection[] } {
  const rejected: Rejection[] = [];
  const usable: ReportedCdr = { ...cdr };
  const reject = (field: keyof ReportedCdr, reason: string) => {
    rejected.push({ field, reported: cdr[field] as FlagValue, reason });
    delete usable[field];
  };
  const wall = wallSeconds(measured, now);
  const beyondWall = (value: number) => value > wall + FIGURE_SLACK_SEC;
  if (cdr.durationSec !== undefined && beyondWall(cdr.durationSec)) {
    reject("durationSec", `duration ${cdr.durationSec} s is longer than the call lasted (${wall} s from its start${measured.endedAt === null ? " to now" : " to its end"})`);
  }
  if (cdr.billableSec !== undefined) {
    const talk = measured.answeredAt !== null ? seconds((measured.endedAt ?? now) - measured.answeredAt) : null;
    if (beyondWall(cdr.billableSec)) reject("billableSec", `billsec ${cdr.billableSec} s is longer than the call lasted (${wall} s)`);
    else if (cdr.durationSec !== undefined && cdr.billableSec > cdr.durationSec) reject("billableSec", `billsec ${cdr.billableSec} s is longer than the reported duration (${cdr.durationSec} s)`);
    else if (talk !== null && cdr.billableSec > talk + FIGURE_SLACK_SEC) reject("billableSec", `billsec ${cdr.billableSec} s is longer than the call talked (${talk} s from its answer)`);
  }
  for (const field of ["answeredAt", "endedAt"] as const) {
    const problem = checkTime(field, cdr[field], measured, now);
    if (problem) reject(field, problem.reason);
  }
  if (measured.answered && !cdr.answered) {
    rejected.push({ field: "disposition", reported: cdr.disposition, reason: `the call was answered; ${cdr.disposition} would take that back` });
    usable.disposition = "ANSWER";
    usable.answered = true;
  }
  return { usable, rejected };
}

/**
 * A DialCallDuration cannot be longer than the attempt lasted (from its Dial to this result,
 * plus slack); null when it can be used.
 */
export function checkDialDuration(attempt: number, reported: number | undefined, dialledAt: number, now: number): Rejection | null {
  if (reported === undefined) return null;
  const lasted = seconds(now - dialledAt);
  if (reported <= lasted + FIGURE_SLACK_SEC) return null;
  return { field: `attempts[${attempt}].durationSec`, reported, reason: `DialCallDuration ${reported} s is longer than attempt ${attempt} lasted (${lasted} s from its Dial)` };
}

/** The rejections as flags, each with what the record holds instead, appended to `flags` (bounded). */
export function settleFlags(flags: RecordFlag[] | undefined, rejected: Rejection[], usedOf: (field: string) => unknown): RecordFlag[] | undefined {
  if (!rejected.length) return flags;
  const plain = (v: unknown): FlagValue => (typeof v === "number" || typeof v === "string" ? v : null);
  const added = rejected.map((r) => ({ field: r.field, reported: r.reported, used: plain(usedOf(r.field)), reason: r.reason }));
  return [...(flags ?? []), ...added].slice(0, MAX_FLAGS);
}
