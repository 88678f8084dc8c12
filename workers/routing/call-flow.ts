import type { LineStanding, MemberTrace } from "../../durable-objects/group-balancer";
import { renderContext, type CallValues, type ContextEntry } from "../domain/call-context";
import { waitHoldMs } from "../domain/overflow";
import { agentKindOf } from "../domain/providers";
import type { DialTarget } from "./dial-cxml";
import { dialDetails, type PlanAgent } from "./packed-group";
import { blamesTarget, failsOver } from "./dial-outcome";
import { stageKeyOf, type EndStage, type FailoverOutcome, type GroupStage, type PersonStage, type RouteStage, type WaitStage } from "./plan-types";

/*
 * The call flow: which stage of a route plan comes next, which agent it dials, when a slot is
 * freed and who is blamed for a failure. Pure apart from its ports (pick, fail over, release),
 * which a CallSession carries out against the group balancers and Explain as a dry run, so what
 * Explain predicts is what a call does. It never sees a Workers API, a secret or storage.
 */

/** The balancer holding this call's claimed slot, and for which agent. */
export interface Slot {
  balancer: string;
  agentId: string;
}

/** Where the call is in its plan; stored with the call between webhooks. */
export interface FlowCursor {
  stageIndex: number;
  /** The stage's identity, so a plan that changed mid-call is noticed. */
  stageKey: string | null;
  /** The failover order left in the current group stage (or the trunks left). */
  candidates: string[];
  attemptsInStage: number;
  slot: Slot | null;
  /** In a waiting room: the balancer whose line the call stands in, since when, how many tries. */
  wait?: WaitCursor | null;
}

export interface WaitCursor {
  balancer: string;
  since: number;
  polls: number;
  position: number;
}

export const startCursor = (): FlowCursor => ({ stageIndex: 0, stageKey: null, candidates: [], attemptsInStage: 0, slot: null, wait: null });

export interface PickTrace {
  stage: string;
  chosen: string | null;
  candidates?: string[];
  skipped: MemberTrace[];
  eligibleCount?: number;
  sticky?: boolean;
  line?: LineStanding;
}

export interface FirstPick {
  chosen: string | null;
  candidates: string[];
  skipped: MemberTrace[];
  eligibleCount: number;
  sticky: boolean;
  line?: LineStanding;
}

export interface NextPick {
  chosen: string | null;
  skipped: MemberTrace[];
  remaining: string[];
}

/** What the flow asks of the world; each claims or frees at most one slot. */
export interface FlowPorts {
  /**
   * The first pick in a group stage (or a waiting caller's next try); claims the chosen agent's
   * slot. With `wait`, a call the full group cannot take stands in its line (`line.position`).
   */
  pick(stage: GroupStage, wait?: { holdMs: number }): Promise<FirstPick>;
  /** Frees `failedAgentId`'s slot (counting its failure) and claims the next eligible candidate. */
  failover(stage: GroupStage, failedAgentId: string | null, candidates: string[]): Promise<NextPick>;
  /** Frees the slot, counting `result` for its agent's health when given. */
  release(slot: Slot, result: "success" | "failure" | null): Promise<void>;
  /** Takes the call out of a balancer's waiting line. */
  leaveLine(balancer: string): Promise<void>;
  now(): number;
}

export type AttemptKind = "agent" | "trunk" | "person";

/** One dial the flow decided on, with what the CXML needs. */
export interface PlannedAttempt {
  stage: string;
  kind: AttemptKind;
  targetId: string;
  targetName: string;
  groupId: string | null;
  provider?: string;
  target: DialTarget;
  /** Still encrypted; only a CallSession decrypts it, when it renders the CXML. */
  passwordEnc: string | null;
  timeLimitSec: number | null;
  context: ContextEntry[];
}

/**
 * `reason`: why the call ends, when not simply because the plan ran out (the record's endReason).
 * `wait`: the caller holds in a waiting room; `poll` numbers the try that comes back.
 */
export type FlowStep = { type: "dial"; attempt: PlannedAttempt } | { type: "end"; stage: EndStage; reason?: string } | { type: "wait"; stage: WaitStage; groupId: string | null; position: number; poll: number };

/** How a wait ended: the caller got an agent, waited too long, or the group had nobody to wait for. */
export type WaitEnd = "connected" | "timeout" | "no_agents";

export interface FlowResult {
  cursor: FlowCursor;
  step: FlowStep;
  picks: PickTrace[];
  /** Set when this step ended the call's wait. */
  waitEnded?: WaitEnd;
}

export const CLEAN_END: EndStage = { kind: "end", label: "clean hang-up", action: { type: "hangup" } };

