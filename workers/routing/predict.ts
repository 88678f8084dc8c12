import type { CallValues } from "../domain/call-context";
import { advance, afterFailure, CLEAN_END, startCursor, type FirstPick, type FlowPorts, type PickTrace, type PlannedAttempt } from "./call-flow";
import type { EndStage, FailoverOutcome, GroupStage, RouteStage, WaitStage } from "./plan-types";
import { endWait } from "./wait-flow";

/*
 * Explain's prediction: the call flow walked with dry-run ports, as a call whose every attempt
 * fails would walk it, and whose every wait lasts to the room's maximum (a prediction frees no
 * slot).
 */

/** Explain's dry-run ports: picks from the balancer's live counters, failover in the pick's order. */
export function dryRunPorts(pick: (stage: GroupStage, wait?: { holdMs: number }) => Promise<FirstPick>, now: () => number = Date.now): FlowPorts {
  return {
    pick,
    failover: async (_stage, _failed, candidates) => ({ chosen: candidates[0] ?? null, skipped: [], remaining: candidates.slice(1) }),
    release: async () => {},
    leaveLine: async () => {},
    now,
  };
}

/** A waiting room the predicted call would hold in, before attempt `beforeAttempt` (1-based). */
export interface PredictedWait {
  stage: WaitStage;
  position: number;
  beforeAttempt: number;
}

/** A predicted call: every attempt failing in turn, as Explain shows it. */
export interface PredictedChain {
  attempts: PlannedAttempt[];
  /** Waits the call would hold in, each until its maximum (no slot frees in a prediction). */
  waits: PredictedWait[];
  end: EndStage;
  picks: PickTrace[];
}

/** The most attempts Explain predicts; a plan cannot dial more than its stages allow anyway. */
const MAX_PREDICTED = 25;

/** Walks the plan as a call whose every attempt fails with `outcome` would, with the given ports. */
export async function predictChain(stages: readonly RouteStage[], ports: FlowPorts, values: CallValues, outcome: FailoverOutcome = "no-answer"): Promise<PredictedChain> {
  const attempts: PlannedAttempt[] = [];
  const waits: PredictedWait[] = [];
  const picks: PickTrace[] = [];
  let cursor = startCursor();
  let result = await advance(cursor, stages, 0, null, ports, values);
  for (;;) {
    picks.push(...result.picks);
    cursor = result.cursor;
    if (result.step.type === "end") return { attempts, waits, end: result.step.stage, picks };
    if (result.step.type === "wait") {
      waits.push({ stage: result.step.stage, position: result.step.position, beforeAttempt: attempts.length + 1 });
      result = await endWait(cursor, stages, ports, values, "timeout");
      continue;
    }
    const attempt = result.step.attempt;
    attempts.push(attempt);
    if (attempts.length >= MAX_PREDICTED) return { attempts, waits, end: CLEAN_END, picks };
    result = await afterFailure(cursor, stages, attempt, outcome, ports, values);
  }
}
