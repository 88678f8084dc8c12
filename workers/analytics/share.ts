/*
 * How a group's traffic was actually split between its agents, against what its strategy aims
 * for with the current configuration:
 * - round_robin and load_balanced: every dial the group makes (first picks and failovers both
 *   advance the rotation / window counts), in proportion to the weights of the enabled members;
 * - priority: the first pick of each call, all of it to the lowest priority value present among
 *   the enabled members, split evenly inside that tier (lower tiers only take failovers).
 * Members that are disabled target 0; agents that took traffic but are no longer members are
 * listed with target 0, so the shares still add up to 1.
 */

export type Strategy = "round_robin" | "priority" | "load_balanced";

export interface ShareMember {
  agentId: string;
  weight: number;
  priority: number;
  enabled: boolean;
}

export interface AgentTraffic {
  attempts: number;
  firstAttempts: number;
}

export interface ShareRow {
  agentId: string;
  member: boolean;
  count: number;
  /** count / total, 0 when the group took no traffic. */
  share: number;
  targetShare: number;
  /** share − targetShare. */
  deviation: number;
}

export interface Distribution {
  basis: "attempts" | "firstAttempts";
  total: number;
  agents: ShareRow[];
}

const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;

export function targetShares(strategy: Strategy, members: readonly ShareMember[]): Map<string, number> {
  const targets = new Map<string, number>(members.map((m) => [m.agentId, 0]));
  const enabled = members.filter((m) => m.enabled);
  if (!enabled.length) return targets;
  if (strategy === "priority") {
    const top = Math.min(...enabled.map((m) => m.priority));
    const tier = enabled.filter((m) => m.priority === top);
    for (const m of tier) targets.set(m.agentId, 1 / tier.length);
    return targets;
  }
  const weights = enabled.map((m) => Math.max(0, m.weight));
  const total = weights.reduce((a, b) => a + b, 0);
  for (const [i, m] of enabled.entries()) targets.set(m.agentId, total > 0 ? weights[i]! / total : 1 / enabled.length);
  return targets;
}

export function distribution(strategy: Strategy, members: readonly ShareMember[], traffic: ReadonlyMap<string, AgentTraffic>): Distribution {
  const basis = strategy === "priority" ? "firstAttempts" : "attempts";
  const targets = targetShares(strategy, members);
  const ids = [...members.map((m) => m.agentId), ...[...traffic.keys()].filter((id) => !targets.has(id)).sort()];
  const counts = ids.map((id) => traffic.get(id)?.[basis] ?? 0);
  const total = counts.reduce((a, b) => a + b, 0);
  const agents = ids.map((agentId, i) => {
    const share = total > 0 ? counts[i]! / total : 0;
    const targetShare = targets.get(agentId) ?? 0;
    return { agentId, member: targets.has(agentId), count: counts[i]!, share: round(share), targetShare: round(targetShare), deviation: round(share - targetShare) };
  });
  return { basis, total, agents };
}
