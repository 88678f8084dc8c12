import type { CallTrace } from "../../../../workers/contracts/trace";
import type { CallAttempt } from "../../../../workers/queue/messages";
import type { TraceView } from "../../components/routing-trace";

/*
 * A call record's routing trace and attempts are JSON the API passes through as it was stored
 * (CallTrace and CallAttempt[], written by the CallSession); records from older versions
 * may lack fields, so both are read defensively.
 */

type RecordedTrace = Partial<CallTrace>;

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);

/** The recorded decision as the routing tester's trace view: its group picks become the stages. */
export function recordedTrace(routing: unknown): (TraceView & { summary: RecordedTrace }) | null {
  if (!routing || typeof routing !== "object") return null;
  const trace = routing as RecordedTrace;
  return {
    summary: trace,
    rulesTried: Array.isArray(trace.rulesTried) ? trace.rulesTried : [],
    stages: (Array.isArray(trace.picks) ? trace.picks : []).map((pick) => ({
      label: pick.stage,
      kind: "group",
      reached: true,
      chosen: pick.chosen ?? null,
      candidates: pick.candidates ?? [],
      skipped: Array.isArray(pick.skipped) ? pick.skipped : [],
      line: pick.line ?? null,
    })),
    notes: [...strings(trace.notes), ...strings(trace.refused)],
  };
}

export type RecordedAttempt = Partial<CallAttempt>;

export function recordedAttempts(attempts: Record<string, unknown>[]): RecordedAttempt[] {
  return attempts as RecordedAttempt[];
}
