import { and, eq, inArray, or, sql, type Column } from "drizzle-orm";
import type { Executor } from "../executor";
import { agentGroups, campaigns, inboundRoutingRules, outboundRoutingRules, tenants, voiceAgents } from "../schema";
import { AppError } from "../../lib/errors";

/*
 * Everything that dials through a trunk: phone-number agents, outbound rules, and every
 * "number" target that names it (a group's or rule's overflow, a rule's fallback or closed-hours
 * target, the tenant's default fallback), and campaigns not yet finished. Deleting the trunk
 * under any of them would leave a call that cannot be placed, so a delete is refused while one
 * remains. Writers of those references lock the trunk row first (assertTrunksExist), and the
 * delete holds that lock too, so neither side can slip past the other.
 */

export interface TrunkUser {
  kind: "agent" | "outbound_rule" | "group" | "inbound_rule" | "tenant" | "campaign";
  id: string;
  name: string;
  /** How it uses the trunk. */
  as: "trunk" | "overflow" | "fallback" | "closedTarget" | "defaultFallback";
}

/** A JSON target column's `$.field`, as text (null when absent). */
const field = (column: Column, name: "type" | "trunkId") => sql<string | null>`JSON_UNQUOTE(JSON_EXTRACT(${column}, ${`$.${name}`}))`;
/** The column holds a "number" target through this trunk. */
const numberVia = (column: Column, trunkId: string) => sql`(${field(column, "type")} = 'number' AND ${field(column, "trunkId")} = ${trunkId})`;

/** MySQL answers a comparison as 1, 0 or NULL (a column without that target). */
const isTrue = (value: unknown) => Number(value) === 1;

/** A campaign dials through its trunk until it is stopped or completed. */
const OPEN_CAMPAIGNS = ["draft", "running", "paused"] as const;

export async function trunkUsers(db: Executor, tenantId: string, trunkId: string): Promise<TrunkUser[]> {
  const agents = await db
    .select({ id: voiceAgents.id, name: voiceAgents.name })
    .from(voiceAgents)
    .where(and(eq(voiceAgents.tenantId, tenantId), eq(voiceAgents.trunkId, trunkId)));
  const outbound = await db
    .select({ id: outboundRoutingRules.id, name: outboundRoutingRules.name, prefix: outboundRoutingRules.destinationPrefix })
    .from(outboundRoutingRules)
    .where(and(eq(outboundRoutingRules.tenantId, tenantId), sql`JSON_CONTAINS(${outboundRoutingRules.trunkIds}, ${JSON.stringify(trunkId)})`));
  const groups = await db
    .select({ id: agentGroups.id, name: agentGroups.name })
    .from(agentGroups)
    .where(and(eq(agentGroups.tenantId, tenantId), numberVia(agentGroups.overflow, trunkId)));
  const rules = await db
    .select({
      id: inboundRoutingRules.id,
      name: inboundRoutingRules.name,
      pattern: inboundRoutingRules.pattern,
      overflow: numberVia(inboundRoutingRules.overflow, trunkId).mapWith(isTrue),
      fallback: numberVia(inboundRoutingRules.fallback, trunkId).mapWith(isTrue),
      closedTarget: numberVia(inboundRoutingRules.closedTarget, trunkId).mapWith(isTrue),
    })
    .from(inboundRoutingRules)
    .where(and(eq(inboundRoutingRules.tenantId, tenantId), or(numberVia(inboundRoutingRules.overflow, trunkId), numberVia(inboundRoutingRules.fallback, trunkId), numberVia(inboundRoutingRules.closedTarget, trunkId))))
    .orderBy(inboundRoutingRules.pattern);
  const [tenant] = await db
    .select({ id: tenants.id, name: tenants.name })
    .from(tenants)
    .where(and(eq(tenants.id, tenantId), numberVia(tenants.defaultFallback, trunkId)));
  const open = await db
    .select({ id: campaigns.id, name: campaigns.name })
    .from(campaigns)
    .where(and(eq(campaigns.tenantId, tenantId), eq(campaigns.trunkId, trunkId), inArray(campaigns.status, [...OPEN_CAMPAIGNS])));

  const users: TrunkUser[] = [
    ...agents.map((a) => ({ kind: "agent" as const, id: a.id, name: a.name, as: "trunk" as const })),
    ...outbound.map((r) => ({ kind: "outbound_rule" as const, id: r.id, name: r.name || `${r.prefix}*`, as: "trunk" as const })),
    ...groups.map((g) => ({ kind: "group" as const, id: g.id, name: g.name, as: "overflow" as const })),
  ];
  for (const rule of rules) {
    for (const as of ["fallback", "closedTarget", "overflow"] as const) if (rule[as]) users.push({ kind: "inbound_rule", id: rule.id, name: rule.name || rule.pattern, as });
  }
  if (tenant) users.push({ kind: "tenant", id: tenant.id, name: tenant.name, as: "defaultFallback" });
  users.push(...open.map((c) => ({ kind: "campaign" as const, id: c.id, name: c.name, as: "trunk" as const })));
  return users;
}

const KIND = { agent: "phone-number agent", outbound_rule: "outbound rule", group: "agent group", inbound_rule: "inbound rule", campaign: "campaign" } as const;
const AS = { trunk: "", overflow: " as its overflow", fallback: " as its fallback", closedTarget: " as its closed-hours target", defaultFallback: "" } as const;

const describe = (user: TrunkUser) => (user.kind === "tenant" ? "the tenant's default fallback" : `${KIND[user.kind]} "${user.name}" (${user.id})${AS[user.as]}`);

/** 409 naming everything that still dials through the trunk. */
export async function assertTrunkUnused(db: Executor, tenantId: string, trunkId: string): Promise<void> {
  const users = await trunkUsers(db, tenantId, trunkId);
  if (users.length === 0) return;
  throw new AppError(409, "IN_USE", `Cannot delete: the trunk is used by ${users.map(describe).join(", ")}. Give them another trunk (or none) first.`, { usedBy: users });
}
