import type { BalancerGroup } from "../../durable-objects/group-balancer";
import type { FallbackTarget } from "../db/schema";
import type { ContextEntry } from "../domain/call-context";
import type { DialTarget } from "./dial-cxml";
import type { Overflow, WaitRoom } from "../domain/overflow";

/*
 * A route plan: the ordered stages a call tries (the matched target, the rule's fallback, the
 * clean end). decide.ts builds it from a snapshot; call-flow.ts walks it, for real calls in the
 * CallSession and as a dry run in Explain.
 */

export type EndAction = Extract<FallbackTarget, { type: "hangup" | "reject" | "announcement" }>;

/** Dial outcomes a group may fail over on (schemas/common.ts FAILOVER_OUTCOMES). */
export type FailoverOutcome = "busy" | "no-answer" | "failed" | "canceled";

/** Settings of the rule that chose the stage, carried onto it. */
export interface StageSettings {
  /** Maximum call seconds: the smaller of the rule's and the group's. */
  timeLimitSec: number | null;
  /** The rule's, then the group's context entries (the agent's are added at dial time). */
  context: ContextEntry[];
  ruleName: string | null;
  /** The rule's overflow (beats the group's); absent: the group's. */
  overflow?: Overflow | null;
}

/** A group stage; its members and, apart, their dial details are packed, see packed-group.ts. */
export interface GroupStage extends StageSettings {
  kind: "group";
  label: string;
  groupId: string | null;
  groupName: string | null;
  balancer: string;
  group: BalancerGroup;
  details: string;
  /** Null: every failed outcome fails over (the default). */
  failoverOn: FailoverOutcome[] | null;
  /**
   * When every eligible agent (or provider account) is full: a person to dial, an end (an
   * announcement) or a waiting room. Absent: the plan's next stage, as when agents fail.
   */
  overflowStage?: OverflowStage | null;
}

/** A waiting room in front of a full group stage: never a stage of its own, only an overflow. */
export interface WaitStage {
  kind: "wait";
  label: string;
  room: WaitRoom;
}

export type OverflowStage = PersonStage | EndStage | WaitStage;

export interface PlanTrunk {
  id: string;
  name: string;
  callerIdOverride: string | null;
}

export interface TrunkStage {
  kind: "trunks";
  label: string;
  ruleId: string;
  destination: string;
  /** The caller's number as presented when a trunk has no override (numbers.ts presentedNumber). */
  callerId: string | null;
  trunks: PlanTrunk[];
}

/** Escalation to a person: one phone number or SIP URI, dialled once. */
export interface PersonStage extends StageSettings {
  kind: "person";
  label: string;
  target: Extract<DialTarget, { kind: "number" | "sip" }>;
}

export interface EndStage {
  kind: "end";
  label: string;
  action: EndAction;
}

export type RouteStage = GroupStage | TrunkStage | PersonStage | EndStage;

export function stageKeyOf(stage: RouteStage): string {
  switch (stage.kind) {
    case "group":
      return `group:${stage.balancer}`;
    case "trunks":
      return `trunks:${stage.ruleId}`;
    case "person":
      return `person:${stage.target.kind === "sip" ? stage.target.uri : stage.target.number}`;
    case "end":
      return `end:${stage.label}`;
  }
}
