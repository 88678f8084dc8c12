import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { findRecordByCallId } from "../db/repos/call-records";
import { findDeadLetter, listDeadLetters } from "../db/repos/dead-letters";
import { rowId, toDeadLetterDto } from "../debugger/dto";
import { letterMessage } from "../debugger/letter-message";
import { discardLetter, replayAllLetters, replayLetter } from "../debugger/replay";
import { adminWrites, requireAuth } from "../middleware/auth";
import { apiRoutes } from "../openapi/declare";
import { notFound } from "../lib/errors";
import { IdParams } from "../schemas/common";
import { DeadLetterDetailSchema, DeadLetterPage, ListDeadLettersQuery, MAX_REPLAY_ALL, ReplayAllResultSchema, ReplayResultSchema } from "../schemas/dead-letters";

const route = apiRoutes("Delivery debugger");

export const deadLettersRoutes = new Hono<AppEnv>()
  .use(requireAuth, adminWrites)
  .get("/", route("Queue messages that could not be stored (parked, replayed or discarded), newest first", { query: ListDeadLettersQuery, response: DeadLetterPage }), async (c) => {
    const { limit, cursor, ...filters } = c.req.valid("query");
    const db = await c.get("services").db();
    const page = await listDeadLetters(db, c.get("auth").tenantId, filters, { sort: "receivedAt", order: "desc", limit, cursor, filters });
    return c.json({ items: page.rows.map(toDeadLetterDto), nextCursor: page.nextCursor });
  })
  .post(
    "/replay",
    route(`Replay the tenant's parked letters, up to ${MAX_REPLAY_ALL} per request (oldest first)`, {
      auth: "admin",
      response: ReplayAllResultSchema,
      errors: [503],
      description: "Letters that cannot be replayed stay parked and are listed as skipped; call again while remaining counts replayable letters.",
    }),
    async (c) => c.json(await replayAllLetters(c)),
  )
  .get("/:id", route("One dead letter with its body and why it could not be replayed, if so", { params: IdParams, response: DeadLetterDetailSchema }), async (c) => {
    const { tenantId } = c.get("auth");
    const db = await c.get("services").db();
    const id = rowId(c.req.param("id"));
    const row = id === null ? null : await findDeadLetter(db, tenantId, id);
    if (!row) throw notFound("Dead letter");
    const record = row.callId ? await findRecordByCallId(db, tenantId, row.callId) : null;
    return c.json({
      ...toDeadLetterDto(row),
      body: row.body,
      problem: row.status === "parked" ? letterMessage(row, tenantId).problem : null,
      callRecordId: record?.id ?? null,
    });
  })
  .post(
    "/:id/replay",
    route("Store a parked letter's message as the queue consumer would, then mark it replayed", {
      auth: "admin",
      params: IdParams,
      response: ReplayResultSchema,
      errors: [409, 422, 503],
      description:
        "Idempotent: what was stored already is stored once, and replaying a replayed letter changes nothing (changed: false). " +
        "422 NOT_REPLAYABLE when its body is cut, not JSON, not a call event or webhook delivery, or names another tenant; " +
        "409 for a discarded letter; 503 when storing fails (the letter stays parked).",
    }),
    async (c) => c.json(await replayLetter(c, rowId(c.req.param("id")))),
  )
  .post("/:id/discard", route("Mark a parked letter discarded (its message is never stored)", { auth: "admin", params: IdParams, response: ReplayResultSchema, errors: [409] }), async (c) => c.json(await discardLetter(c, rowId(c.req.param("id")))));
