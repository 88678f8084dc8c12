import { and, eq, inArray, or, sql } from "drizzle-orm";
import type { Executor } from "../executor";
import { agentGroups, inboundRoutingRules, tenants, voiceAgents, type FallbackTarget } from "../schema";
import { AppError } from "../../lib/errors";
import { lockTrunks } from "./trunks";

/*
 * Cross-entity references inside one tenant: targets that must exist before they are used,
 * and users of an entity that must be gone before it is deleted.
 */

export interface RuleReference {
  ruleId: string;
  name: string;
  pattern: string;
  /** How the rule uses the entity. */
  as: "target" | "fallback";
}

export interface EntityUsage {
  rules: RuleReference[];
  /** The tenant's default fallback (for unmatched calls) points at it. */
  tenantDefault: boolean;
}

function missing(kind: "voice agent" | "agent group" | "trunk", ids: string[], field: string): AppError {
  const list = ids.join(", ");
  return new AppError(404, "NOT_FOUND", `${kind === "voice agent" ? "Voice agent" : kind === "agent group" ? "Agent group" : "Trunk"}${ids.length > 1 ? "s" : ""} ${list} not found in this tenant (${field})`, {
    field,
    missing: ids,
  });
}

/** 404 naming every id in `ids` that is not one of the tenant's agents. */
export async function assertAgentsExist(db: Executor, tenantId: string, ids: string[], field: string, lock = false): Promise<void> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return;
  const query = db
    .select({ id: voiceAgents.id })
    .from(voiceAgents)
    .where(and(eq(voiceAgents.tenantId, tenantId), inArray(voiceAgents.id, unique)));
  const found = lock ? await query.for("update") : await query;
  const have = new Set(found.map((row) => row.id));
  const absent = unique.filter((id) => !have.has(id));
  if (absent.length > 0) throw missing("voice agent", absent, field);
}

export async function assertGroupExists(db: Executor, tenantId: string, id: string, field: string, lock = false): Promise<void> {
  const query = db
    .select({ id: agentGroups.id })
    .from(agentGroups)
    .where(and(eq(agentGroups.tenantId, tenantId), eq(agentGroups.id, id)))
    .limit(1);
  const [row] = lock ? await query.for("update") : await query;
  if (!row) throw missing("agent group", [id], field);
}

/**
 * A target (agent or group) of a rule or fallback must be the tenant's. The row is locked
 * until the transaction ends, so a concurrent delete waits and then sees the new reference.
 */
export async function assertTargetExists(db: Executor, tenantId: string, target: { type: "agent" | "group"; id: string }, field: string): Promise<void> {
  if (target.type === "agent") await assertAgentsExist(db, tenantId, [target.id], field, true);
  else await assertGroupExists(db, tenantId, target.id, field, true);
}

export async function assertFallbackExists(db: Executor, tenantId: string, fallback: FallbackTarget | null | undefined, field: string): Promise<void> {
  if (fallback && (fallback.type === "agent" || fallback.type === "group")) await assertTargetExists(db, tenantId, fallback, field);
  if (fallback?.type === "number" && fallback.trunkId) await assertTrunksExist(db, tenantId, [fallback.trunkId], field.replace(/\.id$/, ".trunkId"));
}

/** Inbound rules (as target or fallback) and the tenant default that use any of these agents or groups. */
export async function usageOf(db: Executor, tenantId: string, type: "agent" | "group", ids: string[]): Promise<Map<string, EntityUsage>> {
  const usage = new Map<string, EntityUsage>(ids.map((id) => [id, { rules: [], tenantDefault: false }]));
  if (ids.length === 0) return usage;
  const fallbackId = sql<string | null>`JSON_UNQUOTE(JSON_EXTRACT(${inboundRoutingRules.fallback}, '$.id'))`;
  const fallbackType = sql<string | null>`JSON_UNQUOTE(JSON_EXTRACT(${inboundRoutingRules.fallback}, '$.type'))`;
  const rules = await db
    .select({
      id: inboundRoutingRules.id,
      name: inboundRoutingRules.name,
      pattern: inboundRoutingRules.pattern,
      targetType: inboundRoutingRules.targetType,
      targetId: inboundRoutingRules.targetId,
      fallbackType,
      fallbackId,
    })
    .from(inboundRoutingRules)
    .where(
      and(
        eq(inboundRoutingRules.tenantId, tenantId),
        or(
          and(eq(inboundRoutingRules.targetType, type), inArray(inboundRoutingRules.targetId, ids)),
          and(
            sql`${fallbackType} = ${type}`,
            sql`${fallbackId} IN (${sql.join(
              ids.map((id) => sql`${id}`),
              sql`, `,
            )})`,
          ),
        ),
      ),
    )
    .orderBy(inboundRoutingRules.pattern);
  for (const rule of rules) {
    if (rule.targetType === type && usage.has(rule.targetId)) {
      usage.get(rule.targetId)!.rules.push({ ruleId: rule.id, name: rule.name, pattern: rule.pattern, as: "target" });
    }
    if (rule.fallbackType === type && rule.fallbackId && usage.has(rule.fallbackId)) {
      usage.get(rule.fallbackId)!.rules.push({ ruleId: rule.id, name: rule.name, pattern: rule.pattern, as: "fallback" });
    }
  }
  const [tenant] = await db.select({ defaultFallback: tenants.defaultFallback }).from(tenants).where(eq(tenants.id, tenantId)).limit(1);
  const fallback = tenant?.defaultFallback;
  if (fallback && fallback.type === type && usage.has(fallback.id)) usage.get(fallback.id)!.tenantDefault = true;
  return usage;
}

/** 409 naming the rules (and the tenant default) that still use any of these agents or groups. */
export async function assertUnused(db: Executor, tenantId: string, type: "agent" | "group", ids: string[]): Promise<void> {
  const usage = await usageOf(db, tenantId, type, ids);
  const blocked = [...usage.entries()].filter(([, use]) => use.rules.length > 0 || use.tenantDefault);
  if (blocked.length === 0) return;
  const what = type === "agent" ? "voice agent" : "agent group";
  const describe = ([id, use]: [string, EntityUsage]) => {
    const parts = use.rules.map((rule) => `rule "${rule.name || rule.pattern}" (${rule.ruleId}, ${rule.as})`);
    if (use.tenantDefault) parts.push("the tenant's default fallback");
    return `${id} is used by ${parts.join(", ")}`;
  };
  throw new AppError(409, "IN_USE", `Cannot delete: the ${what}${blocked.length > 1 ? "s are" : " is"} still in use (${blocked.map(describe).join("; ")}). Point those rules elsewhere first.`, {
    usedBy: blocked.map(([id, use]) => ({ id, rules: use.rules, tenantDefault: use.tenantDefault })),
  });
}

/** 404 naming every id in `ids` that is not one of the tenant's trunks; the rows stay locked. */
export async function assertTrunksExist(tx: Executor, tenantId: string, ids: string[], field: string): Promise<void> {
  const found = new Set((await lockTrunks(tx, tenantId, ids)).map((trunk) => trunk.id));
  const absent = ids.filter((id) => !found.has(id));
  if (absent.length > 0) throw missing("trunk", absent, field);
}
