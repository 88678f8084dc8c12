import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { CursorError, decodeCursor, encodeCursor } from "../analytics/records-cursor";
import { eventsOfCall, findRecord, namesFor, positionOf, readRecords, type ListedRecord } from "../db/repos/call-records";
import { requireAuth } from "../middleware/auth";
import { apiRoutes } from "../openapi/declare";
import { AppError, notFound } from "../lib/errors";
import { isoOrNull } from "../schemas/common";
import { CallRecordDetailSchema, CallRecordPage, ListRecordsQuery, RecordIdParams, type CallRecordDto } from "../schemas/call-records";
import { CreateExportBody, ExportSchema } from "../schemas/exports";
import { createExport } from "../exports/jobs";
import type { RecordFlag } from "../../durable-objects/logic/call-figures";
import { recordCdrFigures } from "../analytics/quality";

const route = apiRoutes("Call records");

export function toRecordDto(row: ListedRecord): CallRecordDto {
  return {
    id: row.id,
    callId: row.callId,
    direction: row.direction,
    from: row.fromNumber,
    to: row.toNumber,
    callerName: row.callerName,
    status: row.status,
    disposition: row.disposition,
    endReason: row.endReason,
    ruleId: row.ruleId,
    groupId: row.groupId,
    agentId: row.agentId,
    trunkId: row.trunkId,
    attemptCount: row.attemptCount,
    startedAt: row.startedAt.toISOString(),
    answeredAt: isoOrNull(row.answeredAt),
    endedAt: isoOrNull(row.endedAt),
    durationSec: row.durationSec,
    billableSec: row.billableSec,
    wait: row.waitOutcome ? { position: row.waitPosition ?? 0, waitSec: row.waitSec, outcome: row.waitOutcome } : null,
  };
}

const named = (id: string | null, name: string | null) => (id ? { id, name } : null);

export const callRecords = new Hono<AppEnv>()
  .use(requireAuth)
  .get("/", route("List call records (filters, sort, cursor pages)", { query: ListRecordsQuery, response: CallRecordPage }), async (c) => {
    const { sort, order, limit, cursor, ...filters } = c.req.valid("query");
    let after = null;
    if (cursor) {
      try {
        after = decodeCursor(cursor, sort, order, filters);
      } catch (err) {
        if (!(err instanceof CursorError)) throw err;
        throw new AppError(400, "INVALID_CURSOR", `The cursor ${err.message}; request the first page again without a cursor`);
      }
    }
    const db = await c.get("services").db();
    const rows = await readRecords(db, c.get("auth").tenantId, { filters, sort, order, after, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const nextCursor = rows.length > limit && last ? encodeCursor(sort, order, filters, positionOf(sort, last)) : null;
    return c.json({ items: page.map(toRecordDto), nextCursor });
  })
  .post(
    "/export",
    route("Export the filtered records as CSV or JSON (a background job; poll GET /api/exports/{id})", {
      body: CreateExportBody,
      response: ExportSchema,
      status: 202,
      errors: [429],
      description: "Any signed-in user may export: it reads what the list already shows. At most 1,000,000 rows per export.",
    }),
    async (c) => {
      const input = c.req.valid("json");
      const job = await createExport(c, input);
      c.header("Location", `/api/exports/${job.id}`);
      return c.json(job, 202);
    },
  )
  .get("/:id", route("A call record with its attempts, routing trace and event timeline", { params: RecordIdParams, response: CallRecordDetailSchema }), async (c) => {
    const { tenantId } = c.get("auth");
    const db = await c.get("services").db();
    const row = await findRecord(db, tenantId, c.req.param("id"));
    if (!row) throw notFound("Call record");
    const [events, names] = await Promise.all([eventsOfCall(db, tenantId, row.callId), namesFor(db, tenantId, row)]);
    return c.json({
      ...toRecordDto(row),
      rule: named(row.ruleId, names.rule),
      group: named(row.groupId, names.group),
      agent: named(row.agentId, names.agent),
      trunk: named(row.trunkId, names.trunk),
      attempts: (row.attempts ?? []) as Record<string, unknown>[],
      routing: row.decision ?? null,
      flags: (row.flags ?? []) as RecordFlag[],
      ...recordCdrFigures(row),
      carrierHeaders: row.carrierHeaders ?? null,
      events: events.map((e) => ({ seq: e.seq, type: e.type, at: e.at.toISOString(), data: e.data })),
    });
  });
