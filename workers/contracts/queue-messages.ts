import { z } from "zod";
import type { QueueMessage } from "../queue/messages";

/*
 * The call-events queue's messages as the consumer accepts them: a call's events with its
 * record (from a CallSession's outbox: call_events; call_event from builds before it), or a
 * webhook delivery (from the webhook handler). A
 * message that does not parse is parked at once with the reason, since it would never store.
 * `v` is the contract's version; messages written before it existed have none and are v1.
 */

export const QUEUE_CONTRACT_VERSION = 1;

const Version = z.literal(QUEUE_CONTRACT_VERSION).optional();

const CallRecord = z.looseObject({
  recordId: z.string().min(1).max(64),
  startedAt: z.number(),
  attempts: z.array(z.looseObject({ n: z.number().int(), kind: z.string(), targetId: z.string() })),
  wait: z.looseObject({ position: z.number().int().positive(), waitSec: z.number().int().nonnegative().nullable(), outcome: z.string().max(16) }).optional(),
});

const CallEvent = z.looseObject({
  kind: z.literal("call_event"),
  v: Version,
  tenantId: z.string().min(1),
  callId: z.string().min(1),
  seq: z.number().int().nonnegative(),
  type: z.string().min(1),
  at: z.number(),
  data: z.record(z.string(), z.unknown()),
  record: CallRecord,
  settle: z.literal(true).optional(),
});

const CallEvents = z.looseObject({
  kind: z.literal("call_events"),
  v: Version,
  tenantId: z.string().min(1),
  callId: z.string().min(1),
  record: CallRecord,
  events: z.array(z.looseObject({ seq: z.number().int().nonnegative(), type: z.string().min(1), at: z.number(), data: z.record(z.string(), z.unknown()) })).max(1000),
  deliveries: z
    .array(z.looseObject({ kind: z.literal("webhook"), deliveryId: z.string().min(1), tenantId: z.string().nullable(), webhook: z.string(), receivedAt: z.number() }))
    .max(1000)
    .optional(),
  settle: z.number().int().nonnegative().optional(),
});

const WebhookDelivery = z.looseObject({
  kind: z.literal("webhook"),
  v: Version,
  deliveryId: z.string().min(1),
  tenantId: z.string().nullable(),
  webhook: z.string(),
  receivedAt: z.number(),
});

const Message = z.discriminatedUnion("kind", [CallEvents, CallEvent, WebhookDelivery], { message: 'kind must be "call_events", "call_event" or "webhook"' });

/** The message, or why it cannot be stored (the first problem, with its path). */
export function parseQueueMessage(body: unknown): { message: QueueMessage; problem: null } | { message: null; problem: string } {
  const result = Message.safeParse(body);
  if (result.success) return { message: result.data as unknown as QueueMessage, problem: null };
  const issue = result.error.issues[0];
  return { message: null, problem: `${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}` };
}
