import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { localLabel, offsetAt } from "../analytics/time-zone";
import type { Executor } from "../db/executor";
import { assertScheduleUnused, deleteSchedule, findSchedule, insertSchedule, listSchedules, ruleCounts, updateSchedule, type NewScheduleRow, type ScheduleRow } from "../db/repos/schedules";
import { scheduleStatusAt, weekPreview } from "../domain/schedules";
import { adminWrites, requireAuth } from "../middleware/auth";
import { apiRoutes } from "../openapi/declare";
import { commitChange } from "../lib/change";
import { etag } from "../lib/concurrency";
import { uniqueOr409 } from "../lib/db-conflicts";
import { notFound } from "../lib/errors";
import { newId } from "../lib/ids";
import { deleteVersioned, saveVersioned } from "../lib/versioned-change";
import { IdParams } from "../schemas/common";
import { CreateScheduleBody, ListSchedulesQuery, SchedulePage, ScheduleSchema, ScheduleStatusQuery, ScheduleStatusSchema, UpdateScheduleBody, type ScheduleDto, type ScheduleStatusDto } from "../schemas/schedules";

const route = apiRoutes("Schedules");

const NAME_INDEX = "schedules_tenant_name_uq";
const nameTaken = (name: string) => `A schedule named "${name}" already exists in this tenant`;

function toScheduleDto(row: ScheduleRow, ruleCount: number): ScheduleDto {
  return {
    id: row.id,
    name: row.name,
    timezone: row.timezone,
    weekly: row.weekly,
    closures: row.closures ?? [],
    overrides: row.overrides ?? [],
    ruleCount,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The audit form: the schedule itself, not how many rules use it at the moment. */
const audited = (row: ScheduleRow) => {
  const { ruleCount: _ruleCount, ...rest } = toScheduleDto(row, 0);
  return rest;
};

const versioned = (tenantId: string, id: string, action: "updated" | "deleted") => ({
  change: { entity: "schedule", action } as const,
  name: "schedule",
  find: (tx: Executor, lock?: { forUpdate: true }) => findSchedule(tx, tenantId, id, lock),
  audited,
});

const isoLocal = (ms: number, timeZone: string) => localLabel(ms, offsetAt(ms, timeZone));

export function scheduleStatus(row: ScheduleRow, at: number): ScheduleStatusDto {
  const status = scheduleStatusAt(row, at);
  return {
    scheduleId: row.id,
    timezone: row.timezone,
    at: new Date(at).toISOString(),
    atLocal: isoLocal(at, row.timezone),
    open: status.open,
    reason: status.reason,
    rule: status.rule,
    changesAt: status.changesAt === null ? null : new Date(status.changesAt).toISOString(),
    changesAtLocal: status.changesAt === null ? null : isoLocal(status.changesAt, row.timezone),
    week: weekPreview(row, at).map((day) => ({ ...day, intervals: day.intervals.map((i) => ({ ...i, start: new Date(i.start).toISOString(), end: new Date(i.end).toISOString() })) })),
  };
}

export const schedulesRoutes = new Hono<AppEnv>()
  .use(requireAuth, adminWrites)
  .get("/", route("List schedules (opening hours for inbound rules)", { query: ListSchedulesQuery, response: SchedulePage }), async (c) => {
    const { sort, order, limit, cursor, ...filters } = c.req.valid("query");
    const { tenantId } = c.get("auth");
    const db = await c.get("services").db();
    const page = await listSchedules(db, tenantId, filters, { sort, order, limit, cursor, filters });
    const counts = await ruleCounts(
      db,
      tenantId,
      page.rows.map((row) => row.id),
    );
    return c.json({ items: page.rows.map((row) => toScheduleDto(row, counts.get(row.id) ?? 0)), nextCursor: page.nextCursor });
  })
  .post("/", route("Create a schedule", { auth: "admin", body: CreateScheduleBody, response: ScheduleSchema, status: 201, errors: [409] }), async (c) => {
    const input = c.req.valid("json");
    const { tenantId } = c.get("auth");
    const row: NewScheduleRow = { id: newId("sch"), tenantId, name: input.name, timezone: input.timezone, weekly: input.weekly, closures: input.closures ?? [], overrides: input.overrides ?? [] };
    const schedule = await commitChange(c, { entity: "schedule", action: "created" }, async (tx, audit) => {
      await uniqueOr409(() => insertSchedule(tx, row), NAME_INDEX, nameTaken(input.name), { field: "name" });
      const created = (await findSchedule(tx, tenantId, row.id!))!;
      audit.record(created.id, null, audited(created));
      return created;
    });
    c.header("ETag", etag(schedule.version));
    c.header("Location", `/api/schedules/${schedule.id}`);
    return c.json(toScheduleDto(schedule, 0), 201);
  })
  .get("/:id", route("Get a schedule", { params: IdParams, response: ScheduleSchema }), async (c) => {
    const { tenantId } = c.get("auth");
    const db = await c.get("services").db();
    const schedule = await findSchedule(db, tenantId, c.req.param("id"));
    if (!schedule) throw notFound("Schedule");
    const counts = await ruleCounts(db, tenantId, [schedule.id]);
    c.header("ETag", etag(schedule.version));
    return c.json(toScheduleDto(schedule, counts.get(schedule.id) ?? 0));
  })
  .get("/:id/status", route("Open or closed at an instant, why, when that changes, and the next 7 days' hours", { params: IdParams, query: ScheduleStatusQuery, response: ScheduleStatusSchema }), async (c) => {
    const { at } = c.req.valid("query");
    const schedule = await findSchedule(await c.get("services").db(), c.get("auth").tenantId, c.req.param("id"));
    if (!schedule) throw notFound("Schedule");
    return c.json(scheduleStatus(schedule, at ? Date.parse(at) : Date.now()));
  })
  .put("/:id", route("Change a schedule (only the fields sent)", { auth: "admin", params: IdParams, body: UpdateScheduleBody, response: ScheduleSchema, errors: [409] }), async (c) => {
    const input = c.req.valid("json");
    const { tenantId } = c.get("auth");
    const id = c.req.param("id");
    const schedule = await saveVersioned(c, {
      ...versioned(tenantId, id, "updated"),
      version: input.version,
      apply: async (tx) => {
        const { version: _version, ...rest } = input;
        const changes = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)) as Partial<NewScheduleRow>;
        if (Object.keys(changes).length === 0) return false;
        await uniqueOr409(() => updateSchedule(tx, tenantId, id, changes), NAME_INDEX, nameTaken(input.name ?? ""), { field: "name" });
        return true;
      },
    });
    const counts = await ruleCounts(await c.get("services").db(), tenantId, [schedule.id]);
    return c.json(toScheduleDto(schedule, counts.get(schedule.id) ?? 0));
  })
  .delete("/:id", route("Delete a schedule (refused while an inbound rule uses it)", { auth: "admin", params: IdParams, errors: [409] }), async (c) => {
    const { tenantId } = c.get("auth");
    const id = c.req.param("id");
    await deleteVersioned(c, {
      ...versioned(tenantId, id, "deleted"),
      remove: async (tx) => {
        await assertScheduleUnused(tx, tenantId, id);
        await deleteSchedule(tx, tenantId, id);
      },
    });
    return c.body(null, 204);
  });
