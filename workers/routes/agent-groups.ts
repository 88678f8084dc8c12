import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { agentSummaries, deleteGroup, findGroup, insertGroup, listGroups, memberSettings, membersOf, replaceMembers, updateGroup, type GroupRow, type MemberView, type NewGroupRow } from "../db/repos/agent-groups";
import { assertFallbackExists, assertUnused } from "../db/repos/references";
import type { Executor } from "../db/executor";
import { adminWrites, requireAuth } from "../middleware/auth";
import { apiRoutes } from "../openapi/declare";
import { groupLiveStats } from "../routing/live-status";
import { commitChange } from "../lib/change";
import { etag } from "../lib/concurrency";
import { deleteVersioned, saveVersioned } from "../lib/versioned-change";
import { uniqueOr409 } from "../lib/db-conflicts";
import { AppError, notFound } from "../lib/errors";
import { newId } from "../lib/ids";
import { IdParams } from "../schemas/common";
import { CreateGroupBody, GroupDetailSchema, GroupPage, GroupStatsSchema, ListGroupsQuery, MembersResponse, ReplaceMembersBody, UpdateGroupBody, type GroupDto, type MemberInputValue } from "../schemas/agent-groups";

const route = apiRoutes("Agent groups");

const NAME_INDEX = "agent_groups_tenant_name_uq";
const nameTaken = (name: string) => `An agent group named "${name}" already exists in this tenant; choose another name`;