/**
 * Works through the plan from stage `from` until an attempt is dialled or the call ends.
 * `failedAgentId`: the agent whose attempt just failed in the current stage, blamed once.
 */
export async function advance(current: FlowCursor, stages: readonly RouteStage[], from: number, failedAgentId: string | null, ports: FlowPorts, values: CallValues): Promise<FlowResult> {
  const cursor: FlowCursor = { ...current, candidates: [...current.candidates] };
  const picks: PickTrace[] = [];
  let failed = failedAgentId;
  for (let index = from; index < stages.length; index++) {
    const stage = stages[index]!;
    const continuing = index === cursor.stageIndex && cursor.stageKey === stageKeyOf(stage);
    if (!continuing) {
      // Leaving a stage whose agent failed (or a plan that changed mid-call): free its slot.
      await freeSlot(cursor, ports, failed ? "failure" : null);
      failed = null;
      cursor.stageIndex = index;
      cursor.stageKey = stageKeyOf(stage);
      cursor.candidates = [];
      cursor.attemptsInStage = 0;
    }
    switch (stage.kind) {
      case "end":
        return { cursor, step: { type: "end", stage }, picks };
      case "person": {
        if (continuing) continue;
        cursor.attemptsInStage++;
        return { cursor, step: { type: "dial", attempt: personAttempt(stage, values) }, picks };
      }
      case "trunks": {
        const trunk = continuing ? stage.trunks.find((t) => t.id === cursor.candidates[0]) : stage.trunks[0];
        if (!trunk) continue;
        cursor.candidates = stage.trunks.slice(stage.trunks.indexOf(trunk) + 1).map((t) => t.id);
        cursor.attemptsInStage++;
        const target: DialTarget = { kind: "number", number: stage.destination, trunk: trunk.name, callerId: trunk.callerIdOverride ?? stage.callerId };
        const attempt: PlannedAttempt = { stage: stage.label, kind: "trunk", targetId: trunk.id, targetName: trunk.name, groupId: null, target, passwordEnc: null, timeLimitSec: null, context: [] };
        return { cursor, step: { type: "dial", attempt }, picks };
      }
      case "group": {
        const agentId = await pickAgent(cursor, stage, continuing, failed, ports, picks);
        failed = null;
        if (!agentId) {
          // Every eligible agent (or account) full on arrival: the stage's overflow, when it has one.
          const overflow = continuing ? null : overflowStep(stage, picks.at(-1), cursor, values, ports);
          if (overflow) return { cursor, step: overflow, picks };
          continue;
        }
        cursor.attemptsInStage++;
        return { cursor, step: { type: "dial", attempt: agentAttempt(stage, agentId, values) }, picks };
      }
    }
  }
  await freeSlot(cursor, ports, failed ? "failure" : null);
  return { cursor, step: { type: "end", stage: CLEAN_END }, picks };
}

export function agentAttempt(stage: GroupStage, agentId: string, values: CallValues): PlannedAttempt {
  const agent = dialDetails(stage.group.members, stage.details, agentId);
  if (!agent) throw new Error(`agent ${agentId} is not a member of ${stage.balancer}`);
  const groupValues = { ...values, ruleName: stage.ruleName, groupId: stage.groupId, groupName: stage.groupName };
  return {
    stage: stage.label,
    kind: "agent",
    targetId: agentId,
    targetName: agent.name,
    groupId: stage.groupId,
    provider: agent.provider,
    target: agentTarget(agent),
    passwordEnc: agent.passwordEnc,
    timeLimitSec: stage.timeLimitSec,
    context: renderContext([stage.context, agent.context], groupValues),
  };
}

function personAttempt(stage: PersonStage, values: CallValues): PlannedAttempt {
  const { target } = stage;
  const id = target.kind === "sip" ? target.uri : target.number;
  return {
    stage: stage.label,
    kind: "person",
    targetId: id,
    targetName: id,
    groupId: null,
    target,
    passwordEnc: null,
    timeLimitSec: stage.timeLimitSec,
    context: renderContext([stage.context], { ...values, ruleName: stage.ruleName }),
  };
}

/**
 * A group stage nobody could take: when agents were skipped for being full (their own capacity,
 * or their provider account's, or callers waiting ahead for the slots there are) and the stage
 * has an overflow, the call goes there (a person is dialled once; an announcement ends the call;
 * a waiting room holds the caller in line). Agents disabled or unhealthy are not "full": the
 * call goes on to the next stage as it always did.
 */
