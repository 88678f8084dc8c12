import type { CallValues } from "../domain/call-context";
import { advance, agentAttempt, lineRequest, type FlowCursor, type FlowPorts, type FlowResult, type PickTrace, type WaitEnd } from "./call-flow";
import { stageKeyOf, type RouteStage } from "./plan-types";

/*
 * The waiting room's part of the call flow: a caller held in a full group's line comes back
 * every few seconds (the room's Redirect) and is tried again in turn; the line itself is the
 * group balancer's (durable-objects/logic/wait-line.ts). Pure apart from the flow's ports.
 */

/**
 * A waiting caller comes back (the waiting room's Redirect): tried again in turn. It gets an
 * agent when the line lets it through and one is free; else it keeps waiting until the room's
 * maximum, then goes on to the plan's next stage. A plan that no longer has this room (the
 * configuration changed) takes the call from this stage afresh.
 */
export async function pollWait(current: FlowCursor, stages: readonly RouteStage[], ports: FlowPorts, values: CallValues): Promise<FlowResult> {
  const cursor: FlowCursor = { ...current, candidates: [...current.candidates] };
  const wait = cursor.wait;
  const stage = stages[cursor.stageIndex];
  if (!wait) return advance(cursor, stages, cursor.stageIndex, null, ports, values);
  if (stage?.kind !== "group" || stageKeyOf(stage) !== cursor.stageKey || stage.overflowStage?.kind !== "wait" || stage.balancer !== wait.balancer) {
    await leaveWait(cursor, ports);
    cursor.stageKey = null;
    return { ...(await advance(cursor, stages, cursor.stageIndex, null, ports, values)), waitEnded: "no_agents" };
  }
  const room = stage.overflowStage.room;
  if (ports.now() - wait.since >= room.maxWaitSec * 1000) return endWait(cursor, stages, ports, values, "timeout");
  const outcome = await ports.pick(stage, lineRequest(stage));
  const picks: PickTrace[] = [{ stage: stage.label, chosen: outcome.chosen, candidates: outcome.candidates, skipped: outcome.skipped.slice(0, 50), eligibleCount: outcome.eligibleCount, sticky: outcome.sticky, ...(outcome.line ? { line: outcome.line } : {}) }];
  if (outcome.chosen) {
    cursor.wait = null;
    cursor.candidates = outcome.candidates;
    cursor.slot = { balancer: stage.balancer, agentId: outcome.chosen };
    cursor.attemptsInStage++;
    return { cursor, step: { type: "dial", attempt: agentAttempt(stage, outcome.chosen, values) }, picks, waitEnded: "connected" };
  }
  const position = outcome.line?.position;
  if (!position) {
    // Nobody left to wait for (agents disabled or unhealthy): the balancer took the call out of line.
    cursor.wait = null;
    return { ...(await advance(cursor, stages, cursor.stageIndex + 1, null, ports, values)), picks, waitEnded: "no_agents" };
  }
  cursor.wait = { ...wait, polls: wait.polls + 1, position };
  return { cursor, step: { type: "wait", stage: stage.overflowStage, groupId: stage.groupId, position, poll: wait.polls + 2 }, picks };
}

/** The wait is over without an agent: out of line, on to the plan's next stage. */
export async function endWait(cursor: FlowCursor, stages: readonly RouteStage[], ports: FlowPorts, values: CallValues, why: WaitEnd): Promise<FlowResult> {
  await leaveWait(cursor, ports);
  const result = await advance(cursor, stages, cursor.stageIndex + 1, null, ports, values);
  const step = result.step.type === "end" && !result.step.reason ? { ...result.step, reason: `wait_${why}` } : result.step;
  return { ...result, step, waitEnded: why };
}

/** Takes the call out of its waiting line, once (the cursor forgets it first). */
export async function leaveWait(cursor: FlowCursor, ports: FlowPorts): Promise<void> {
  const wait = cursor.wait;
  if (!wait) return;
  cursor.wait = null;
  await ports.leaveLine(wait.balancer);
}