function toGroupDto(row: GroupRow, memberCount: number): GroupDto {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    strategy: row.strategy,
    rollingWindowHours: row.rollingWindowHours,
    maxAttempts: row.maxAttempts,
    stickyTtlSeconds: row.stickyTtlSeconds,
    enabled: row.enabled,
    failoverOn: row.failoverOn ?? null,
    timeLimitSec: row.timeLimitSec ?? null,
    context: row.context ?? [],
    overflow: row.overflow ?? null,
    memberCount,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const detail = (row: GroupRow, members: MemberView[]) => ({ ...toGroupDto(row, members.length), members });

/**
 * The member list as it will be stored, with each agent's fields; 404 naming any agent that
 * is not the tenant's. One query, whatever the size of the list.
 */
async function resolveMembers(tx: Executor, tenantId: string, input: MemberInputValue[]): Promise<MemberView[]> {
  const agents = await agentSummaries(
    tx,
    tenantId,
    input.map((m) => m.agentId),
  );
  const absent = input.filter((m) => !agents.has(m.agentId)).map((m) => m.agentId);
  if (absent.length > 0) {
    throw new AppError(404, "NOT_FOUND", `Voice agent${absent.length > 1 ? "s" : ""} ${absent.slice(0, 10).join(", ")}${absent.length > 10 ? ", …" : ""} not found in this tenant (members)`, { field: "members", missing: absent });
  }
  return input.map((m, position) => ({ agentId: m.agentId, position, priority: m.priority ?? 0, weight: m.weight ?? null, capacity: m.capacity ?? null, agent: agents.get(m.agentId)! }));
}

/** The audit form of a member list: just what defines it. */
const memberAudit = (members: MemberView[]) => members.map(({ agentId, priority, weight, capacity }) => ({ agentId, priority, weight, capacity }));

/** One group's row, as saveVersioned and deleteVersioned lock, check and audit it (`memberCount` as read in the change). */
const versioned = (tenantId: string, id: string, action: "updated" | "deleted" | "members_replaced", memberCount: () => number) => ({
  change: { entity: "agent_group", action } as const,
  name: "agent group",
  find: (tx: Executor, lock?: { forUpdate: true }) => findGroup(tx, tenantId, id, lock),
  audited: (row: GroupRow) => toGroupDto(row, memberCount()),
});

export const agentGroups = new Hono<AppEnv>()
  .use(requireAuth, adminWrites)
  .get("/", route("List agent groups", { query: ListGroupsQuery, response: GroupPage }), async (c) => {
    const { sort, order, limit, cursor, ...filters } = c.req.valid("query");
    const db = await c.get("services").db();
    const page = await listGroups(db, c.get("auth").tenantId, filters, { sort, order, limit, cursor, filters });
    return c.json({ items: page.rows.map((row) => toGroupDto(row, row.memberCount)), nextCursor: page.nextCursor });
  })
  .post("/", route("Create an agent group (optionally with its members)", { auth: "admin", body: CreateGroupBody, response: GroupDetailSchema, status: 201, errors: [404, 409] }), async (c) => {
    const input = c.req.valid("json");
    const { tenantId } = c.get("auth");
    const row: NewGroupRow = {
      id: newId("grp"),
      tenantId,
      name: input.name,
      description: input.description ?? "",
      strategy: input.strategy ?? "round_robin",
      rollingWindowHours: input.rollingWindowHours ?? 24,
      maxAttempts: input.maxAttempts ?? 3,
      stickyTtlSeconds: input.stickyTtlSeconds ?? null,
      enabled: input.enabled ?? true,
      failoverOn: input.failoverOn ?? null,
      timeLimitSec: input.timeLimitSec ?? null,
      context: input.context ?? null,
      overflow: input.overflow ?? null,
    };
    const result = await commitChange(c, { entity: "agent_group", action: "created" }, async (tx, audit) => {
      if (row.overflow?.type === "number") await assertFallbackExists(tx, tenantId, row.overflow, "overflow.id");
      await uniqueOr409(() => insertGroup(tx, row), NAME_INDEX, nameTaken(input.name), { field: "name" });
      const members = await resolveMembers(tx, tenantId, input.members ?? []);
      await replaceMembers(tx, tenantId, row.id!, input.members ?? []);
      const created = (await findGroup(tx, tenantId, row.id!))!;
      audit.record(created.id, null, { ...toGroupDto(created, members.length), members: memberAudit(members) });
      return detail(created, members);
    });
    c.header("ETag", etag(result.version));
    c.header("Location", `/api/agent-groups/${result.id}`);
    return c.json(result, 201);
  })
  .get("/:id", route("Get an agent group with its members", { params: IdParams, response: GroupDetailSchema }), async (c) => {
    const { tenantId } = c.get("auth");
    const db = await c.get("services").db();
    const group = await findGroup(db, tenantId, c.req.param("id"));
    if (!group) throw notFound("Agent group");
    c.header("ETag", etag(group.version));
    return c.json(detail(group, await membersOf(db, tenantId, group.id)));
  })
  .put("/:id", route("Change a group's name, strategy or settings (only the fields sent)", { auth: "admin", params: IdParams, body: UpdateGroupBody, response: GroupDetailSchema, errors: [409] }), async (c) => {
    const input = c.req.valid("json");
    const { tenantId } = c.get("auth");
    const id = c.req.param("id");
    let members: MemberView[] = [];
    const group = await saveVersioned(c, {
      ...versioned(tenantId, id, "updated", () => members.length),
      version: input.version,
      apply: async (tx) => {
        const { version: _version, ...changes } = input;
        const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as Partial<NewGroupRow>;
        members = await membersOf(tx, tenantId, id);
        if (Object.keys(defined).length === 0) return false;
        if (defined.overflow?.type === "number") await assertFallbackExists(tx, tenantId, defined.overflow, "overflow.id");
        await uniqueOr409(() => updateGroup(tx, tenantId, id, defined), NAME_INDEX, nameTaken(input.name ?? ""), { field: "name" });
        return true;
      },
    });
    return c.json(detail(group, members));
  })
  .delete("/:id", route("Delete an agent group (refused while a rule or the tenant default uses it)", { auth: "admin", params: IdParams, errors: [409] }), async (c) => {
    const { tenantId } = c.get("auth");
    const id = c.req.param("id");
    let members: MemberView[] = [];
    await deleteVersioned(c, {
      ...versioned(tenantId, id, "deleted", () => members.length),
      // The audit keeps the deleted group's members: read before it is audited.
      audited: (row) => ({ ...toGroupDto(row, members.length), members: memberAudit(members) }),
      remove: async (tx) => {
        await assertUnused(tx, tenantId, "group", [id]);
        members = await membersOf(tx, tenantId, id);
        await deleteGroup(tx, tenantId, id);
      },
    });
    return c.body(null, 204);
  })
  .put("/:id/members", route("Replace the ordered member list, atomically (up to 1,000)", { auth: "admin", params: IdParams, body: ReplaceMembersBody, response: MembersResponse, errors: [409] }), async (c) => {
    const input = c.req.valid("json");
    const { tenantId } = c.get("auth");
    const id = c.req.param("id");
    let members: MemberView[] = [];
    let before: unknown = [];
    const group = await saveVersioned(c, {
      ...versioned(tenantId, id, "members_replaced", () => members.length),
      version: input.version,
      apply: async (tx) => {
        members = await resolveMembers(tx, tenantId, input.members);
        before = await memberSettings(tx, tenantId, id);
        await replaceMembers(tx, tenantId, id, input.members);
        await updateGroup(tx, tenantId, id, {});
        return true;
      },
      audit: () => ({ before: { members: before }, after: { members: memberAudit(members) } }),
    });
    return c.json({ groupId: id, version: group.version, members });
  })
  .get("/:id/stats", route("Members and live figures of a group", { params: IdParams, response: GroupStatsSchema }), async (c) => {
    const { tenantId } = c.get("auth");
    const db = await c.get("services").db();
    const group = await findGroup(db, tenantId, c.req.param("id"));
    if (!group) throw notFound("Agent group");
    const members = await membersOf(db, tenantId, group.id);
    const live = await groupLiveStats(c.get("services"), tenantId, group.id, group.rollingWindowHours);
    return c.json({ groupId: group.id, strategy: group.strategy, rollingWindowHours: group.rollingWindowHours, members, live });
  });
