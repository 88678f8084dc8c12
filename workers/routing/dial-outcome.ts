import type { FailoverOutcome, RouteStage } from "./plan-types";

/* What a dial attempt's result means for the call flow: answered, or which failure. */

export type DialOutcome = "answered" | FailoverOutcome;

/**
 * A Dial (or Connect) action's status as an outcome (Cloudonix sends DialCallStatus, else
 * CallStatus). Cloudonix calls a Dial's action when the leg has ended, so only completed or
 * answered mean the target took the call; anything unrecognised is a failure, since failing over
 * beats leaving the caller in silence. A stream's action fires when the stream ends, which is
 * the normal end of a talk: there, only an explicit failure status is a failure.
 */
export function dialOutcomeOf(status: string, streamed: boolean): DialOutcome {
  const key = status.trim().toLowerCase();
  if (key === "completed" || key === "answered") return "answered";
  if (key === "busy") return "busy";
  if (key === "no-answer" || key === "noanswer") return "no-answer";
  if (key === "canceled" || key === "cancelled") return "canceled";
  if (streamed && (key === "" || key === "in-progress" || key === "unknown")) return "answered";
  return "failed";
}

/** Whether a failed attempt in this stage tries the next target, or ends the call. */
export function failsOver(stage: RouteStage | undefined, outcome: FailoverOutcome): boolean {
  if (stage?.kind !== "group" || stage.failoverOn === null) return true;
  return stage.failoverOn.includes(outcome);
}

/**
 * Whether the failed attempt counts against the agent's health: a caller who hung up while it
 * rang (canceled) is nobody's failure.
 */
export const blamesTarget = (outcome: FailoverOutcome): boolean => outcome !== "canceled";
