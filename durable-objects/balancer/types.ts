import type { PackedMembers } from "../../workers/routing/packed-group";
import type { SkipReason, Strategy } from "../logic/strategies";

/* What the GroupBalancer is asked and answers (its RPC types). */

export interface BalancerGroup {
  id: string;
  strategy: Strategy;
  rollingWindowHours: number;
  maxAttempts: number;
  stickyTtlSeconds: number | null;
  members: PackedMembers;
}

export interface PickRequest {
  callKey: string;
  group: BalancerGroup;
  caller?: string;
  /** Explain: compute the decision, change nothing. */
  dryRun?: boolean;
  claimTtlMs?: number;
  /**
   * The call may wait in the group's line when it is full (a waiting room): it joins, or keeps
   * its place, and is held that long without another pick.
   */
  wait?: { holdMs: number };
}

/**
 * The waiting line's part in a pick: `ahead` callers wait before this one; `position` is the
 * call's place in line (1 = next) when it waits, else null.
 */
export interface LineStanding {
  ahead: number;
  position: number | null;
}

export interface MemberTrace {
  agentId: string;
  reason: SkipReason;
}

export interface PickOutcome {
  chosen: string | null;
  /** Failover order after `chosen`, capped to the group's max attempts. */
  candidates: string[];
  skipped: MemberTrace[];
  eligibleCount: number;
  sticky: boolean;
  duplicate: boolean;
  /** Set when the group was full for this call: who waits ahead, and the call's place if it waits. */
  line?: LineStanding;
}

export interface FailoverRequest {
  callKey: string;
  failedAgentId: string | null;
  group: BalancerGroup;
  candidates: string[];
  claimTtlMs?: number;
}

export interface HealthChange {
  agentId: string;
  healthy: boolean;
}

export interface AgentLiveStats {
  agentId: string;
  active: number;
  windowCount: number;
  healthy: boolean;
  consecutiveFailures: number;
  unhealthyUntil: number | null;
  picks: number;
  successes: number;
  failures: number;
}