function overflowStep(stage: GroupStage, pick: PickTrace | undefined, cursor: FlowCursor, values: CallValues, ports: FlowPorts): FlowStep | null {
  const overflow = stage.overflowStage;
  if (!overflow || !pick || !wasFull(pick)) return null;
  switch (overflow.kind) {
    case "end":
      return { type: "end", stage: overflow, reason: "overflow" };
    case "wait": {
      const position = pick.line?.position;
      if (!position) return null;
      cursor.wait = { balancer: stage.balancer, since: ports.now(), polls: 0, position };
      return { type: "wait", stage: overflow, groupId: stage.groupId, position, poll: 1 };
    }
    case "person":
      cursor.attemptsInStage++;
      return { type: "dial", attempt: personAttempt(overflow, values) };
  }
}

const wasFull = (pick: PickTrace): boolean => (pick.line?.ahead ?? 0) > 0 || pick.line?.position != null || pick.skipped.some((s) => s.reason === "at_capacity" || s.reason === "account_full");

/** What a group stage with a waiting room asks of its balancer: to hold the call in line when full. */
export const lineRequest = (stage: GroupStage): { holdMs: number } | undefined => (stage.overflowStage?.kind === "wait" ? { holdMs: waitHoldMs(stage.overflowStage.room) } : undefined);

async function pickAgent(cursor: FlowCursor, stage: GroupStage, continuing: boolean, failedAgentId: string | null, ports: FlowPorts, picks: PickTrace[]): Promise<string | null> {
  if (!continuing) {
    const outcome = await ports.pick(stage, lineRequest(stage));
    picks.push({ stage: stage.label, chosen: outcome.chosen, candidates: outcome.candidates, skipped: outcome.skipped.slice(0, 50), eligibleCount: outcome.eligibleCount, sticky: outcome.sticky, ...(outcome.line ? { line: outcome.line } : {}) });
    cursor.candidates = outcome.candidates;
    if (outcome.chosen) cursor.slot = { balancer: stage.balancer, agentId: outcome.chosen };
    return outcome.chosen;
  }
  if (cursor.attemptsInStage >= stage.group.maxAttempts) {
    await freeSlot(cursor, ports, failedAgentId ? "failure" : null);
    picks.push({ stage: stage.label, chosen: null, skipped: [], candidates: [] });
    return null;
  }
  const result = await ports.failover(stage, failedAgentId, cursor.candidates);
  // The balancer freed the failed agent's slot (and counted the failure) as part of failing over.
  if (failedAgentId) cursor.slot = null;
  picks.push({ stage: stage.label, chosen: result.chosen, skipped: result.skipped });
  cursor.candidates = result.remaining;
  if (result.chosen) cursor.slot = { balancer: stage.balancer, agentId: result.chosen };
  return result.chosen;
}

/** Frees the call's slot once: the cursor forgets it before the port is asked. */
export async function freeSlot(cursor: FlowCursor, ports: FlowPorts, result: "success" | "failure" | null): Promise<void> {
  const slot = cursor.slot;
  if (!slot) return;
  cursor.slot = null;
  await ports.release(slot, result);
}

/** How Cloudonix reaches an agent, by the kind its provider makes it. */
export function agentTarget(agent: PlanAgent): DialTarget {
  switch (agentKindOf(agent.provider)) {
    case "sip":
      return { kind: "sip", uri: agent.serviceValue, username: agent.username };
    case "stream":
      return { kind: "stream", url: agent.serviceValue };
    case "number":
      return { kind: "number", number: agent.serviceValue, trunk: agent.trunkName ?? null };
    case "service":
      return { kind: "service", provider: agent.provider, number: agent.serviceValue, username: agent.username };
  }
}

/**
 * An attempt failed with `outcome`: fail over to the next target when the stage does so on that
 * outcome, else end the call (a group may, say, end on busy: a callee who declined is not dialled
 * again). The failed agent is blamed for its health unless the caller caused it.
 */
export async function afterFailure(current: FlowCursor, stages: readonly RouteStage[], failed: { kind: AttemptKind; targetId: string }, outcome: FailoverOutcome, ports: FlowPorts, values: CallValues): Promise<FlowResult> {
  const blamed = failed.kind === "agent" && blamesTarget(outcome) ? failed.targetId : null;
  const cursor: FlowCursor = { ...current, candidates: [...current.candidates] };
  if (!failsOver(stages[cursor.stageIndex], outcome)) {
    await freeSlot(cursor, ports, blamed ? "failure" : null);
    const stage: EndStage = { kind: "end", label: `${outcome} ends the call`, action: { type: "hangup" } };
    return { cursor, step: { type: "end", stage, reason: outcome.replace("-", "_") }, picks: [] };
  }
  // Nobody to blame: the slot is freed uncounted before the next candidate claims one.
  if (!blamed) await freeSlot(cursor, ports, null);
  return advance(cursor, stages, cursor.stageIndex, blamed, ports, values);
}
