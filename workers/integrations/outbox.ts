import type { Env } from "../env";
import type { Executor } from "../db/executor";
import { insertDeliveries, type NewDeliveryRow } from "../db/repos/event-webhooks";
import type { EventType } from "../domain/integrations";
import { newId } from "../lib/ids";
import { endpointsFor } from "./endpoint-cache";
import { deliveryId, tenantEvent, type OutgoingEvent } from "./events";

/*
 * Deliveries are rows first (MySQL holds each one's state and schedule), then a message on the
 * event-deliveries queue that says "try this one now" (or after a delay). A message that is
 * lost costs only time: the minute sweep (sweep.ts) re-sends whatever is overdue.
 */

export interface DeliveryMessage {
  kind: "event_delivery";
  deliveryId: string;
  tenantId: string;
  /** An admin's Resend: one attempt now, whatever the delivery's state. */
  resend?: true;
}

export const isDeliveryMessage = (body: unknown): body is DeliveryMessage => typeof body === "object" && body !== null && (body as DeliveryMessage).kind === "event_delivery" && typeof (body as DeliveryMessage).deliveryId === "string";

/** Queue messages go in batches of at most 100. */
const SEND_BATCH = 100;

export async function enqueueDeliveries(env: Pick<Env, "EVENT_DELIVERIES">, deliveries: { id: string; tenantId: string }[], delaySeconds = 0, options: { resend?: boolean } = {}): Promise<void> {
  for (let i = 0; i < deliveries.length; i += SEND_BATCH) {
    const slice = deliveries.slice(i, i + SEND_BATCH);
    await env.EVENT_DELIVERIES.sendBatch(
      slice.map((d) => ({
        body: { kind: "event_delivery", deliveryId: d.id, tenantId: d.tenantId, ...(options.resend ? { resend: true as const } : {}) } satisfies DeliveryMessage,
        contentType: "json" as const,
        ...(delaySeconds > 0 ? { delaySeconds } : {}),
      })),
    );
  }
}

/** The row of one event to one endpoint. */
export async function webhookDelivery(event: OutgoingEvent, endpointId: string, status: "held" | "pending", now: Date): Promise<NewDeliveryRow> {
  return {
    id: await deliveryId(`ep:${endpointId}`, event.id),
    tenantId: event.tenantId,
    channel: "webhook",
    endpointId,
    eventId: event.id,
    eventType: event.type,
    callId: event.call?.id ?? null,
    seq: event.call?.seq ?? null,
    payload: JSON.stringify(event),
    status,
    nextAttemptAt: status === "pending" ? now : null,
    createdAt: now,
  };
}

/**
 * A tenant-level event (configuration changed, an alert) to every enabled endpoint that takes
 * it: rows, then queue messages. Returns how many deliveries it made. `exceptEndpoint` leaves
 * one out (an endpoint's own disabling is not news to it).
 */
export async function emitTenantEvent(env: Pick<Env, "EVENT_DELIVERIES">, db: Executor, tenantId: string, type: EventType, data: Record<string, unknown>, options: { exceptEndpoint?: string; now?: Date } = {}): Promise<OutgoingEvent | null> {
  const now = options.now ?? new Date();
  const endpoints = ((await endpointsFor(db, [tenantId])).get(tenantId) ?? []).filter((e) => e.eventTypes.includes(type) && e.id !== options.exceptEndpoint);
  if (!endpoints.length) return null;
  const event = tenantEvent(tenantId, type, data, newId("evt", now.getTime()), now.getTime());
  const rows = await Promise.all(endpoints.map((e) => webhookDelivery(event, e.id, "pending", now)));
  await insertDeliveries(db, rows);
  await enqueueDeliveries(
    env,
    rows.map((r) => ({ id: r.id!, tenantId })),
  );
  return event;
}
