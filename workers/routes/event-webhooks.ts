import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import type { Executor } from "../db/executor";
import {
  attemptsOf,
  countEventWebhooks,
  deleteEventWebhook,
  findEndpointDelivery,
  findEventWebhook,
  insertEventWebhook,
  listDeliveries,
  listEventWebhooks,
  updateEventWebhook,
  type AttemptRow,
  type DeliveryRow,
  type EventWebhookRow,
  type NewEventWebhookRow,
} from "../db/repos/event-webhooks";
import { adminWrites, requireAuth } from "../middleware/auth";
import { apiRoutes } from "../openapi/declare";
import { assertVersion, etag, expectedVersion } from "../lib/concurrency";
import { AppError, notFound } from "../lib/errors";
import { newId } from "../lib/ids";
import { encryptSecret } from "../lib/secrets";
import { IdParams, iso, isoOrNull } from "../schemas/common";
import {
  CreatedEventWebhookSchema,
  CreateEventWebhookBody,
  DeliveryDetailSchema,
  DeliveryPage,
  DeliveryParams,
  EventWebhookList,
  EventWebhookSchema,
  ListDeliveriesQuery,
  MAX_ENDPOINTS,
  RotatedSecretSchema,
  RotateSecretBody,
  UpdateEventWebhookBody,
  type DeliveryDto,
  type EventWebhookDto,
} from "../schemas/event-webhooks";
import type { EventType } from "../domain/integrations";
import { assertDeliverableUrl, commitAudited } from "../integrations/audited-change";
import { forgetEndpoints } from "../integrations/endpoint-cache";
import { enqueueDeliveries } from "../integrations/outbox";
import { newSigningSecret } from "../integrations/signature";
import { clearEndpointAlerts } from "../alerts/evaluate";

const route = apiRoutes("Event webhooks");

