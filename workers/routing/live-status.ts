import type { AgentLiveStats } from "../../durable-objects/group-balancer";
import { log } from "../lib/log";
import type { Services } from "../services";

/*
 * Live figures for the configuration API, read from the GroupBalancer objects: they hold the
 * exact live call counts, rolling windows and health. Each balancer is asked in parallel;
 * one that cannot answer is reported as unavailable rather than failing the request.
 */

export type LiveFigures = Record<string, unknown>;

async function statsOf(services: Services, balancer: string, windowHours: number): Promise<AgentLiveStats[] | null> {
  try {
    return await services.env.GROUP_BALANCER.getByName(balancer).stats(windowHours);
  } catch (err) {
    log.warn("live_status.balancer_unavailable", { balancer, error: err });
    return null;
  }
}

/**
 * One agent across the balancers that route to it: its groups and its own ("agent:<id>", for
 * rules that target it directly). Active calls and window counts add up; it is healthy only
 * where every balancer considers it healthy.
 */
export async function agentLiveStatus(services: Services, _tenantId: string, agentId: string, groupIds: string[]): Promise<LiveFigures | null> {
  const balancers = [`agent:${agentId}`, ...groupIds];
  const results = await Promise.all(balancers.map((b) => statsOf(services, b, 24)));
  if (results.every((r) => r === null)) return null;
  const byBalancer = balancers.map((balancer, i) => {
    const row = results[i]?.find((s) => s.agentId === agentId);
    return {
      balancer,
      groupId: balancer.startsWith("agent:") ? null : balancer,
      available: results[i] !== null,
      activeCalls: row?.active ?? 0,
      callsLast24h: row?.windowCount ?? 0,
      healthy: row?.healthy ?? true,
      unhealthyUntil: row?.unhealthyUntil ?? null,
      consecutiveFailures: row?.consecutiveFailures ?? 0,
      successes: row?.successes ?? 0,
      failures: row?.failures ?? 0,
    };
  });
  const unhealthy = byBalancer.filter((b) => !b.healthy);
  return {
    activeCalls: byBalancer.reduce((n, b) => n + b.activeCalls, 0),
    callsLast24h: byBalancer.reduce((n, b) => n + b.callsLast24h, 0),
    healthy: unhealthy.length === 0,
    unhealthyUntil: unhealthy.length ? Math.max(...unhealthy.map((b) => b.unhealthyUntil ?? 0)) : null,
    successes: byBalancer.reduce((n, b) => n + b.successes, 0),
    failures: byBalancer.reduce((n, b) => n + b.failures, 0),
    byBalancer,
  };
}

/** One group's balancer: per member active calls, calls in the window and their share, health. */
export async function groupLiveStats(services: Services, _tenantId: string, groupId: string, windowHours: number): Promise<LiveFigures | null> {
  const stats = await statsOf(services, groupId, windowHours);
  if (!stats) return null;
  const windowTotal = stats.reduce((n, s) => n + s.windowCount, 0);
  return {
    windowHours,
    activeCalls: stats.reduce((n, s) => n + s.active, 0),
    callsInWindow: windowTotal,
    members: stats.map((s) => ({
      agentId: s.agentId,
      activeCalls: s.active,
      callsInWindow: s.windowCount,
      share: windowTotal ? s.windowCount / windowTotal : 0,
      healthy: s.healthy,
      unhealthyUntil: s.unhealthyUntil,
      consecutiveFailures: s.consecutiveFailures,
      successes: s.successes,
      failures: s.failures,
    })),
  };
}
