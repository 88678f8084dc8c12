import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import type { Executor } from "../db/executor";
import { countAlertRules, deleteAlertRule, findAlertRule, insertAlertRule, listAlertRules, listAlerts, openAlertsOfRule, ruleNames, updateAlertRule, type AlertRow, type AlertRuleRow, type NewAlertRuleRow } from "../db/repos/alerts";
import { findEventWebhook } from "../db/repos/event-webhooks";
import { findSchedule } from "../db/repos/schedules";
import { agentGroups, voiceAgents } from "../db/schema";
import { adminWrites, requireAuth } from "../middleware/auth";
import { apiRoutes } from "../openapi/declare";
import { assertVersion, etag, expectedVersion } from "../lib/concurrency";
import { AppError, notFound } from "../lib/errors";
import { newId } from "../lib/ids";
import { encryptSecret } from "../lib/secrets";
import { parseWith } from "../lib/validation";
import { IdParams, iso, isoOrNull } from "../schemas/common";
import { AlertPage, AlertRuleList, AlertRuleSchema, CreateAlertRuleBody, ListAlertsQuery, MAX_ALERT_RULES, PARAMS_BY_KIND, UpdateAlertRuleBody, type AlertDto, type AlertParams, type AlertRuleDto } from "../schemas/alerts";
import type { AlertKind } from "../domain/integrations";
import { assertDeliverableUrl, commitAudited } from "../integrations/audited-change";
import { resolveAlert } from "../alerts/engine";
import { and, eq } from "drizzle-orm";

const route = apiRoutes("Alerts");

