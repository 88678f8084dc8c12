import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { findRecordByCallId } from "../db/repos/call-records";
import { countParked } from "../db/repos/dead-letters";
import { countDeliveries, findDelivery, listDeliveries } from "../db/repos/webhook-deliveries";
import { rowId, toDeliveryDto } from "../debugger/dto";
import { requireAuth } from "../middleware/auth";
import { apiRoutes } from "../openapi/declare";
import { notFound } from "../lib/errors";
import { DELIVERY_WINDOWS, DeliveryDetailSchema, DeliveryIdParams, DeliveryPage, DeliverySummarySchema, FAILURE_ALERT, ListDeliveriesQuery, SummaryQuery } from "../schemas/webhook-deliveries";

const route = apiRoutes("Delivery debugger");

export const webhookDeliveries = new Hono<AppEnv>()
  .use(requireAuth)
  .get("/", route("Cloudonix webhook deliveries, newest first (without request and answer texts)", { query: ListDeliveriesQuery, response: DeliveryPage }), async (c) => {
    const { limit, cursor, ...filters } = c.req.valid("query");
    const db = await c.get("services").db();
    const page = await listDeliveries(db, c.get("auth").tenantId, filters, { sort: "receivedAt", order: "desc", limit, cursor, filters });
    return c.json({ items: page.rows.map(toDeliveryDto), nextCursor: page.nextCursor });
  })
  .get("/summary", route("Delivery health: recent deliveries, failures and parked dead letters", { query: SummaryQuery, response: DeliverySummarySchema }), async (c) => {
    const { window } = c.req.valid("query");
    const { tenantId } = c.get("auth");
    const db = await c.get("services").db();
    const since = new Date(Date.now() - DELIVERY_WINDOWS[window]);
    const [counts, parkedDeadLetters] = await Promise.all([countDeliveries(db, tenantId, since), countParked(db, tenantId)]);
    const failureRate = counts.deliveries ? counts.failed / counts.deliveries : null;
    return c.json({
      window,
      since: since.toISOString(),
      ...counts,
      failureRate,
      failing: counts.deliveries >= FAILURE_ALERT.minDeliveries && failureRate !== null && failureRate >= FAILURE_ALERT.rate,
      parkedDeadLetters,
    });
  })
  .get("/:id", route("One delivery: the request as received, our answer, status and timing", { params: DeliveryIdParams, response: DeliveryDetailSchema }), async (c) => {
    const { tenantId } = c.get("auth");
    const db = await c.get("services").db();
    const id = rowId(c.req.param("id"));
    const row = id === null ? null : await findDelivery(db, tenantId, id);
    if (!row) throw notFound("Webhook delivery");
    const record = row.callId ? await findRecordByCallId(db, tenantId, row.callId) : null;
    return c.json({
      ...toDeliveryDto(row),
      request: { query: row.requestQuery, body: row.requestBody, truncated: row.requestTruncated },
      response: row.responseBody,
      callRecordId: record?.id ?? null,
    });
  });
