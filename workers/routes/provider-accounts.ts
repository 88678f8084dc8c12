import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { agentCounts, assertProviderAccountUnused, deleteProviderAccount, findProviderAccount, insertProviderAccount, listProviderAccounts, updateProviderAccount, type NewProviderAccountRow, type ProviderAccountRow } from "../db/repos/provider-accounts";
import type { Executor } from "../db/executor";
import { adminWrites, requireAuth } from "../middleware/auth";
import { apiRoutes } from "../openapi/declare";
import { commitChange } from "../lib/change";
import { etag } from "../lib/concurrency";
import { uniqueOr409 } from "../lib/db-conflicts";
import { notFound } from "../lib/errors";
import { newId } from "../lib/ids";
import { deleteVersioned, saveVersioned } from "../lib/versioned-change";
import { IdParams } from "../schemas/common";
import { CreateProviderAccountBody, ListProviderAccountsQuery, ProviderAccountPage, ProviderAccountSchema, ProviderAccountStatusSchema, UpdateProviderAccountBody, type ProviderAccountDto } from "../schemas/provider-accounts";

const route = apiRoutes("Provider accounts");

const NAME_INDEX = "provider_accounts_tenant_name_uq";
const nameTaken = (name: string) => `A provider account named "${name}" already exists in this tenant`;

function toDto(row: ProviderAccountRow, agentCount: number): ProviderAccountDto {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    maxConcurrentCalls: row.maxConcurrentCalls,
    agentCount,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const versioned = (tenantId: string, id: string, action: "updated" | "deleted") => ({
  change: { entity: "provider_account", action } as const,
  name: "provider account",
  find: (tx: Executor, lock?: { forUpdate: true }) => findProviderAccount(tx, tenantId, id, lock),
  audited: (row: ProviderAccountRow) => ({ id: row.id, name: row.name, description: row.description, maxConcurrentCalls: row.maxConcurrentCalls, version: row.version }),
});

async function withCount(db: Executor, tenantId: string, row: ProviderAccountRow): Promise<ProviderAccountDto> {
  return toDto(row, (await agentCounts(db, tenantId, [row.id])).get(row.id) ?? 0);
}

export const providerAccountsRoutes = new Hono<AppEnv>()
  .use(requireAuth, adminWrites)
  .get("/", route("List provider accounts", { query: ListProviderAccountsQuery, response: ProviderAccountPage }), async (c) => {
    const { sort, order, limit, cursor, ...filters } = c.req.valid("query");
    const { tenantId } = c.get("auth");
    const db = await c.get("services").db();
    const page = await listProviderAccounts(db, tenantId, filters, { sort, order, limit, cursor, filters });
    const counts = await agentCounts(
      db,
      tenantId,
      page.rows.map((r) => r.id),
    );
    return c.json({ items: page.rows.map((row) => toDto(row, counts.get(row.id) ?? 0)), nextCursor: page.nextCursor });
  })
  .post("/", route("Add a provider account (a cap on concurrent calls shared by its agents)", { auth: "admin", body: CreateProviderAccountBody, response: ProviderAccountSchema, status: 201, errors: [409] }), async (c) => {
    const input = c.req.valid("json");
    const { tenantId } = c.get("auth");
    const row: NewProviderAccountRow = { id: newId("pac"), tenantId, name: input.name, description: input.description ?? "", maxConcurrentCalls: input.maxConcurrentCalls };
    const account = await commitChange(c, { entity: "provider_account", action: "created" }, async (tx, audit) => {
      await uniqueOr409(() => insertProviderAccount(tx, row), NAME_INDEX, nameTaken(input.name), { field: "name" });
      const created = (await findProviderAccount(tx, tenantId, row.id!))!;
      audit.record(created.id, null, versioned(tenantId, created.id, "updated").audited(created));
      return created;
    });
    c.header("ETag", etag(account.version));
    c.header("Location", `/api/provider-accounts/${account.id}`);
    return c.json(toDto(account, 0), 201);
  })
  .get("/:id", route("Get a provider account", { params: IdParams, response: ProviderAccountSchema }), async (c) => {
    const { tenantId } = c.get("auth");
    const db = await c.get("services").db();
    const account = await findProviderAccount(db, tenantId, c.req.param("id"));
    if (!account) throw notFound("Provider account");
    c.header("ETag", etag(account.version));
    return c.json(await withCount(db, tenantId, account));
  })
  .put("/:id", route("Change a provider account (only the fields sent)", { auth: "admin", params: IdParams, body: UpdateProviderAccountBody, response: ProviderAccountSchema, errors: [409] }), async (c) => {
    const input = c.req.valid("json");
    const { tenantId } = c.get("auth");
    const id = c.req.param("id");
    const account = await saveVersioned(c, {
      ...versioned(tenantId, id, "updated"),
      version: input.version,
      apply: async (tx) => {
        const { version: _version, ...rest } = input;
        const changes = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)) as Partial<NewProviderAccountRow>;
        if (Object.keys(changes).length === 0) return false;
        await uniqueOr409(() => updateProviderAccount(tx, tenantId, id, changes), NAME_INDEX, nameTaken(input.name ?? ""), { field: "name" });
        return true;
      },
    });
    return c.json(await withCount(await c.get("services").db(), tenantId, account));
  })
  .delete("/:id", route("Delete a provider account (refused while agents are assigned to it)", { auth: "admin", params: IdParams, errors: [409] }), async (c) => {
    const { tenantId } = c.get("auth");
    const id = c.req.param("id");
    await deleteVersioned(c, {
      ...versioned(tenantId, id, "deleted"),
      remove: async (tx) => {
        await assertProviderAccountUnused(tx, tenantId, id);
        await deleteProviderAccount(tx, tenantId, id);
      },
    });
    return c.body(null, 204);
  })
  .get("/:id/status", route("The calls holding the account's slots now", { params: IdParams, response: ProviderAccountStatusSchema }), async (c) => {
    const { tenantId } = c.get("auth");
    const account = await findProviderAccount(await c.get("services").db(), tenantId, c.req.param("id"));
    if (!account) throw notFound("Provider account");
    const status = await c.env.PROVIDER_ACCOUNT.getByName(account.id).status(200);
    // Call keys are named tenant-free inside the object; the account is the tenant's, so are they.
    return c.json({
      accountId: account.id,
      maxConcurrentCalls: account.maxConcurrentCalls,
      active: status.active,
      calls: status.calls.map((call) => ({ callKey: call.callKey, agentId: call.agentId, since: new Date(call.since).toISOString(), expiresAt: new Date(call.expiresAt).toISOString() })),
    });
  });
