import type { FallbackTarget } from "../db/schema";
import { scheduleStatusAt } from "../domain/schedules";
import type { RoutingSnapshot, SnapshotInboundRule } from "./snapshot-types";

/*
 * Opening hours on the hot path: is the matched rule's schedule closed at the call's time, and
 * if so where does the call go instead. Pure (the time is a parameter), so Explain with a
 * `time` shows exactly what a real call at that instant gets.
 *
 * While closed, the call goes to the rule's closed target; without one, to the rule's fallback;
 * without that, it is handled like a call no rule matches (the tenant's default fallback, else
 * its unmatched action: reject or a clean hang-up). Only that one target is tried: the rule's
 * target (and, when a closed target is set, its fallback) are for open hours.
 */

/** What a decision trace records of the schedule that applied. */
export interface ScheduleTrace {
  scheduleId: string;
  name: string;
  open: boolean;
  /** The rule of the schedule that decided, in words ("weekly hours: Monday 09:00–17:00"). */
  reason: string;
  /** When it next opens or closes (ISO 8601 UTC); null when not within 14 days. */
  changesAt: string | null;
}

export interface ScheduleGate {
  trace: ScheduleTrace;
  /** For the trace's notes. */
  note: string;
  /** Set while closed: where the call goes instead, and the stage's label. */
  closed: { target: FallbackTarget; label: string } | null;
}

/** Null when the rule has no schedule. A schedule missing from the snapshot counts as open (noted). */
export function scheduleGate(snapshot: RoutingSnapshot, rule: SnapshotInboundRule, at: number = Date.now()): ScheduleGate | null {
  if (!rule.scheduleId) return null;
  const schedule = snapshot.schedules?.[rule.scheduleId];
  if (!schedule) {
    const trace = { scheduleId: rule.scheduleId, name: "", open: true, reason: "the schedule no longer exists: treated as open", changesAt: null };
    return { trace, note: `schedule ${rule.scheduleId} no longer exists: the rule routes as if open`, closed: null };
  }
  const status = scheduleStatusAt(schedule, at);
  const trace: ScheduleTrace = { scheduleId: schedule.id, name: schedule.name, open: status.open, reason: status.reason, changesAt: status.changesAt === null ? null : new Date(status.changesAt).toISOString() };
  const until = trace.changesAt ? ` until ${trace.changesAt}` : "";
  if (status.open) return { trace, note: `schedule "${schedule.name}" is open (${status.reason})${until}`, closed: null };
  const closed = closedTarget(snapshot, rule);
  return { trace, note: `schedule "${schedule.name}" is closed (${status.reason})${until}: the call goes to the ${closed.label}`, closed: { target: closed.target, label: `schedule closed: ${closed.label}` } };
}

function closedTarget(snapshot: RoutingSnapshot, rule: SnapshotInboundRule): { target: FallbackTarget; label: string } {
  if (rule.closedTarget) return { target: rule.closedTarget, label: "rule's closed target" };
  if (rule.fallback) return { target: rule.fallback, label: "rule's fallback (no closed target)" };
  if (snapshot.defaultFallback) return { target: snapshot.defaultFallback, label: "tenant's default fallback (the rule has no closed target or fallback)" };
  return snapshot.unmatchedAction === "reject"
    ? { target: { type: "reject" }, label: "tenant's unmatched action, reject (the rule has no closed target or fallback)" }
    : { target: { type: "hangup" }, label: "tenant's unmatched action, a clean hang-up (the rule has no closed target or fallback)" };
}
