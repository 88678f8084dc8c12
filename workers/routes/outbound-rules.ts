import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { assertTrunksExist } from "../db/repos/references";
import { deleteOutbound, findOutbound, insertOutbound, listOutbound, outboundWithPrefix, updateOutbound, type NewOutboundRow, type OutboundRow } from "../db/repos/trunks";
import type { Executor } from "../db/executor";
import { findOutboundConflict, type OutboundRuleRef } from "../domain/rule-conflicts";
import { adminWrites, requireAuth } from "../middleware/auth";
import { apiRoutes } from "../openapi/declare";
import { commitChange } from "../lib/change";
import { etag } from "../lib/concurrency";
import { deleteVersioned, saveVersioned } from "../lib/versioned-change";
import { AppError, notFound } from "../lib/errors";
import { newId } from "../lib/ids";
import { IdParams } from "../schemas/common";
import { CreateOutboundBody, ListOutboundQuery, OutboundRulePage, OutboundRuleSchema, UpdateOutboundBody, type OutboundRuleDto } from "../schemas/trunks";

const route = apiRoutes("Outbound rules");
const CONFLICTS = "A rule with the same prefix and callers as another, or one that an earlier rule for the same prefix makes unreachable, is refused with 409 RULE_CONFLICT.";

function toOutboundDto(row: OutboundRow): OutboundRuleDto {
  return {
    id: row.id,
    name: row.name,
    callerPatterns: row.callerPatterns,
    destinationPrefix: row.destinationPrefix,
    trunkIds: row.trunkIds,
    priority: row.priority,
    enabled: row.enabled,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const ref = (row: OutboundRow): OutboundRuleRef => ({
  id: row.id,
  name: row.name,
  destinationPrefix: row.destinationPrefix,
  callerPatterns: row.callerPatterns,
  priority: row.priority,
  enabled: row.enabled,
});

const label = (rule: OutboundRuleRef) => `"${rule.name || `+${rule.destinationPrefix}*`}" (${rule.id})`;

async function assertNoConflict(tx: Executor, tenantId: string, candidate: OutboundRuleRef): Promise<void> {
  const others = (await outboundWithPrefix(tx, tenantId, candidate.destinationPrefix)).filter((row) => row.id !== candidate.id).map(ref);
  const conflict = findOutboundConflict(candidate, others);
  if (!conflict) return;
  const prefix = candidate.destinationPrefix ? `+${candidate.destinationPrefix}` : "every destination";
  const message =
    conflict.kind === "duplicate"
      ? `Rule ${label(conflict.rule)} already routes ${prefix} for the same callers; change that rule instead`
      : conflict.kind === "shadowed"
        ? `This rule could never be used: rule ${label(conflict.rule)} routes ${prefix} for every caller this rule accepts and ranks first (priority ${conflict.rule.priority}). Give this rule a lower priority number or narrow the other rule`
        : `With this rule, rule ${label(conflict.rule)} could never be used: this rule would route ${prefix} first for every caller it accepts. Give this rule a higher priority number or narrow its callers`;
  throw new AppError(409, "RULE_CONFLICT", message, { reason: conflict.kind, conflictingRule: { id: conflict.rule.id, name: conflict.rule.name, destinationPrefix: conflict.rule.destinationPrefix } });
}

/** One rule's row, as saveVersioned and deleteVersioned lock, check and audit it. */
const versioned = (tenantId: string, id: string, action: "updated" | "deleted") => ({
  change: { entity: "outbound_rule", action } as const,
  name: "outbound rule",
  find: (tx: Executor, lock?: { forUpdate: true }) => findOutbound(tx, tenantId, id, lock),
  audited: toOutboundDto,
});

export const outboundRules = new Hono<AppEnv>()
  .use(requireAuth, adminWrites)
  .get("/", route("List outbound rules", { query: ListOutboundQuery, response: OutboundRulePage }), async (c) => {
    const { sort, order, limit, cursor, ...filters } = c.req.valid("query");
    const page = await listOutbound(await c.get("services").db(), c.get("auth").tenantId, filters, { sort, order, limit, cursor, filters });
    return c.json({ items: page.rows.map(toOutboundDto), nextCursor: page.nextCursor });
  })
  .post("/", route("Create an outbound rule", { auth: "admin", body: CreateOutboundBody, response: OutboundRuleSchema, status: 201, errors: [404, 409], description: CONFLICTS }), async (c) => {
    const input = c.req.valid("json");
    const { tenantId } = c.get("auth");
    const row: NewOutboundRow = {
      id: newId("orl"),
      tenantId,
      name: input.name ?? "",
      callerPatterns: input.callerPatterns ?? [],
      destinationPrefix: input.destinationPrefix,
      trunkIds: input.trunkIds,
      priority: input.priority ?? 100,
      enabled: input.enabled ?? true,
    };
    const rule = await commitChange(c, { entity: "outbound_rule", action: "created" }, async (tx, audit) => {
      await assertTrunksExist(tx, tenantId, input.trunkIds, "trunkIds");
      await assertNoConflict(tx, tenantId, { id: row.id!, name: row.name!, destinationPrefix: row.destinationPrefix!, callerPatterns: row.callerPatterns!, priority: row.priority!, enabled: row.enabled! });
      await insertOutbound(tx, row);
      const created = (await findOutbound(tx, tenantId, row.id!))!;
      audit.record(created.id, null, toOutboundDto(created));
      return created;
    });
    c.header("ETag", etag(rule.version));
    c.header("Location", `/api/outbound-rules/${rule.id}`);
    return c.json(toOutboundDto(rule), 201);
  })
  .get("/:id", route("Get an outbound rule", { params: IdParams, response: OutboundRuleSchema }), async (c) => {
    const rule = await findOutbound(await c.get("services").db(), c.get("auth").tenantId, c.req.param("id"));
    if (!rule) throw notFound("Outbound rule");
    c.header("ETag", etag(rule.version));
    return c.json(toOutboundDto(rule));
  })
  .put("/:id", route("Change an outbound rule (only the fields sent)", { auth: "admin", params: IdParams, body: UpdateOutboundBody, response: OutboundRuleSchema, errors: [409], description: CONFLICTS }), async (c) => {
    const input = c.req.valid("json");
    const { tenantId } = c.get("auth");
    const id = c.req.param("id");
    const rule = await saveVersioned(c, {
      ...versioned(tenantId, id, "updated"),
      version: input.version,
      lockFirst: async (tx) => {
        if (input.trunkIds) await assertTrunksExist(tx, tenantId, input.trunkIds, "trunkIds");
      },
      apply: async (tx, current) => {
        const { version: _version, ...rest } = input;
        const changes = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)) as Partial<NewOutboundRow>;
        if (Object.keys(changes).length === 0) return false;
        const next = { ...current, ...changes } as OutboundRow;
        if (changes.destinationPrefix !== undefined || changes.callerPatterns !== undefined || changes.priority !== undefined || changes.enabled === true) {
          await assertNoConflict(tx, tenantId, ref(next));
        }
        await updateOutbound(tx, tenantId, id, changes);
        return true;
      },
    });
    return c.json(toOutboundDto(rule));
  })
  .delete("/:id", route("Delete an outbound rule", { auth: "admin", params: IdParams, errors: [409] }), async (c) => {
    const { tenantId } = c.get("auth");
    const id = c.req.param("id");
    await deleteVersioned(c, { ...versioned(tenantId, id, "deleted"), remove: (tx) => deleteOutbound(tx, tenantId, id) });
    return c.body(null, 204);
  });
