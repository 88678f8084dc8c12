/**
 * Group balancing strategies as pure functions. The GroupBalancer Durable Object serialises the
 * picks of a group and persists `RotationState`, so nothing here needs to be concurrency-safe;
 * it must only be deterministic and never mutate what it is given.
 *
 * Pointers are indexes into the members sorted by position (ties by agent id). Member lists
 * change between picks (config edits), so every pointer is read modulo the current length.
 */

export type Strategy = "round_robin" | "priority" | "load_balanced";

export interface PickMember {
  agentId: string;
  position: number;
  priority: number;
  weight: number;
  capacity: number | null;
  enabled: boolean;
  /** The provider account whose cap the agent's calls count against (the balancer asks it). */
  account?: { id: string; cap: number } | null;
}

export interface AgentCounters {
  active: number;
  windowCount: number;
  healthy: boolean;
}

export interface RotationState {
  pointer: number;
  /** Smooth weighted round robin "current weight" per agent. */
  swrr: Record<string, number>;
  /** Rotation pointer of each priority tier, keyed by String(priority). */
  tierPointers: Record<string, number>;
}

/** The strategies give the first four; the balancer adds the account's when its cap is reached (or it cannot be asked). */
export type SkipReason = "disabled" | "at_capacity" | "unhealthy" | "zero_weight" | "account_full" | "account_unavailable";

export interface PickResult {
  /** Eligible agents, best first: order[0] gets the call, the rest are the failover order. */
  order: string[];
  skipped: { agentId: string; reason: SkipReason }[];
  rotation: RotationState;
}

export function emptyRotation(): RotationState {
  return { pointer: 0, swrr: {}, tierPointers: {} };
}

interface Candidate {
  member: PickMember;
  /** Index in the position-sorted member list (or tier). */
  index: number;
  counters: AgentCounters;
}

function byPosition(a: PickMember, b: PickMember): number {
  if (a.position !== b.position) return a.position - b.position;
  return a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0;
}

/**
 * Configuration reasons come before runtime ones, so the trace names what an operator can fix
 * first: disabled, zero weight, then unhealthy, then at capacity.
 */
function skipReason(member: PickMember, counters: AgentCounters): SkipReason | null {
  if (!member.enabled) return "disabled";
  if (!(member.weight > 0)) return "zero_weight";
  if (!counters.healthy) return "unhealthy";
  if (member.capacity !== null && counters.active >= member.capacity) return "at_capacity";
  return null;
}

/** A persisted pointer may be stale or garbage; any value maps onto a valid index. */
function wrap(pointer: number | undefined, length: number): number {
  if (length === 0 || pointer === undefined || !Number.isFinite(pointer)) return 0;
  const p = Math.trunc(pointer) % length;
  return p < 0 ? p + length : p;
}

/** Distance going forward from `from` to `index` on a ring of `length`. */
function cyclicDistance(index: number, from: number, length: number): number {
  return (index - from + length) % length;
}

/**
 * The eligible candidates of a position-sorted list in cyclic order from the first one at or
 * after `pointer`, and the pointer after that one (its index + 1).
 */
function rotate(eligible: Candidate[], pointer: number | undefined, length: number): { order: Candidate[]; next: number } {
  const start = wrap(pointer, length);
  const order = [...eligible].sort((a, b) => cyclicDistance(a.index, start, length) - cyclicDistance(b.index, start, length));
  const first = order[0];
  return { order, next: first ? (first.index + 1) % length : start };
}

function copyRotation(rotation: RotationState, present: ReadonlySet<string>): RotationState {
  // Entries of agents that left the group are dropped so the state does not grow forever.
  // The `?? {}` tolerates state persisted by an older version that lacked a field.
  const swrr: Record<string, number> = {};
  for (const [agentId, current] of Object.entries(rotation.swrr ?? {})) if (present.has(agentId)) swrr[agentId] = current;
  return { pointer: rotation.pointer, swrr, tierPointers: { ...(rotation.tierPointers ?? {}) } };
}

function ids(candidates: Candidate[]): string[] {
  return candidates.map((c) => c.member.agentId);
}

