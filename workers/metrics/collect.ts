import type { AgentLiveStats } from "../../durable-objects/group-balancer";
import { directlyTargetedAgents, namesOf, parkedDeadLetterCount, rollupTotals, type RollupTotals } from "../db/repos/metrics";
import { floorSlot } from "../analytics/slots";
import { log } from "../lib/log";
import type { Services } from "../services";
import type { MetricFamily, Sample } from "./prometheus";

/*
 * The figures of GET /api/metrics for one tenant, from what already exists: the 15-minute call
 * rollups (calls and attempts by outcome, agent and group), the tenant hub's live-call registry,
 * the group balancers' health, the parked dead letters, and the call-events queue's backlog.
 * Every source is read in parallel; one that fails is reported by cxlb_metrics_source_up = 0
 * instead of failing the scrape.
 */

export const METRICS_WINDOWS = { "15m": 15 * 60_000, "1h": 3_600_000, "24h": 86_400_000 } as const;
export type MetricsWindow = keyof typeof METRICS_WINDOWS;

/** At most this many balancers are asked for health per scrape (groups first, then directly targeted agents). */
export const MAX_BALANCERS = 200;

interface Sources {
  rollups: RollupTotals[] | null;
  names: { agents: Map<string, string>; groups: Map<string, string> } | null;
  live: { direction: string }[] | null;
  health: { balancers: number; asked: number; unavailable: number; out: { balancer: string; agentId: string; until: number | null }[] } | null;
  deadLetters: number | null;
  queue: { backlogCount: number; backlogBytes: number; oldestMessageTimestamp?: Date } | null;
}

async function attempt<T>(source: string, read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (err) {
    log.warn("metrics.source_failed", { source, error: err });
    return null;
  }
}

async function healthOf(services: Services, tenantId: string, groupIds: string[]): Promise<NonNullable<Sources["health"]>> {
  const agents = await directlyTargetedAgents(await services.db(), tenantId);
  const all = [...groupIds.sort(), ...agents.sort().map((id) => `agent:${id}`)];
  const balancers = all.slice(0, MAX_BALANCERS);
  const results = await Promise.all(
    balancers.map((name) =>
      services.env.GROUP_BALANCER.getByName(name)
        .stats(24)
        .catch((): AgentLiveStats[] | null => null),
    ),
  );
  const out: NonNullable<Sources["health"]>["out"] = [];
  results.forEach((stats, i) => {
    for (const member of stats ?? []) if (!member.healthy) out.push({ balancer: balancers[i]!, agentId: member.agentId, until: member.unhealthyUntil });
  });
  return { balancers: all.length, asked: balancers.length, unavailable: results.filter((r) => r === null).length, out };
}

export async function collectMetrics(services: Services, tenantId: string, window: MetricsWindow, now = Date.now()): Promise<MetricFamily[]> {
  const since = new Date(floorSlot(now - METRICS_WINDOWS[window]));
  const db = await services.db();
  const names = await attempt("names", () => namesOf(db, tenantId));
  const [rollups, live, health, deadLetters, queue] = await Promise.all([
    attempt("rollups", () => rollupTotals(db, tenantId, since)),
    attempt("live_calls", async () => (await services.env.TENANT_HUB.getByName(tenantId).liveCalls()).calls),
    attempt("health", () => healthOf(services, tenantId, [...(names?.groups.keys() ?? [])])),
    attempt("dead_letters", () => parkedDeadLetterCount(db, tenantId)),
    attempt("queue", () => services.env.CALL_EVENTS.metrics()),
  ]);
  return families({ rollups, names, live, health, deadLetters, queue }, window, since, now);
}

const OUTCOMES = [
  ["answered", "answered"],
  ["failed", "failed"],
  ["timed_out", "timedOut"],
  ["abandoned", "abandoned"],
] as const;

