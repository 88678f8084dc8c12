import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { assertTrunksExist, assertUnused } from "../db/repos/references";
import { deleteAgents, findAgent, findAgents, groupsOfAgents, insertAgent, listAgents, setAgentsEnabled, updateAgent } from "../db/repos/voice-agents";
import { agentKindOf, normaliseServiceValue } from "../domain/providers";
import { adminWrites, requireAuth } from "../middleware/auth";
import { apiRoutes } from "../openapi/declare";
import { agentLiveStatus } from "../routing/live-status";
import { commitChange } from "../lib/change";
import { etag } from "../lib/concurrency";
import { uniqueOr409 } from "../lib/db-conflicts";
import { AppError, notFound } from "../lib/errors";
import { newId } from "../lib/ids";
import { encryptSecret } from "../lib/secrets";
import { deleteVersioned, saveVersioned } from "../lib/versioned-change";
import { IdParams } from "../schemas/common";
import { AgentPage, AgentSchema, AgentStatusSchema, BulkAgentsBody, BulkResult, CreateAgentBody, ListAgentsQuery, ToggleAgentBody, UpdateAgentBody, toAgentDto, type UpdateAgentInput } from "../schemas/voice-agents";
import { canonicalProviderId } from "../domain/providers";
import type { AgentRow, NewAgentRow } from "../db/repos/voice-agents";
import type { Executor } from "../db/executor";
import { assertProviderAccountExists } from "../db/repos/provider-accounts";

const route = apiRoutes("Voice agents");

/** One agent's row, as saveVersioned and deleteVersioned lock, check and audit it. */
const versioned = (tenantId: string, id: string, action: "updated" | "toggled" | "deleted") => ({
  change: { entity: "voice_agent", action } as const,
  name: "voice agent",
  find: (tx: Executor, lock?: { forUpdate: true }) => findAgent(tx, tenantId, id, lock),
  audited: toAgentDto,
});
const NAME_INDEX = "voice_agents_tenant_name_uq";
const nameTaken = (name: string) => `A voice agent named "${name}" already exists in this tenant; choose another name`;

/** Column changes for an update; provider and service value are checked together. */
async function agentChanges(input: UpdateAgentInput, current: AgentRow, encryptionKey: string): Promise<Partial<NewAgentRow>> {
  const changes: Partial<NewAgentRow> = {};
  if (input.name !== undefined) changes.name = input.name;
  if (input.provider !== undefined || input.serviceValue !== undefined) {
    const provider = input.provider ?? current.provider;
    const checked = normaliseServiceValue(provider, input.serviceValue ?? current.serviceValue);
    if (!checked.ok) {
      throw new AppError(400, "VALIDATION_FAILED", `The request body is not valid (serviceValue: ${checked.error})`, [{ path: "serviceValue", message: checked.error }]);
    }
    changes.provider = provider;
    changes.serviceValue = checked.value;
  }
  if (input.username !== undefined) changes.username = input.username;
  if (input.password !== undefined) changes.passwordEnc = input.password === null ? null : await encryptSecret(input.password, encryptionKey);
  if (input.enabled !== undefined) changes.enabled = input.enabled;
  if (input.maxConcurrentCalls !== undefined) changes.maxConcurrentCalls = input.maxConcurrentCalls;
  if (input.weight !== undefined) changes.weight = input.weight;
  if (input.tags !== undefined) changes.tags = input.tags;
  if (input.trunkId !== undefined) changes.trunkId = input.trunkId;
  if (input.context !== undefined) changes.context = input.context;
  if (input.providerAccountId !== undefined) changes.providerAccountId = input.providerAccountId;
  const kind = agentKindOf(changes.provider ?? current.provider);
  const trunkId = changes.trunkId !== undefined ? changes.trunkId : current.trunkId;
  if (trunkId && kind !== "number") {
    // The provider changed away from a phone number: its trunk no longer applies.
    if (input.trunkId) throw new AppError(400, "VALIDATION_FAILED", 'The request body is not valid (trunkId: only phone-number agents ("phone") dial through a trunk)', [{ path: "trunkId", message: 'only phone-number agents ("phone") dial through a trunk' }]);
    changes.trunkId = null;
  }
  // A WebSocket or phone-number agent presents no credentials; stale ones are not kept.
  if (kind === "stream" || kind === "number") {
    if (current.username !== null || changes.username) changes.username = null;
    if (current.passwordEnc !== null || changes.passwordEnc) changes.passwordEnc = null;
  }
  return changes;
}

