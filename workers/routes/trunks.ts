import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { assertTrunkUnused } from "../db/repos/trunk-usage";
import { deleteTrunk, findTrunk, insertTrunk, listTrunks, updateTrunk, type NewTrunkRow, type TrunkRow } from "../db/repos/trunks";
import { adminWrites, requireAuth } from "../middleware/auth";
import { apiRoutes } from "../openapi/declare";
import { commitChange } from "../lib/change";
import { etag } from "../lib/concurrency";
import { deleteVersioned, saveVersioned } from "../lib/versioned-change";
import type { Executor } from "../db/executor";
import { uniqueOr409 } from "../lib/db-conflicts";
import { notFound } from "../lib/errors";
import { newId } from "../lib/ids";
import { IdParams } from "../schemas/common";
import { CreateTrunkBody, ListTrunksQuery, TrunkPage, TrunkSchema, UpdateTrunkBody, type TrunkDto } from "../schemas/trunks";

const route = apiRoutes("Trunks");

const NAME_INDEX = "trunks_tenant_name_uq";
const nameTaken = (name: string) => `A trunk named "${name}" already exists in this tenant`;

function toTrunkDto(row: TrunkRow): TrunkDto {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    callerIdOverride: row.callerIdOverride,
    enabled: row.enabled,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** One trunk's row, as saveVersioned and deleteVersioned lock, check and audit it. */
const versioned = (tenantId: string, id: string, action: "updated" | "deleted") => ({
  change: { entity: "trunk", action } as const,
  name: "trunk",
  find: (tx: Executor, lock?: { forUpdate: true }) => findTrunk(tx, tenantId, id, lock),
  audited: toTrunkDto,
});

export const trunks = new Hono<AppEnv>()
  .use(requireAuth, adminWrites)
  .get("/", route("List SIP trunks", { query: ListTrunksQuery, response: TrunkPage }), async (c) => {
    const { sort, order, limit, cursor, ...filters } = c.req.valid("query");
    const page = await listTrunks(await c.get("services").db(), c.get("auth").tenantId, filters, { sort, order, limit, cursor, filters });
    return c.json({ items: page.rows.map(toTrunkDto), nextCursor: page.nextCursor });
  })
  .post("/", route("Add a Cloudonix trunk", { auth: "admin", body: CreateTrunkBody, response: TrunkSchema, status: 201, errors: [409] }), async (c) => {
    const input = c.req.valid("json");
    const { tenantId } = c.get("auth");
    const row: NewTrunkRow = {
      id: newId("trk"),
      tenantId,
      name: input.name,
      description: input.description ?? "",
      callerIdOverride: input.callerIdOverride ?? null,
      enabled: input.enabled ?? true,
    };
    const trunk = await commitChange(c, { entity: "trunk", action: "created" }, async (tx, audit) => {
      await uniqueOr409(() => insertTrunk(tx, row), NAME_INDEX, nameTaken(input.name), { field: "name" });
      const created = (await findTrunk(tx, tenantId, row.id!))!;
      audit.record(created.id, null, toTrunkDto(created));
      return created;
    });
    c.header("ETag", etag(trunk.version));
    c.header("Location", `/api/trunks/${trunk.id}`);
    return c.json(toTrunkDto(trunk), 201);
  })
  .get("/:id", route("Get a trunk", { params: IdParams, response: TrunkSchema }), async (c) => {
    const trunk = await findTrunk(await c.get("services").db(), c.get("auth").tenantId, c.req.param("id"));
    if (!trunk) throw notFound("Trunk");
    c.header("ETag", etag(trunk.version));
    return c.json(toTrunkDto(trunk));
  })
  .put("/:id", route("Change a trunk (only the fields sent)", { auth: "admin", params: IdParams, body: UpdateTrunkBody, response: TrunkSchema, errors: [409] }), async (c) => {
    const input = c.req.valid("json");
    const { tenantId } = c.get("auth");
    const id = c.req.param("id");
    const trunk = await saveVersioned(c, {
      ...versioned(tenantId, id, "updated"),
      version: input.version,
      apply: async (tx) => {
        const { version: _version, ...rest } = input;
        const changes = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)) as Partial<NewTrunkRow>;
        if (Object.keys(changes).length === 0) return false;
        await uniqueOr409(() => updateTrunk(tx, tenantId, id, changes), NAME_INDEX, nameTaken(input.name ?? ""), { field: "name" });
        return true;
      },
    });
    return c.json(toTrunkDto(trunk));
  })
  .delete("/:id", route("Delete a trunk (refused while anything dials through it: an agent, an outbound rule, a number target, an open campaign)", { auth: "admin", params: IdParams, errors: [409] }), async (c) => {
    const { tenantId } = c.get("auth");
    const id = c.req.param("id");
    await deleteVersioned(c, {
      ...versioned(tenantId, id, "deleted"),
      remove: async (tx) => {
        await assertTrunkUnused(tx, tenantId, id);
        await deleteTrunk(tx, tenantId, id);
      },
    });
    return c.body(null, 204);
  });
