import type { Env } from "../env";
import type { Executor } from "../db/executor";
import { insertDeliveries, type NewDeliveryRow } from "../db/repos/event-webhooks";
import type { CallEventMessage } from "../queue/messages";
import { type CallChain, releaseChains } from "./call-order";
import { endpointsFor } from "./endpoint-cache";
import { eventOfCallMessage } from "./events";
import { enqueueDeliveries, webhookDelivery } from "./outbox";

/** The event types that come from calls (and so travel in per-call order). */
const CALL_TYPES = new Set(["call.started", "call.answered", "call.failed_over", "call.ended", "agent.health_changed"]);

/**
 * After the consumer stored a batch of call events: the deliveries of those events to every
 * endpoint that takes them, written `held`, then each call's chain released in order
 * (call-order.ts). Idempotent: a redelivered batch writes the same delivery ids, which exist.
 * Tenants without endpoints cost nothing here beyond the cached lookup (endpoint-cache.ts).
 */
export async function fanOutCallEvents(env: Pick<Env, "EVENT_DELIVERIES">, db: Executor, messages: CallEventMessage[], now = new Date()): Promise<number> {
  const events = messages.filter((m) => !m.settle);
  if (!events.length) return 0;
  const endpoints = await endpointsFor(
    db,
    events.map((m) => m.tenantId),
  );
  const rows: NewDeliveryRow[] = [];
  const chains = new Map<string, CallChain>();
  for (const message of events) {
    const callEndpoints = (endpoints.get(message.tenantId) ?? []).filter((e) => e.eventTypes.some((t) => CALL_TYPES.has(t)));
    if (!callEndpoints.length) continue;
    // Every endpoint's chain for this call is looked at: this event may be the one a held
    // delivery of another type was waiting for.
    for (const endpoint of callEndpoints) chains.set(`${endpoint.id}\u0000${message.callId}`, { tenantId: message.tenantId, endpointId: endpoint.id, callId: message.callId });
    const event = await eventOfCallMessage(message);
    if (!event) continue;
    for (const endpoint of callEndpoints) {
      if (endpoint.eventTypes.includes(event.type)) rows.push(await webhookDelivery(event, endpoint.id, "held", now));
    }
  }
  if (!chains.size) return 0;
  await insertDeliveries(db, rows);
  const ready = await releaseChains(db, [...chains.values()], now);
  await enqueueDeliveries(env, ready);
  return rows.length;
}