export function toAlertRuleDto(row: AlertRuleRow): AlertRuleDto {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as AlertKind,
    params: row.params,
    enabled: row.enabled,
    cooldownMinutes: row.cooldownMinutes,
    notifyWebhooks: row.notifyWebhooks,
    hasSlackUrl: row.slackUrlEnc !== null,
    version: row.version,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

function toAlertDto(row: AlertRow, names: Map<string, string>): AlertDto {
  return {
    id: row.id,
    ruleId: row.ruleId,
    ruleName: row.ruleId ? (names.get(row.ruleId) ?? null) : null,
    kind: row.kind,
    subject: { type: row.subjectType, id: row.subjectId, name: row.subjectName },
    status: row.status,
    message: row.message,
    details: row.details ?? null,
    openedAt: iso(row.openedAt),
    lastNotifiedAt: isoOrNull(row.lastNotifiedAt),
    notifications: row.notifications,
    resolvedAt: isoOrNull(row.resolvedAt),
  };
}

/** What a rule's params name must be the tenant's: another tenant's id answers 404, like everywhere else. */
async function assertTargetsExist(tx: Executor, tenantId: string, kind: AlertKind, params: Record<string, unknown>): Promise<void> {
  const exists = async (table: typeof voiceAgents | typeof agentGroups, id: string) =>
    (
      await tx
        .select({ id: table.id })
        .from(table)
        .where(and(eq(table.tenantId, tenantId), eq(table.id, id)))
        .limit(1)
    ).length > 0;
  if (kind === "agent_unhealthy") {
    const { agentId } = params as AlertParams["agent_unhealthy"];
    if (agentId && !(await exists(voiceAgents, agentId))) throw notFound("Voice agent");
  } else if (kind === "failure_rate") {
    const p = params as AlertParams["failure_rate"];
    if (!(await exists(p.targetType === "agent" ? voiceAgents : agentGroups, p.targetId))) throw notFound(p.targetType === "agent" ? "Voice agent" : "Agent group");
  } else if (kind === "no_answers") {
    const { scheduleId } = params as AlertParams["no_answers"];
    if (!(await findSchedule(tx, tenantId, scheduleId))) throw notFound("Schedule");
  } else if (kind === "endpoint_disabled") {
    const { endpointId } = params as AlertParams["endpoint_disabled"];
    if (endpointId && !(await findEventWebhook(tx, tenantId, endpointId))) throw notFound("Event webhook");
  }
}

/** A rule's params, whole, as its kind takes them (defaults filled in); a field error otherwise. */
const paramsOf = (kind: AlertKind, params: unknown) =>
  parseWith(
    PARAMS_BY_KIND[kind].transform((value) => value as Record<string, unknown>),
    params ?? {},
    "request body's params",
  );

async function lockRule(tx: Executor, tenantId: string, id: string, expected: number | undefined): Promise<AlertRuleRow> {
  const current = await findAlertRule(tx, tenantId, id, { forUpdate: true });
  if (!current) throw notFound("Alert rule");
  assertVersion("alert rule", expected, current.version);
  return current;
}

/** A rule that changed what it watches, or stopped watching, leaves no alert open behind it. */
async function resolveOpenAlertsOf(c: { env: AppEnv["Bindings"] }, db: Executor, rule: AlertRuleRow): Promise<void> {
  for (const alert of await openAlertsOfRule(db, rule.tenantId, rule.id)) await resolveAlert(c.env, db, alert, rule);
}

export const alertRules = new Hono<AppEnv>()
  .use(requireAuth, adminWrites)
  .get("/", route("List the tenant's alert rules", { response: AlertRuleList }), async (c) => {
    const rows = await listAlertRules(await c.get("services").db(), c.get("auth").tenantId);
    return c.json({ items: rows.map(toAlertRuleDto) });
  })
  .post("/", route("Create an alert rule", { auth: "admin", body: CreateAlertRuleBody, response: AlertRuleSchema, status: 201, errors: [404, 409] }), async (c) => {
    const input = c.req.valid("json");
    const { tenantId } = c.get("auth");
    if (input.slackUrl) assertDeliverableUrl(c, input.slackUrl, "slackUrl");
    const params = paramsOf(input.kind, input.params);
    const row: NewAlertRuleRow = {
      id: newId("alr"),
      tenantId,
      name: input.name,
      kind: input.kind,
      params,
      enabled: input.enabled ?? true,
      cooldownMinutes: input.cooldownMinutes ?? 60,
      notifyWebhooks: input.notifyWebhooks ?? true,
      slackUrlEnc: input.slackUrl ? await encryptSecret(input.slackUrl, c.env.ENCRYPTION_KEY) : null,
    };
    const created = await commitAudited(c, async (tx, audit) => {
      if ((await countAlertRules(tx, tenantId)) >= MAX_ALERT_RULES) throw new AppError(409, "LIMIT_REACHED", `A tenant may have at most ${MAX_ALERT_RULES} alert rules; delete one first`);
      await assertTargetsExist(tx, tenantId, input.kind, params);
      await insertAlertRule(tx, row);
      const saved = (await findAlertRule(tx, tenantId, row.id!))!;
      audit({ action: "alert_rule.created", entityType: "alert_rule", entityId: saved.id, before: null, after: toAlertRuleDto(saved) });
      return saved;
    });
    c.header("ETag", etag(created.version));
    c.header("Location", `/api/alert-rules/${created.id}`);
    return c.json(toAlertRuleDto(created), 201);
  })
  .get("/:id", route("Get an alert rule", { params: IdParams, response: AlertRuleSchema }), async (c) => {
    const row = await findAlertRule(await c.get("services").db(), c.get("auth").tenantId, c.req.param("id"));
    if (!row) throw notFound("Alert rule");
    c.header("ETag", etag(row.version));
    return c.json(toAlertRuleDto(row));
  })
  .put(
    "/:id",
    route("Change an alert rule (only the fields sent; params whole); changing what it watches or disabling it resolves its open alerts", { auth: "admin", params: IdParams, body: UpdateAlertRuleBody, response: AlertRuleSchema, errors: [404, 409] }),
    async (c) => {
      const input = c.req.valid("json");
      const { tenantId } = c.get("auth");
      const id = c.req.param("id");
      if (input.slackUrl) assertDeliverableUrl(c, input.slackUrl, "slackUrl");
      const expected = expectedVersion(c, input.version);
      const slackUrlEnc = input.slackUrl ? await encryptSecret(input.slackUrl, c.env.ENCRYPTION_KEY) : input.slackUrl;
      const { saved, watchChanged } = await commitAudited(c, async (tx, audit) => {
        const current = await lockRule(tx, tenantId, id, expected);
        const changes: Partial<NewAlertRuleRow> = {};
        if (input.params !== undefined) {
          const params = paramsOf(current.kind as AlertKind, input.params);
          if (JSON.stringify(params) !== JSON.stringify(current.params)) {
            await assertTargetsExist(tx, tenantId, current.kind as AlertKind, params);
            changes.params = params;
          }
        }
        if (input.name !== undefined && input.name !== current.name) changes.name = input.name;
        if (input.enabled !== undefined && input.enabled !== current.enabled) changes.enabled = input.enabled;
        if (input.cooldownMinutes !== undefined && input.cooldownMinutes !== current.cooldownMinutes) changes.cooldownMinutes = input.cooldownMinutes;
        if (input.notifyWebhooks !== undefined && input.notifyWebhooks !== current.notifyWebhooks) changes.notifyWebhooks = input.notifyWebhooks;
        if (slackUrlEnc !== undefined) changes.slackUrlEnc = slackUrlEnc;
        if (!Object.keys(changes).length) return { saved: current, watchChanged: false };
        await updateAlertRule(tx, tenantId, id, changes);
        const updated = (await findAlertRule(tx, tenantId, id))!;
        const before = toAlertRuleDto(current);
        const after = toAlertRuleDto(updated);
        audit({ action: "alert_rule.updated", entityType: "alert_rule", entityId: id, before, after: { ...after, ...(input.slackUrl ? { slackUrlChanged: true } : {}) } });
        return { saved: updated, watchChanged: changes.params !== undefined || changes.enabled === false };
      });
      if (watchChanged) await resolveOpenAlertsOf(c, await c.get("services").db(), saved);
      c.header("ETag", etag(saved.version));
      return c.json(toAlertRuleDto(saved));
    },
  )
  .delete("/:id", route("Delete an alert rule (its open alerts are resolved)", { auth: "admin", params: IdParams, errors: [409] }), async (c) => {
    const { tenantId } = c.get("auth");
    const id = c.req.param("id");
    const expected = expectedVersion(c);
    const db = await c.get("services").db();
    const rule = await findAlertRule(db, tenantId, id);
    // Resolved (and said so) while the rule, its channels included, still exists.
    if (rule && (expected === undefined || expected === rule.version)) await resolveOpenAlertsOf(c, db, rule);
    await commitAudited(c, async (tx, audit) => {
      const current = await lockRule(tx, tenantId, id, expected);
      await deleteAlertRule(tx, tenantId, id);
      audit({ action: "alert_rule.deleted", entityType: "alert_rule", entityId: id, before: toAlertRuleDto(current), after: null });
    });
    return c.body(null, 204);
  });

export const alertsRoutes = new Hono<AppEnv>().use(requireAuth).get("/", route("Open and recent alerts, newest first", { query: ListAlertsQuery, response: AlertPage }), async (c) => {
  const { limit, cursor, ...filters } = c.req.valid("query");
  const db = await c.get("services").db();
  const { tenantId } = c.get("auth");
  const page = await listAlerts(db, tenantId, filters, { sort: "openedAt", order: "desc", limit, cursor, filters });
  const names = await ruleNames(db, tenantId, [...new Set(page.rows.map((r) => r.ruleId).filter((id): id is string => id !== null))]);
  return c.json({ items: page.rows.map((r) => toAlertDto(r, names)), nextCursor: page.nextCursor });
});