export const voiceAgents = new Hono<AppEnv>()
  .use(requireAuth, adminWrites)
  .get("/", route("List voice agents (filter, search, sort, cursor pages)", { query: ListAgentsQuery, response: AgentPage }), async (c) => {
    const { sort, order, limit, cursor, ...filters } = c.req.valid("query");
    if (filters.provider !== undefined) {
      const provider = canonicalProviderId(filters.provider);
      if (!provider) throw new AppError(400, "VALIDATION_FAILED", `Unknown provider "${filters.provider}"; GET /api/providers lists the valid ids`);
      filters.provider = provider;
    }
    const db = await c.get("services").db();
    const page = await listAgents(db, c.get("auth").tenantId, filters, { sort, order, limit, cursor, filters });
    return c.json({ items: page.rows.map(toAgentDto), nextCursor: page.nextCursor });
  })
  .post("/", route("Create a voice agent", { auth: "admin", body: CreateAgentBody, response: AgentSchema, status: 201, errors: [409] }), async (c) => {
    const input = c.req.valid("json");
    const { tenantId } = c.get("auth");
    const row: NewAgentRow = {
      id: newId("agt"),
      tenantId,
      name: input.name,
      provider: input.provider,
      serviceValue: input.serviceValue,
      username: input.username ?? null,
      passwordEnc: input.password ? await encryptSecret(input.password, c.env.ENCRYPTION_KEY) : null,
      enabled: input.enabled ?? true,
      maxConcurrentCalls: input.maxConcurrentCalls ?? null,
      weight: input.weight ?? 1,
      tags: input.tags ?? [],
      trunkId: input.trunkId ?? null,
      context: input.context ?? null,
      providerAccountId: input.providerAccountId ?? null,
    };
    const agent = await commitChange(c, { entity: "voice_agent", action: "created" }, async (tx, audit) => {
      if (row.trunkId) await assertTrunksExist(tx, tenantId, [row.trunkId], "trunkId");
      if (row.providerAccountId) await assertProviderAccountExists(tx, tenantId, row.providerAccountId, "providerAccountId");
      await uniqueOr409(() => insertAgent(tx, row), NAME_INDEX, nameTaken(input.name), { field: "name" });
      const created = (await findAgent(tx, tenantId, row.id!))!;
      audit.record(created.id, null, toAgentDto(created));
      return created;
    });
    c.header("ETag", etag(agent.version));
    c.header("Location", `/api/voice-agents/${agent.id}`);
    return c.json(toAgentDto(agent), 201);
  })
  .post("/bulk", route("Enable, disable or delete up to 100 agents, all or nothing", { auth: "admin", body: BulkAgentsBody, response: BulkResult, errors: [404, 409] }), async (c) => {
    const { action, ids } = c.req.valid("json");
    const { tenantId } = c.get("auth");
    // A bulk delete is announced as a deletion (agent.deleted), not as a status change.
    const changed = await commitChange(c, { entity: "voice_agent", action: action === "delete" ? "deleted" : "bulk" }, async (tx, audit) => {
      const rows = await findAgents(tx, tenantId, ids, { forUpdate: true });
      const found = new Set(rows.map((row) => row.id));
      const absent = ids.filter((id) => !found.has(id));
      if (absent.length > 0) {
        throw new AppError(404, "NOT_FOUND", `Voice agent${absent.length > 1 ? "s" : ""} ${absent.join(", ")} not found in this tenant; nothing was changed`, { missing: absent });
      }
      if (action === "delete") {
        await assertUnused(tx, tenantId, "agent", ids);
        await deleteAgents(tx, tenantId, ids);
        for (const row of rows) audit.record(row.id, toAgentDto(row), null, "voice_agent.deleted");
        return rows.length;
      }
      const enabled = action === "enable";
      const toChange = rows.filter((row) => row.enabled !== enabled);
      await setAgentsEnabled(
        tx,
        tenantId,
        toChange.map((row) => row.id),
        enabled,
      );
      for (const row of toChange) {
        audit.record(row.id, toAgentDto(row), toAgentDto({ ...row, enabled, version: row.version + 1 }), enabled ? "voice_agent.enabled" : "voice_agent.disabled");
      }
      return toChange.length;
    });
    return c.json({ action, ids, changed });
  })
  .get("/:id", route("Get a voice agent", { params: IdParams, response: AgentSchema }), async (c) => {
    const db = await c.get("services").db();
    const agent = await findAgent(db, c.get("auth").tenantId, c.req.param("id"));
    if (!agent) throw notFound("Voice agent");
    c.header("ETag", etag(agent.version));
    return c.json(toAgentDto(agent));
  })
  .put("/:id", route("Update a voice agent (only the fields sent)", { auth: "admin", params: IdParams, body: UpdateAgentBody, response: AgentSchema, errors: [409] }), async (c) => {
    const input = c.req.valid("json");
    const { tenantId } = c.get("auth");
    const id = c.req.param("id");
    const agent = await saveVersioned(c, {
      ...versioned(tenantId, id, "updated"),
      version: input.version,
      apply: async (tx, current) => {
        const changes = await agentChanges(input, current, c.env.ENCRYPTION_KEY);
        if (Object.keys(changes).length === 0) return false;
        if (changes.trunkId) await assertTrunksExist(tx, tenantId, [changes.trunkId], "trunkId");
        if (changes.providerAccountId) await assertProviderAccountExists(tx, tenantId, changes.providerAccountId, "providerAccountId");
        await uniqueOr409(() => updateAgent(tx, tenantId, id, changes), NAME_INDEX, nameTaken(input.name ?? ""), { field: "name" });
        return true;
      },
    });
    return c.json(toAgentDto(agent));
  })
  .patch("/:id/toggle", route("Enable or disable a voice agent (no body: flip it)", { auth: "admin", params: IdParams, body: ToggleAgentBody.optional(), response: AgentSchema, errors: [409] }), async (c) => {
    const input = c.req.valid("json");
    const { tenantId } = c.get("auth");
    const id = c.req.param("id");
    const agent = await saveVersioned(c, {
      ...versioned(tenantId, id, "toggled"),
      version: input.version,
      apply: async (tx, current) => {
        const enabled = input.enabled ?? !current.enabled;
        if (enabled === current.enabled) return false;
        await updateAgent(tx, tenantId, id, { enabled });
        return true;
      },
      audit: (_current, updated) => ({ action: updated.enabled ? "voice_agent.enabled" : "voice_agent.disabled" }),
    });
    return c.json(toAgentDto(agent));
  })
  .delete("/:id", route("Delete a voice agent (refused while a rule or the tenant default uses it)", { auth: "admin", params: IdParams, errors: [409] }), async (c) => {
    const { tenantId } = c.get("auth");
    const id = c.req.param("id");
    await deleteVersioned(c, {
      ...versioned(tenantId, id, "deleted"),
      remove: async (tx) => {
        await assertUnused(tx, tenantId, "agent", [id]);
        await deleteAgents(tx, tenantId, [id]);
      },
    });
    return c.body(null, 204);
  })
  .get("/:id/status", route("Enabled state, groups and live figures of an agent", { params: IdParams, response: AgentStatusSchema }), async (c) => {
    const { tenantId } = c.get("auth");
    const id = c.req.param("id");
    const db = await c.get("services").db();
    const agent = await findAgent(db, tenantId, id);
    if (!agent) throw notFound("Voice agent");
    const groups = (await groupsOfAgents(db, tenantId, [id])).get(id) ?? [];
    const live = await agentLiveStatus(c.get("services"), tenantId, id, groups);
    return c.json({ agentId: id, enabled: agent.enabled, groups, live });
  });
