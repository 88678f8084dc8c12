import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { deleteInbound, findInbound, inboundConflictScope, insertInbound, listInbound, updateInbound, type InboundRow, type NewInboundRow } from "../db/repos/inbound-rules";
import { assertFallbackExists, assertTargetExists } from "../db/repos/references";
import { assertScheduleRefs } from "../db/repos/schedules";
import type { Executor } from "../db/executor";
import { conditionKey, type HeaderCondition } from "../domain/carrier-headers";
import { findInboundConflict, type Conflict, type InboundRuleRef } from "../domain/rule-conflicts";
import { adminWrites, requireAuth } from "../middleware/auth";
import { apiRoutes } from "../openapi/declare";
import { commitChange } from "../lib/change";
import { etag } from "../lib/concurrency";
import { deleteVersioned, saveVersioned } from "../lib/versioned-change";
import { uniqueOr409 } from "../lib/db-conflicts";
import { AppError, notFound } from "../lib/errors";
import { newId } from "../lib/ids";
import { IdParams } from "../schemas/common";
import { CreateInboundBody, InboundRulePage, InboundRuleSchema, ListInboundQuery, UpdateInboundBody, displayPattern, type InboundRuleDto } from "../schemas/inbound-rules";

const route = apiRoutes("Inbound rules");
const CONFLICTS = "Duplicates (the same pattern and the same header condition) and rules that could never match a call are refused with 409 RULE_CONFLICT naming the other rule.";