export function pick(strategy: Strategy, members: PickMember[], counters: (agentId: string) => AgentCounters, rotation: RotationState): PickResult {
  const sorted = [...members].sort(byPosition);
  const skipped: PickResult["skipped"] = [];
  const candidates: Candidate[] = [];
  sorted.forEach((member, index) => {
    const c = counters(member.agentId);
    const reason = skipReason(member, c);
    if (reason) skipped.push({ agentId: member.agentId, reason });
    else candidates.push({ member, index, counters: c });
  });
  const next = copyRotation(rotation, new Set(sorted.map((m) => m.agentId)));

  switch (strategy) {
    case "round_robin":
      return { order: roundRobin(candidates, sorted.length, next), skipped, rotation: next };
    case "priority":
      return { order: byPriority(candidates, sorted, next), skipped, rotation: next };
    case "load_balanced":
      return { order: leastLoaded(candidates, sorted.length, next), skipped, rotation: next };
  }
}

/** Updates `state` (a fresh copy owned by `pick`) and returns the order. */
function roundRobin(eligible: Candidate[], length: number, state: RotationState): string[] {
  const first = eligible[0];
  if (!first) return [];
  const equalWeights = eligible.every((c) => c.member.weight === first.member.weight);
  if (equalWeights) {
    const { order, next } = rotate(eligible, state.pointer, length);
    state.pointer = next;
    return ids(order);
  }

  // nginx smooth weighted round robin: over any window of sum(weights) picks each agent gets
  // exactly its weight, and heavy agents are interleaved rather than picked in a burst.
  let total = 0;
  let chosen = first;
  let chosenCurrent = -Infinity;
  for (const c of eligible) {
    const current = (state.swrr[c.member.agentId] ?? 0) + c.member.weight;
    state.swrr[c.member.agentId] = current;
    total += c.member.weight;
    // Strictly greater: on a tie the earlier (lower position) candidate keeps it.
    if (current > chosenCurrent) {
      chosen = c;
      chosenCurrent = current;
    }
  }
  state.swrr[chosen.member.agentId] = chosenCurrent - total;

  const rest = eligible.filter((c) => c !== chosen).sort((a, b) => b.member.weight - a.member.weight || a.index - b.index);
  return ids([chosen, ...rest]);
}

/**
 * Tiers by ascending priority value; inside a tier, rotation from the tier's own pointer. Tier
 * pointers index all the tier's members, eligible or not, so an agent that is skipped for a while
 * keeps its place. Only the tier that takes the call advances.
 */
function byPriority(eligible: Candidate[], sorted: PickMember[], state: RotationState): string[] {
  const tierMembers = new Map<number, PickMember[]>();
  const tierIndex = new Map<PickMember, number>();
  for (const member of sorted) {
    const tier = tierMembers.get(member.priority);
    tierIndex.set(member, tier ? tier.length : 0);
    if (tier) tier.push(member);
    else tierMembers.set(member.priority, [member]);
  }
  const liveKeys = new Set([...tierMembers.keys()].map(String));
  for (const key of Object.keys(state.tierPointers)) if (!liveKeys.has(key)) delete state.tierPointers[key];

  const eligibleByTier = new Map<number, Candidate[]>();
  for (const c of eligible) {
    const inTier: Candidate = { ...c, index: tierIndex.get(c.member) ?? 0 };
    const list = eligibleByTier.get(c.member.priority);
    if (list) list.push(inTier);
    else eligibleByTier.set(c.member.priority, [inTier]);
  }

  const order: string[] = [];
  let served = false;
  for (const priority of [...eligibleByTier.keys()].sort((x, y) => x - y)) {
    const key = String(priority);
    const tier = eligibleByTier.get(priority) ?? [];
    const size = tierMembers.get(priority)?.length ?? tier.length;
    const rotated = rotate(tier, state.tierPointers[key], size);
    if (!served) {
      state.tierPointers[key] = rotated.next;
      served = true;
    }
    order.push(...ids(rotated.order));
  }
  return order;
}

function leastLoaded(eligible: Candidate[], length: number, state: RotationState): string[] {
  if (eligible.length === 0) return [];
  const start = wrap(state.pointer, length);
  // windowCount / weight compared by cross-multiplying, so equal scores tie exactly.
  const order = [...eligible].sort((a, b) => a.counters.windowCount * b.member.weight - b.counters.windowCount * a.member.weight || cyclicDistance(a.index, start, length) - cyclicDistance(b.index, start, length));
  const first = order[0];
  if (first) state.pointer = (first.index + 1) % length;
  return ids(order);
}