export function toEventWebhookDto(row: EventWebhookRow, now = new Date()): EventWebhookDto {
  const previousLive = row.previousSecretEnc && row.previousSecretExpiresAt && row.previousSecretExpiresAt > now;
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    enabled: row.enabled,
    eventTypes: row.eventTypes as EventType[],
    secretHint: row.secretHint,
    secretRotatedAt: isoOrNull(row.secretRotatedAt),
    previousSecretExpiresAt: previousLive ? iso(row.previousSecretExpiresAt!) : null,
    disabledReason: row.disabledReason,
    disabledAt: isoOrNull(row.disabledAt),
    failingSince: isoOrNull(row.failingSince),
    lastSuccessAt: isoOrNull(row.lastSuccessAt),
    lastFailureAt: isoOrNull(row.lastFailureAt),
    version: row.version,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

function attemptDto(a: AttemptRow) {
  return { n: a.n, trigger: a.trigger, at: iso(a.at), ok: a.ok, statusCode: a.statusCode, latencyMs: a.latencyMs, error: a.error, responseExcerpt: a.responseExcerpt };
}

function deliveryDto(d: DeliveryRow, last: AttemptRow | undefined): DeliveryDto {
  return {
    id: d.id,
    eventId: d.eventId,
    eventType: d.eventType,
    callId: d.callId,
    seq: d.seq,
    status: d.status,
    attempts: d.attempts,
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    nextAttemptAt: isoOrNull(d.nextAttemptAt),
    deliveredAt: isoOrNull(d.deliveredAt),
    createdAt: iso(d.createdAt),
    lastAttempt: last ? attemptDto(last) : null,
  };
}

const hint = (secret: string) => secret.slice(-4);

/** Locks the tenant's endpoint for a change: 404 when it is not the tenant's, 409 when the client's version is stale. */
async function lockEndpoint(tx: Executor, tenantId: string, id: string, expected: number | undefined): Promise<EventWebhookRow> {
  const current = await findEventWebhook(tx, tenantId, id, { forUpdate: true });
  if (!current) throw notFound("Event webhook");
  assertVersion("event webhook", expected, current.version);
  return current;
}

export const eventWebhooks = new Hono<AppEnv>()
  .use(requireAuth, adminWrites)
  .get("/", route("List the tenant's event webhooks", { response: EventWebhookList }), async (c) => {
    const rows = await listEventWebhooks(await c.get("services").db(), c.get("auth").tenantId);
    return c.json({ items: rows.map((r) => toEventWebhookDto(r)) });
  })
  .post("/", route("Register an event webhook (its signing secret is shown this once)", { auth: "admin", body: CreateEventWebhookBody, response: CreatedEventWebhookSchema, status: 201, errors: [409] }), async (c) => {
    const input = c.req.valid("json");
    const { tenantId } = c.get("auth");
    assertDeliverableUrl(c, input.url, "url");
    const secret = newSigningSecret();
    const row: NewEventWebhookRow = {
      id: newId("ewh"),
      tenantId,
      url: input.url,
      description: input.description ?? "",
      enabled: input.enabled ?? true,
      eventTypes: input.eventTypes,
      secretEnc: await encryptSecret(secret, c.env.ENCRYPTION_KEY),
      secretHint: hint(secret),
    };
    const created = await commitAudited(c, async (tx, audit) => {
      // Counted under the tenant's lock order: two creations at once cannot both pass the limit.
      if ((await countEventWebhooks(tx, tenantId)) >= MAX_ENDPOINTS) throw new AppError(409, "LIMIT_REACHED", `A tenant may have at most ${MAX_ENDPOINTS} event webhooks; delete one first`);
      await insertEventWebhook(tx, row);
      const saved = (await findEventWebhook(tx, tenantId, row.id!))!;
      audit({ action: "event_webhook.created", entityType: "event_webhook", entityId: saved.id, before: null, after: toEventWebhookDto(saved) });
      return saved;
    });
    forgetEndpoints(tenantId);
    c.header("ETag", etag(created.version));
    c.header("Location", `/api/event-webhooks/${created.id}`);
    return c.json({ ...toEventWebhookDto(created), secret }, 201);
  })
  .get("/:id", route("Get an event webhook", { params: IdParams, response: EventWebhookSchema }), async (c) => {
    const row = await findEventWebhook(await c.get("services").db(), c.get("auth").tenantId, c.req.param("id"));
    if (!row) throw notFound("Event webhook");
    c.header("ETag", etag(row.version));
    return c.json(toEventWebhookDto(row));
  })
  .put("/:id", route("Change an event webhook (only the fields sent); enabling one the router disabled clears its failures", { auth: "admin", params: IdParams, body: UpdateEventWebhookBody, response: EventWebhookSchema, errors: [409] }), async (c) => {
    const input = c.req.valid("json");
    const { tenantId } = c.get("auth");
    const id = c.req.param("id");
    if (input.url !== undefined) assertDeliverableUrl(c, input.url, "url");
    const expected = expectedVersion(c, input.version);
    const { saved, reenabled } = await commitAudited(c, async (tx, audit) => {
      const current = await lockEndpoint(tx, tenantId, id, expected);
      const changes: Partial<NewEventWebhookRow> = {};
      if (input.url !== undefined && input.url !== current.url) changes.url = input.url;
      if (input.description !== undefined && input.description !== current.description) changes.description = input.description;
      if (input.eventTypes !== undefined && JSON.stringify(input.eventTypes) !== JSON.stringify(current.eventTypes)) changes.eventTypes = input.eventTypes;
      if (input.enabled !== undefined && input.enabled !== current.enabled) {
        changes.enabled = input.enabled;
        // A fresh start either way: a person decided, whatever the router had noted.
        Object.assign(changes, { disabledReason: null, disabledAt: input.enabled ? null : new Date(), failingSince: null });
      }
      if (!Object.keys(changes).length) return { saved: current, reenabled: false };
      await updateEventWebhook(tx, tenantId, id, changes);
      const updated = (await findEventWebhook(tx, tenantId, id))!;
      audit({ action: "event_webhook.updated", entityType: "event_webhook", entityId: id, before: toEventWebhookDto(current), after: toEventWebhookDto(updated) });
      return { saved: updated, reenabled: changes.enabled === true };
    });
    forgetEndpoints(tenantId);
    if (reenabled) await clearEndpointAlerts(c.env, await c.get("services").db(), tenantId, id);
    c.header("ETag", etag(saved.version));
    return c.json(toEventWebhookDto(saved));
  })
  .delete("/:id", route("Delete an event webhook and its delivery log", { auth: "admin", params: IdParams, errors: [409] }), async (c) => {
    const { tenantId } = c.get("auth");
    const id = c.req.param("id");
    const expected = expectedVersion(c);
    await commitAudited(c, async (tx, audit) => {
      const current = await lockEndpoint(tx, tenantId, id, expected);
      await deleteEventWebhook(tx, tenantId, id);
      audit({ action: "event_webhook.deleted", entityType: "event_webhook", entityId: id, before: toEventWebhookDto(current), after: null });
    });
    forgetEndpoints(tenantId);
    await clearEndpointAlerts(c.env, await c.get("services").db(), tenantId, id);
    return c.body(null, 204);
  })
  .post("/:id/rotate-secret", route("Rotate the signing secret (shown this once); the previous one signs too for graceSeconds, default one day", { auth: "admin", params: IdParams, body: RotateSecretBody, response: RotatedSecretSchema }), async (c) => {
    const graceSeconds = c.req.valid("json")?.graceSeconds ?? 86_400;
    const { tenantId } = c.get("auth");
    const id = c.req.param("id");
    const secret = newSigningSecret();
    const secretEnc = await encryptSecret(secret, c.env.ENCRYPTION_KEY);
    const now = new Date();
    const saved = await commitAudited(c, async (tx, audit) => {
      const current = await lockEndpoint(tx, tenantId, id, undefined);
      const expires = graceSeconds > 0 ? new Date(now.getTime() + graceSeconds * 1000) : null;
      await updateEventWebhook(tx, tenantId, id, { secretEnc, secretHint: hint(secret), secretRotatedAt: now, previousSecretEnc: expires ? current.secretEnc : null, previousSecretExpiresAt: expires });
      const updated = (await findEventWebhook(tx, tenantId, id))!;
      audit({ action: "event_webhook.secret_rotated", entityType: "event_webhook", entityId: id, before: { secretHint: current.secretHint }, after: { secretHint: updated.secretHint, graceSeconds } });
      return updated;
    });
    const dto = toEventWebhookDto(saved, now);
    c.header("ETag", etag(saved.version));
    return c.json({ secret, secretHint: dto.secretHint, rotatedAt: now.toISOString(), previousSecretExpiresAt: dto.previousSecretExpiresAt });
  })
  .get("/:id/deliveries", route("The endpoint's deliveries, newest first, each with its last attempt", { params: IdParams, query: ListDeliveriesQuery, response: DeliveryPage }), async (c) => {
    const { limit, cursor, ...filters } = c.req.valid("query");
    const db = await c.get("services").db();
    const { tenantId } = c.get("auth");
    const endpoint = await findEventWebhook(db, tenantId, c.req.param("id"));
    if (!endpoint) throw notFound("Event webhook");
    const page = await listDeliveries(db, tenantId, endpoint.id, filters, { sort: "createdAt", order: "desc", limit, cursor, filters });
    const attempts = await attemptsOf(
      db,
      page.rows.map((r) => r.id),
    );
    const last = new Map<string, AttemptRow>();
    for (const a of attempts) if (!last.has(a.deliveryId)) last.set(a.deliveryId, a);
    return c.json({ items: page.rows.map((r) => deliveryDto(r, last.get(r.id))), nextCursor: page.nextCursor });
  })
  .get("/:id/deliveries/:deliveryId", route("One delivery: the body sent and every attempt", { params: DeliveryParams, response: DeliveryDetailSchema }), async (c) => {
    const db = await c.get("services").db();
    const delivery = await findEndpointDelivery(db, c.get("auth").tenantId, c.req.param("id"), c.req.param("deliveryId"));
    if (!delivery) throw notFound("Delivery");
    const attempts = await attemptsOf(db, [delivery.id]);
    return c.json({ ...deliveryDto(delivery, attempts[0]), payload: delivery.payload, attemptLog: attempts.map(attemptDto) });
  })
  .post(
    "/:id/deliveries/:deliveryId/resend",
    route("Resend a delivery now (same body and idempotency id, signed afresh): one attempt, off the request", { auth: "admin", params: DeliveryParams, response: DeliveryDetailSchema, status: 202, errors: [409] }),
    async (c) => {
      const db = await c.get("services").db();
      const { tenantId } = c.get("auth");
      const endpoint = await findEventWebhook(db, tenantId, c.req.param("id"));
      if (!endpoint) throw notFound("Event webhook");
      const delivery = await findEndpointDelivery(db, tenantId, endpoint.id, c.req.param("deliveryId"));
      if (!delivery) throw notFound("Delivery");
      if (!endpoint.enabled) throw new AppError(409, "ENDPOINT_DISABLED", "The event webhook is disabled; enable it before resending");
      await enqueueDeliveries(c.env, [{ id: delivery.id, tenantId }], 0, { resend: true });
      const attempts = await attemptsOf(db, [delivery.id]);
      return c.json({ ...deliveryDto(delivery, attempts[0]), payload: delivery.payload, attemptLog: attempts.map(attemptDto) }, 202);
    },
  );
