import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { assertTrunksUnused } from "../db/repos/references";
import { deleteTrunk, findTrunk, insertTrunk, listTrunks, updateTrunk, type NewTrunkRow, type TrunkRow } from "../db/repos/trunks";
import { adminWrites, requireAuth } from "../middleware/auth";
import { apiDocs } from "../openapi/registry";
import { commitChange } from "../lib/change";
import { assertVersion, etag, expectedVersion } from "../lib/concurrency";
import { uniqueOr409 } from "../lib/db-conflicts";
import { notFound } from "../lib/errors";
import { newId } from "../lib/ids";
import { readJson, readQuery } from "../lib/validation";
import { IdParams } from "../schemas/common";
import { CreateTrunkBody, ListTrunksQuery, TrunkPage, TrunkSchema, UpdateTrunkBody, type TrunkDto } from "../schemas/trunks";

const docs = apiDocs("/api/trunks", "Trunks");
docs.get("/", "List SIP trunks", { query: ListTrunksQuery, response: TrunkPage });
docs.post("/", "Add a Cloudonix trunk", { auth: "admin", body: CreateTrunkBody, response: TrunkSchema, status: 201, errors: [409] });
docs.get("/:id", "Get a trunk", { params: IdParams, response: TrunkSchema });
docs.put("/:id", "Change a trunk (only the fields sent)", { auth: "admin", params: IdParams, body: UpdateTrunkBody, response: TrunkSchema, errors: [409] });
docs.delete("/:id", "Delete a trunk (refused while an outbound rule uses it)", { auth: "admin", params: IdParams, errors: [409] });

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

export const trunks = new Hono<AppEnv>()
  .use(requireAuth, adminWrites)
  .get("/", async (c) => {
    const { sort, order, limit, cursor, ...filters } = readQuery(c, ListTrunksQuery);
    const page = await listTrunks(await c.get("services").db(), c.get("auth").tenantId, filters, { sort, order, limit, cursor, filters });
    return c.json({ items: page.rows.map(toTrunkDto), nextCursor: page.nextCursor });
  })
  .post("/", async (c) => {
    const input = await readJson(c, CreateTrunkBody);
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
  .get("/:id", async (c) => {
    const trunk = await findTrunk(await c.get("services").db(), c.get("auth").tenantId, c.req.param("id"));
    if (!trunk) throw notFound("Trunk");
    c.header("ETag", etag(trunk.version));
    return c.json(toTrunkDto(trunk));
  })
  .put("/:id", async (c) => {
    const input = await readJson(c, UpdateTrunkBody);
    const expected = expectedVersion(c, input.version);
    const { tenantId } = c.get("auth");
    const id = c.req.param("id");
    const trunk = await commitChange(c, { entity: "trunk", action: "updated" }, async (tx, audit) => {
      const current = await findTrunk(tx, tenantId, id, { forUpdate: true });
      if (!current) throw notFound("Trunk");
      assertVersion("trunk", expected, current.version);
      const { version: _version, ...rest } = input;
      const changes = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)) as Partial<NewTrunkRow>;
      if (Object.keys(changes).length === 0) return current;
      await uniqueOr409(() => updateTrunk(tx, tenantId, id, changes), NAME_INDEX, nameTaken(input.name ?? ""), { field: "name" });
      const updated = (await findTrunk(tx, tenantId, id))!;
      audit.record(id, toTrunkDto(current), toTrunkDto(updated));
      return updated;
    });
    c.header("ETag", etag(trunk.version));
    return c.json(toTrunkDto(trunk));
  })
  .delete("/:id", async (c) => {
    const expected = expectedVersion(c);
    const { tenantId } = c.get("auth");
    const id = c.req.param("id");
    await commitChange(c, { entity: "trunk", action: "deleted" }, async (tx, audit) => {
      const current = await findTrunk(tx, tenantId, id, { forUpdate: true });
      if (!current) throw notFound("Trunk");
      assertVersion("trunk", expected, current.version);
      await assertTrunksUnused(tx, tenantId, [id]);
      await deleteTrunk(tx, tenantId, id);
      audit.record(id, toTrunkDto(current), null);
    });
    return c.body(null, 204);
  });