export function toInboundDto(row: InboundRow): InboundRuleDto {
  return {
    id: row.id,
    name: row.name,
    pattern: row.pattern,
    displayPattern: displayPattern(row.pattern),
    matchType: row.matchType,
    priority: row.priority,
    enabled: row.enabled,
    target: { type: row.targetType, id: row.targetId },
    fallback: row.fallback ?? null,
    header: row.headerName !== null && row.headerValue !== null ? { name: row.headerName, value: row.headerValue } : null,
    scheduleId: row.scheduleId ?? null,
    closedTarget: row.closedTarget ?? null,
    callType: row.callType,
    timeLimitSec: row.timeLimitSec ?? null,
    context: row.context ?? [],
    overflow: row.overflow ?? null,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const label = (rule: InboundRuleRef) => `"${rule.name || displayPattern(rule.pattern)}" (${displayPattern(rule.pattern)}, ${rule.id})`;

/** The columns of a header condition: both null without one; conditionKey keys the unique index. */
const conditionColumns = (header: HeaderCondition | null) => ({ headerName: header?.name ?? null, headerValue: header?.value ?? null, conditionKey: conditionKey(header) });

const withCondition = (pattern: string, key: string) => `${displayPattern(pattern)}${key ? ` with the condition ${key.replace("\n", " = ")}` : ""}`;

function conflictError(candidate: InboundRuleRef, conflict: Conflict<InboundRuleRef>): AppError {
  const shown = displayPattern(candidate.pattern);
  const message =
    conflict.kind === "duplicate"
      ? `The pattern ${withCondition(candidate.pattern, candidate.conditionKey ?? "")} is already used by rule ${label(conflict.rule)}; change that rule instead, or use another pattern or header condition`
      : conflict.kind === "shadowed"
        ? `This rule could never match a call: every number matching ${shown} is taken by more specific rules (${conflict.coveredBy!.slice(0, 5).map(label).join(", ")}${conflict.coveredBy!.length > 5 ? ", …" : ""}). Remove or disable one of them, or save this rule disabled`
        : `With this rule, rule ${label(conflict.rule)} could never match a call: more specific rules would take every number it matches. Disable or change that rule first`;
  const ref = (rule: InboundRuleRef) => ({ id: rule.id, name: rule.name, pattern: rule.pattern });
  return new AppError(409, "RULE_CONFLICT", message, {
    reason: conflict.kind,
    conflictingRule: ref(conflict.rule),
    ...(conflict.coveredBy ? { coveredBy: conflict.coveredBy.map(ref) } : {}),
  });
}

/**
 * Refuses duplicates (also a unique index) and rules that could never win. The rules it reads
 * stay locked until the save commits (inboundConflictScope), so concurrent saves are checked
 * one after the other.
 */
async function assertNoConflict(tx: Executor, tenantId: string, candidate: InboundRuleRef, callType: "inbound" | "api"): Promise<void> {
  const digits = candidate.pattern.endsWith("*") ? candidate.pattern.slice(0, -1) : candidate.pattern;
  const others = await inboundConflictScope(tx, tenantId, digits, candidate.id, callType);
  const conflict = findInboundConflict(candidate, others);
  if (conflict) throw conflictError(candidate, conflict);
}

const duplicatePattern = (pattern: string, key: string) => `The pattern ${withCondition(pattern, key)} is already used by another rule of this tenant`;

/** One rule's row, as saveVersioned and deleteVersioned lock, check and audit it. */
const versioned = (tenantId: string, id: string, action: "updated" | "deleted") => ({
  change: { entity: "inbound_rule", action } as const,
  name: "inbound rule",
  find: (tx: Executor, lock?: { forUpdate: true }) => findInbound(tx, tenantId, id, lock),
  audited: toInboundDto,
});

export const inboundRules = new Hono<AppEnv>()
  .use(requireAuth, adminWrites)
  .get("/", route("List inbound rules", { query: ListInboundQuery, response: InboundRulePage }), async (c) => {
    const { sort, order, limit, cursor, ...filters } = c.req.valid("query");
    const db = await c.get("services").db();
    const page = await listInbound(db, c.get("auth").tenantId, filters, { sort, order, limit, cursor, filters });
    return c.json({ items: page.rows.map(toInboundDto), nextCursor: page.nextCursor });
  })
  .post("/", route("Create an inbound rule", { auth: "admin", body: CreateInboundBody, response: InboundRuleSchema, status: 201, errors: [404, 409], description: CONFLICTS }), async (c) => {
    const input = c.req.valid("json");
    const { tenantId } = c.get("auth");
    const row: NewInboundRow = {
      id: newId("irl"),
      tenantId,
      name: input.name ?? "",
      pattern: input.pattern.pattern,
      matchType: input.pattern.matchType,
      priority: input.priority ?? 100,
      enabled: input.enabled ?? true,
      targetType: input.target.type,
      targetId: input.target.id,
      fallback: input.fallback ?? null,
      ...conditionColumns(input.header ?? null),
      scheduleId: input.scheduleId ?? null,
      closedTarget: input.closedTarget ?? null,
      callType: input.callType ?? "inbound",
      timeLimitSec: input.timeLimitSec ?? null,
      context: input.context ?? null,
      overflow: input.overflow ?? null,
    };
    const rule = await commitChange(c, { entity: "inbound_rule", action: "created" }, async (tx, audit) => {
      await assertTargetExists(tx, tenantId, input.target, "target.id");
      await assertFallbackExists(tx, tenantId, input.fallback, "fallback.id");
      await assertScheduleRefs(tx, tenantId, input);
      await assertFallbackExists(tx, tenantId, input.overflow?.type === "number" ? input.overflow : null, "overflow.id");
      await assertNoConflict(tx, tenantId, { id: row.id!, name: row.name!, pattern: row.pattern, matchType: row.matchType, enabled: row.enabled!, conditionKey: row.conditionKey! }, row.callType!);
      await uniqueOr409(() => insertInbound(tx, row), "inbound_rules_tenant_pattern_uq", duplicatePattern(row.pattern, row.conditionKey!), { reason: "duplicate" });
      const created = (await findInbound(tx, tenantId, row.id!))!;
      audit.record(created.id, null, toInboundDto(created));
      return created;
    });
    c.header("ETag", etag(rule.version));
    c.header("Location", `/api/inbound-rules/${rule.id}`);
    return c.json(toInboundDto(rule), 201);
  })
  .get("/:id", route("Get an inbound rule", { params: IdParams, response: InboundRuleSchema }), async (c) => {
    const rule = await findInbound(await c.get("services").db(), c.get("auth").tenantId, c.req.param("id"));
    if (!rule) throw notFound("Inbound rule");
    c.header("ETag", etag(rule.version));
    return c.json(toInboundDto(rule));
  })
  .put("/:id", route("Change an inbound rule (only the fields sent)", { auth: "admin", params: IdParams, body: UpdateInboundBody, response: InboundRuleSchema, errors: [409], description: CONFLICTS }), async (c) => {
    const input = c.req.valid("json");
    const { tenantId } = c.get("auth");
    const id = c.req.param("id");
    const rule = await saveVersioned(c, {
      ...versioned(tenantId, id, "updated"),
      version: input.version,
      lockFirst: async (tx) => {
        if (input.target) await assertTargetExists(tx, tenantId, input.target, "target.id");
        if (input.fallback) await assertFallbackExists(tx, tenantId, input.fallback, "fallback.id");
        await assertScheduleRefs(tx, tenantId, input);
        await assertFallbackExists(tx, tenantId, input.overflow?.type === "number" ? input.overflow : null, "overflow.id");
      },
      apply: async (tx, current) => {
        const changes: Partial<NewInboundRow> = {};
        if (input.name !== undefined) changes.name = input.name;
        if (input.pattern !== undefined) {
          changes.pattern = input.pattern.pattern;
          changes.matchType = input.pattern.matchType;
        }
        if (input.priority !== undefined) changes.priority = input.priority;
        if (input.enabled !== undefined) changes.enabled = input.enabled;
        if (input.target !== undefined) {
          changes.targetType = input.target.type;
          changes.targetId = input.target.id;
        }
        if (input.fallback !== undefined) changes.fallback = input.fallback;
        if (input.scheduleId !== undefined) changes.scheduleId = input.scheduleId;
        if (input.closedTarget !== undefined) changes.closedTarget = input.closedTarget;
        if (input.header !== undefined) Object.assign(changes, conditionColumns(input.header));
        if (input.callType !== undefined) changes.callType = input.callType;
        if (input.timeLimitSec !== undefined) changes.timeLimitSec = input.timeLimitSec;
        if (input.context !== undefined) changes.context = input.context;
        if (input.overflow !== undefined) changes.overflow = input.overflow;
        if (Object.keys(changes).length === 0) return false;
        const next = { ...current, ...changes } as InboundRow;
        if (next.pattern !== current.pattern || next.conditionKey !== current.conditionKey || next.callType !== current.callType || (next.enabled && !current.enabled)) {
          await assertNoConflict(tx, tenantId, { id, name: next.name, pattern: next.pattern, matchType: next.matchType, enabled: next.enabled, conditionKey: next.conditionKey }, next.callType);
        }
        await uniqueOr409(() => updateInbound(tx, tenantId, id, changes, current.version), "inbound_rules_tenant_pattern_uq", duplicatePattern(next.pattern, next.conditionKey), { reason: "duplicate" });
        return true;
      },
    });
    return c.json(toInboundDto(rule));
  })
  .delete("/:id", route("Delete an inbound rule", { auth: "admin", params: IdParams, errors: [409] }), async (c) => {
    const { tenantId } = c.get("auth");
    const id = c.req.param("id");
    await deleteVersioned(c, { ...versioned(tenantId, id, "deleted"), remove: (tx) => deleteInbound(tx, tenantId, id) });
    return c.body(null, 204);
  });
