/**
 * Passive agent health from call outcomes: FAILURE_THRESHOLD consecutive failures take an agent
 * out of rotation for COOL_DOWN_MS; after the cool-down it is tried again (half-open), and one
 * more failure takes it out again at once, while a success restores it fully.
 */
export const FAILURE_THRESHOLD = 3;
export const COOL_DOWN_MS = 60_000;

export interface AgentHealth {
  consecutiveFailures: number;
  unhealthyUntil: number;
}

export const HEALTHY: AgentHealth = { consecutiveFailures: 0, unhealthyUntil: 0 };

export function isHealthy(health: AgentHealth, now: number): boolean {
  return health.unhealthyUntil <= now;
}

export function recordOutcome(health: AgentHealth, outcome: "success" | "failure", now: number): { health: AgentHealth; changed: "became_unhealthy" | "became_healthy" | null } {
  const wasHealthy = isHealthy(health, now) && health.consecutiveFailures < FAILURE_THRESHOLD;
  if (outcome === "success") {
    return { health: HEALTHY, changed: wasHealthy ? null : "became_healthy" };
  }
  const failures = health.consecutiveFailures + 1;
  if (failures >= FAILURE_THRESHOLD) {
    return {
      health: { consecutiveFailures: failures, unhealthyUntil: now + COOL_DOWN_MS },
      changed: isHealthy(health, now) ? "became_unhealthy" : null,
    };
  }
  return { health: { consecutiveFailures: failures, unhealthyUntil: health.unhealthyUntil }, changed: null };
}

/** Hour buckets keep the rolling window's memory bounded: one counter per agent per hour. */
export const hourOf = (ms: number) => Math.floor(ms / 3_600_000);

/** Calls in the rolling window: the current (partial) hour plus the previous windowHours - 1. */
export function windowSum(buckets: ReadonlyMap<number, number> | undefined, windowHours: number, now: number): number {
  if (!buckets) return 0;
  const oldest = hourOf(now) - windowHours + 1;
  let sum = 0;
  for (const [hour, count] of buckets) if (hour >= oldest) sum += count;
  return sum;
}
