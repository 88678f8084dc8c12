import type { CallValues } from "../domain/call-context";
import { dialCxml, dialResultUrl, endCxml, targetAddress, waitCxml, waitPollUrl } from "./dial-cxml";
import type { FlowPorts, PlannedAttempt } from "./call-flow";
import { predictChain } from "./predict";
import type { RoutePlan } from "./decide";
import type { RouteStage } from "./plan-types";

/*
 * Explain: the route plan walked by the same call flow as a real call (call-flow.ts), with
 * dry-run ports, so its prediction is what a call does from the same counters: the first
 * decision, then, were every attempt to fail, each next attempt in order and the final end,
 * each with the CXML a call would get (credentials left out).
 */

export interface ExplainedAttempt {
  n: number;
  stage: string;
  kind: PlannedAttempt["kind"];
  via: PlannedAttempt["target"]["kind"];
  targetId: string;
  targetName: string;
  /** The number, SIP URI or WebSocket URL dialled. */
  address: string;
  groupId: string | null;
  provider: string | null;
  timeLimitSec: number | null;
  context: PlannedAttempt["context"];
  cxml: string;
}

/** A waiting room the call would hold in (its group full), before attempt `beforeAttempt`. */
export interface ExplainedWait {
  stage: string;
  position: number;
  beforeAttempt: number;
  maxWaitSec: number;
  retrySec: number;
  cxml: string;
}

export interface Explanation {
  attempts: ExplainedAttempt[];
  waits: ExplainedWait[];
  end: { label: string; action: string; cxml: string };
  stages: StageOutcome[];
}

export interface StageOutcome {
  label: string;
  kind: RouteStage["kind"];
  reached: boolean;
  chosen: string | null;
  candidates: string[];
  skipped: { agentId: string; reason: string }[];
  eligibleCount: number | null;
  /** The group's waiting line, when it was full: callers ahead, and this call's place if it would wait. */
  line: { ahead: number; position: number | null } | null;
}

export async function explainPlan(plan: RoutePlan, ports: FlowPorts, values: CallValues, baseUrl: string): Promise<Explanation> {
  const chain = await predictChain(plan.stages, ports, values);
  const attempts = chain.attempts.map(
    (a, i): ExplainedAttempt => ({
      n: i + 1,
      stage: a.stage,
      kind: a.kind,
      via: a.target.kind,
      targetId: a.targetId,
      targetName: a.targetName,
      address: targetAddress(a.target),
      groupId: a.groupId,
      provider: a.provider ?? null,
      timeLimitSec: a.timeLimitSec,
      context: a.context,
      cxml: dialCxml(a.target, { actionUrl: dialResultUrl(baseUrl, i + 1), timeLimitSec: a.timeLimitSec, context: a.context }),
    }),
  );
  const waits = chain.waits.map(
    (w): ExplainedWait => ({
      stage: w.stage.label,
      position: w.position,
      beforeAttempt: w.beforeAttempt,
      maxWaitSec: w.stage.room.maxWaitSec,
      retrySec: w.stage.room.retrySec,
      cxml: waitCxml(w.stage.room, { position: w.position, first: true, redirectUrl: waitPollUrl(baseUrl, 1) }),
    }),
  );
  // The stage the first decision is in: the first attempt's, else the end the plan reached.
  const firstLabel = chain.attempts[0]?.stage ?? chain.end.label;
  const decidedAt = plan.stages.findIndex((s) => s.label === firstLabel);
  const stages = plan.stages.map((stage, index): StageOutcome => {
    const reached = decidedAt < 0 || index <= decidedAt;
    const base = { label: stage.label, kind: stage.kind, reached, chosen: null, candidates: [], skipped: [], eligibleCount: null, line: null };
    if (!reached) return base;
    if (stage.kind === "group") {
      const pick = chain.picks.find((p) => p.stage === stage.label);
      return pick ? { ...base, chosen: pick.chosen, candidates: pick.candidates ?? [], skipped: pick.skipped, eligibleCount: pick.eligibleCount ?? null, line: pick.line ?? null } : base;
    }
    if (stage.kind === "trunks") return { ...base, chosen: stage.trunks[0]?.id ?? null, candidates: stage.trunks.slice(1).map((t) => t.id) };
    if (stage.kind === "person") return { ...base, chosen: stage.target.kind === "sip" ? stage.target.uri : stage.target.number };
    return base;
  });
  return { attempts, waits, end: { label: chain.end.label, action: chain.end.action.type, cxml: endCxml(chain.end.action) }, stages };
}
