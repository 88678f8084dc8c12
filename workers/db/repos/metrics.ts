import { and, count, eq, gte, sql } from "drizzle-orm";
import type { Executor } from "../executor";
import { agentGroups, callRollups, deadLetters, inboundRoutingRules, voiceAgents } from "../schema";

/** What GET /api/metrics reads from MySQL: a few indexed queries, whatever the call volume. */

export interface RollupTotals {
  direction: "inbound" | "outbound";
  groupId: string;
  agentId: string;
  calls: number;
  answered: number;
  failed: number;
  timedOut: number;
  abandoned: number;
  attempts: number;
  attemptsAnswered: number;
  attemptsFailed: number;
}

const sum = (column: Parameters<typeof sql>[1]) => sql<number>`cast(coalesce(sum(${column}), 0) as signed)`;

/** call_rollups summed per direction, group and agent over the slots from `since` (the primary key's range). */
export async function rollupTotals(db: Executor, tenantId: string, since: Date): Promise<RollupTotals[]> {
  const rows = await db
    .select({
      direction: callRollups.direction,
      groupId: callRollups.groupId,
      agentId: callRollups.agentId,
      calls: sum(callRollups.calls),
      answered: sum(callRollups.answered),
      failed: sum(callRollups.failed),
      timedOut: sum(callRollups.timedOut),
      abandoned: sum(callRollups.abandoned),
      attempts: sum(callRollups.attempts),
      attemptsAnswered: sum(callRollups.attemptsAnswered),
      attemptsFailed: sum(callRollups.attemptsFailed),
    })
    .from(callRollups)
    .where(and(eq(callRollups.tenantId, tenantId), gte(callRollups.slotStart, since)))
    .groupBy(callRollups.direction, callRollups.groupId, callRollups.agentId);
  return rows.map((row) => ({
    ...row,
    calls: Number(row.calls),
    answered: Number(row.answered),
    failed: Number(row.failed),
    timedOut: Number(row.timedOut),
    abandoned: Number(row.abandoned),
    attempts: Number(row.attempts),
    attemptsAnswered: Number(row.attemptsAnswered),
    attemptsFailed: Number(row.attemptsFailed),
  }));
}

/** The tenant's agents and groups by id, for labels. */
export async function namesOf(db: Executor, tenantId: string): Promise<{ agents: Map<string, string>; groups: Map<string, string> }> {
  const [agents, groups] = await Promise.all([
    db.select({ id: voiceAgents.id, name: voiceAgents.name }).from(voiceAgents).where(eq(voiceAgents.tenantId, tenantId)),
    db.select({ id: agentGroups.id, name: agentGroups.name }).from(agentGroups).where(eq(agentGroups.tenantId, tenantId)),
  ]);
  return { agents: new Map(agents.map((a) => [a.id, a.name])), groups: new Map(groups.map((g) => [g.id, g.name])) };
}

/** Agents that inbound rules target directly: each has a balancer of its own ("agent:<id>"). */
export async function directlyTargetedAgents(db: Executor, tenantId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ id: inboundRoutingRules.targetId })
    .from(inboundRoutingRules)
    .where(and(eq(inboundRoutingRules.tenantId, tenantId), eq(inboundRoutingRules.targetType, "agent")));
  return rows.map((row) => row.id);
}

export async function parkedDeadLetterCount(db: Executor, tenantId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(deadLetters)
    .where(and(eq(deadLetters.tenantId, tenantId), eq(deadLetters.status, "parked")));
  return Number(row?.n ?? 0);
}
