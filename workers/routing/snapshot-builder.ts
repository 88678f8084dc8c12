import { asc, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import type { Executor } from "../db/executor";
import { cxmlProviderId } from "../domain/providers";
import { agentGroupMembers, agentGroups, inboundRoutingRules, outboundRoutingRules, providerAccounts, tenants, trunks, voiceAgents } from "../db/schema";
import { schedules as scheduleTable } from "../db/schema";
import { SNAPSHOT_FORMAT } from "../contracts/snapshot";
import type { RoutingSnapshot, SnapshotGroup } from "./snapshot-types";

/**
 * Compiles a tenant's routing configuration from MySQL; null when the tenant does not exist.
 * Read in one transaction (MySQL's default REPEATABLE READ reads every table as of the first
 * read), so the snapshot's content is exactly the configuration of the version it carries.
 */
export function buildSnapshot(db: Db, tenantId: string): Promise<RoutingSnapshot | null> {
  return db.transaction((tx) => readSnapshot(tx, tenantId));
}

async function readSnapshot(db: Executor, tenantId: string): Promise<RoutingSnapshot | null> {
  const [tenant] = await db.select().from(tenants).where(eq(tenants.id, tenantId)).limit(1);
  if (!tenant) return null;
  const [agentRows, groupRows, memberRows, trunkRows, inboundRows, outboundRows] = await Promise.all([
    db.select().from(voiceAgents).where(eq(voiceAgents.tenantId, tenantId)),
    db.select().from(agentGroups).where(eq(agentGroups.tenantId, tenantId)),
    db.select().from(agentGroupMembers).where(eq(agentGroupMembers.tenantId, tenantId)).orderBy(asc(agentGroupMembers.position)),
    db.select().from(trunks).where(eq(trunks.tenantId, tenantId)),
    db.select().from(inboundRoutingRules).where(eq(inboundRoutingRules.tenantId, tenantId)),
    db.select().from(outboundRoutingRules).where(eq(outboundRoutingRules.tenantId, tenantId)),
  ]);

  // Only the schedules rules use, and only for tenants that use any: most never read the table.
  const usedSchedules = new Set(inboundRows.flatMap((r) => (r.scheduleId ? [r.scheduleId] : [])));
  const scheduleRows = usedSchedules.size > 0 ? await db.select().from(scheduleTable).where(eq(scheduleTable.tenantId, tenantId)) : [];
  const schedules: NonNullable<RoutingSnapshot["schedules"]> = {};
  for (const s of scheduleRows) {
    if (usedSchedules.has(s.id)) schedules[s.id] = { id: s.id, name: s.name, timezone: s.timezone, weekly: s.weekly, closures: s.closures ?? [], overrides: s.overrides ?? [] };
  }

  // Only tenants that assign agents to provider accounts read the table.
  const accountRows = agentRows.some((a) => a.providerAccountId) ? await db.select().from(providerAccounts).where(eq(providerAccounts.tenantId, tenantId)) : [];
  const accounts: NonNullable<RoutingSnapshot["accounts"]> = {};
  for (const a of accountRows) accounts[a.id] = { id: a.id, name: a.name, maxConcurrentCalls: a.maxConcurrentCalls };

  const agents: RoutingSnapshot["agents"] = {};
  for (const a of agentRows) {
    agents[a.id] = {
      id: a.id,
      name: a.name,
      provider: cxmlProviderId(a.provider),
      serviceValue: a.serviceValue,
      username: a.username,
      passwordEnc: a.passwordEnc,
      enabled: a.enabled,
      maxConcurrentCalls: a.maxConcurrentCalls,
      weight: a.weight,
      // Only what is set travels: a tenant's 1,000 plain agents stay as small as before.
      ...(a.trunkId ? { trunkId: a.trunkId } : {}),
      ...(a.context?.length ? { context: a.context } : {}),
      ...(a.providerAccountId && accounts[a.providerAccountId] ? { accountId: a.providerAccountId } : {}),
    };
  }

  const groups: Record<string, SnapshotGroup> = {};
  for (const g of groupRows) {
    groups[g.id] = {
      id: g.id,
      name: g.name,
      strategy: g.strategy,
      rollingWindowHours: g.rollingWindowHours,
      maxAttempts: g.maxAttempts,
      stickyTtlSeconds: g.stickyTtlSeconds,
      enabled: g.enabled,
      members: [],
      ...(g.failoverOn ? { failoverOn: g.failoverOn } : {}),
      ...(g.timeLimitSec ? { timeLimitSec: g.timeLimitSec } : {}),
      ...(g.context?.length ? { context: g.context } : {}),
      ...(g.overflow && g.overflow.type !== "next" ? { overflow: g.overflow } : {}),
    };
  }
  for (const m of memberRows) {
    const agent = agents[m.agentId];
    const group = groups[m.groupId];
    if (!agent || !group) continue;
    group.members.push({
      agentId: m.agentId,
      position: m.position,
      priority: m.priority,
      weight: m.weight ?? agent.weight,
      capacity: m.maxConcurrentCalls ?? agent.maxConcurrentCalls,
    });
  }

  return {
    format: SNAPSHOT_FORMAT,
    tenantId,
    version: tenant.configVersion,
    builtAt: Date.now(),
    domain: tenant.cloudonixDomain?.toLowerCase() ?? null,
    requestKeyHash: tenant.requestKeyHash,
    previousRequestKeyHash: tenant.previousRequestKeyHash,
    previousRequestKeyExpiresAt: tenant.previousRequestKeyExpiresAt?.getTime() ?? null,
    callbackTokenHash: tenant.callbackTokenHash,
    previousCallbackTokenHash: tenant.previousCallbackTokenHash,
    previousCallbackTokenExpiresAt: tenant.previousCallbackTokenExpiresAt?.getTime() ?? null,
    routingNumberHeader: tenant.routingNumberHeader ?? null,
    timezone: tenant.timezone,
    defaultFallback: tenant.defaultFallback ?? null,
    unmatchedAction: tenant.unmatchedAction,
    outboundCallerPatterns: tenant.outboundCallerPatterns ?? [],
    agents,
    groups,
    trunks: Object.fromEntries(trunkRows.map((t) => [t.id, { id: t.id, name: t.name, callerIdOverride: t.callerIdOverride, enabled: t.enabled }])),
    inboundRules: inboundRows.map((r) => ({
      id: r.id,
      name: r.name,
      pattern: r.pattern,
      matchType: r.matchType,
      priority: r.priority,
      enabled: r.enabled,
      targetType: r.targetType,
      targetId: r.targetId,
      fallback: r.fallback ?? null,
      ...(r.scheduleId ? { scheduleId: r.scheduleId, closedTarget: r.closedTarget ?? null } : {}),
      // Only conditioned rules carry the key: a tenant's 10,000 plain rules stay as small as before.
      ...(r.headerName !== null && r.headerValue !== null ? { header: { name: r.headerName, value: r.headerValue } } : {}),
      ...(r.callType === "api" ? { callType: r.callType } : {}),
      ...(r.timeLimitSec ? { timeLimitSec: r.timeLimitSec } : {}),
      ...(r.context?.length ? { context: r.context } : {}),
      ...(r.overflow ? { overflow: r.overflow } : {}),
    })),
    schedules,
    ...(accountRows.length ? { accounts } : {}),
    outboundRules: outboundRows.map((r) => ({
      id: r.id,
      name: r.name,
      callerPatterns: r.callerPatterns ?? [],
      destinationPrefix: r.destinationPrefix,
      trunkIds: r.trunkIds,
      priority: r.priority,
      enabled: r.enabled,
    })),
  };
}