/** Pure: the families from what the sources gave (null = that source failed). */
export function families(s: Sources, window: MetricsWindow, since: Date, now: number): MetricFamily[] {
  const agentName = (id: string) => (id ? (s.names?.agents.get(id) ?? "") : "");
  const groupName = (id: string) => (id ? (s.names?.groups.get(id) ?? "") : "");
  const who = (row: RollupTotals) => ({ direction: row.direction, group_id: row.groupId, group: groupName(row.groupId), agent_id: row.agentId, agent: agentName(row.agentId) });
  const calls: Sample[] = [];
  const attempts: Sample[] = [];
  for (const row of s.rollups ?? []) {
    for (const [outcome, field] of OUTCOMES) if (row[field]) calls.push({ labels: { outcome, ...who(row) }, value: row[field] });
    if (row.attemptsAnswered) attempts.push({ labels: { outcome: "answered", ...who(row) }, value: row.attemptsAnswered });
    if (row.attemptsFailed) attempts.push({ labels: { outcome: "failed", ...who(row) }, value: row.attemptsFailed });
    const other = row.attempts - row.attemptsAnswered - row.attemptsFailed;
    if (other > 0) attempts.push({ labels: { outcome: "other", ...who(row) }, value: other });
  }
  const liveByDirection = new Map<string, number>();
  for (const call of s.live ?? []) liveByDirection.set(call.direction, (liveByDirection.get(call.direction) ?? 0) + 1);
  const out = s.health?.out ?? [];
  const up = (source: string, value: unknown) => ({ labels: { source }, value: value === null ? 0 : 1 });
  const list: MetricFamily[] = [
    { name: "cxlb_metrics_window_seconds", help: "The window the call and attempt figures cover: calls started since the start of the 15-minute slot this long ago", type: "gauge", samples: [{ value: (now - since.getTime()) / 1000 }] },
    {
      name: "cxlb_metrics_source_up",
      help: "1 when the source answered this scrape, 0 when it failed (its figures are then missing)",
      type: "gauge",
      samples: [up("rollups", s.rollups), up("names", s.names), up("live_calls", s.live), up("health", s.health), up("dead_letters", s.deadLetters), up("queue", s.queue)],
    },
    { name: "cxlb_calls", help: `Ended calls started in the window (${window}), by final outcome, direction, group and agent (empty id: none)`, type: "gauge", samples: calls },
    { name: "cxlb_attempts", help: `Dial attempts of calls started in the window (${window}), by outcome, direction and the group and agent dialled`, type: "gauge", samples: attempts },
  ];
  if (s.live) list.push({ name: "cxlb_live_calls", help: "Calls in progress now, by direction", type: "gauge", samples: ["inbound", "outbound"].map((direction) => ({ labels: { direction }, value: liveByDirection.get(direction) ?? 0 })) });
  if (s.health) {
    list.push(
      { name: "cxlb_agents_out_for_health", help: "Agents some balancer has taken out of rotation for health now", type: "gauge", samples: [{ value: new Set(out.map((o) => o.agentId)).size }] },
      {
        name: "cxlb_agent_out_for_health",
        help: "1 per agent and balancer (a group id, or agent:<id> for a directly targeted agent) that has it out for health; until is when it may return (epoch seconds, 0 unknown)",
        type: "gauge",
        samples: out.map((o) => ({ labels: { agent_id: o.agentId, agent: agentName(o.agentId), balancer: o.balancer, until: String(o.until ? Math.round(o.until / 1000) : 0) }, value: 1 })),
      },
      {
        name: "cxlb_health_balancers",
        help: "Balancers of the tenant, how many were asked this scrape (at most 200) and how many did not answer",
        type: "gauge",
        samples: [
          { labels: { state: "total" }, value: s.health.balancers },
          { labels: { state: "asked" }, value: s.health.asked },
          { labels: { state: "unavailable" }, value: s.health.unavailable },
        ],
      },
    );
  }
  if (s.deadLetters !== null) list.push({ name: "cxlb_dead_letters_parked", help: "Queue messages of this tenant that could not be stored and wait to be replayed or discarded", type: "gauge", samples: [{ value: s.deadLetters }] });
  if (s.queue) {
    const oldest = s.queue.oldestMessageTimestamp ? Math.max(0, (now - new Date(s.queue.oldestMessageTimestamp).getTime()) / 1000) : 0;
    list.push(
      {
        name: "cxlb_queue_backlog_messages",
        help: "Messages waiting in the call-events queue, shared by every tenant of this deployment: how far behind call records and deliveries are",
        type: "gauge",
        samples: [{ labels: { queue: "call-events" }, value: s.queue.backlogCount }],
      },
      { name: "cxlb_queue_oldest_message_age_seconds", help: "Age of the oldest message waiting in the call-events queue (0 when empty), shared by every tenant", type: "gauge", samples: [{ labels: { queue: "call-events" }, value: oldest }] },
    );
  }
  return list;
}
