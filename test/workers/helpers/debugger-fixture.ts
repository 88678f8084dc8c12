import * as schema from "../../../workers/db/schema";
import type { WebhookDeliveryMessage } from "../../../workers/queue/messages";
import { withDb } from "./db";

/*
 * Rows of webhook_events and dead_letters inserted directly, so the debugger's tests do not
 * depend on the webhook and queue flows that fill these tables.
 */

type DeliveryRow = typeof schema.webhookEvents.$inferInsert;
type LetterRow = typeof schema.deadLetters.$inferInsert;

export async function insertDelivery(tenantId: string | null, overrides: Partial<DeliveryRow> = {}): Promise<number> {
  const row: DeliveryRow = {
    deliveryId: `dlv-${crypto.randomUUID()}`,
    tenantId,
    kind: "voice-application",
    callId: `call-${crypto.randomUUID()}`,
    method: "POST",
    statusCode: 200,
    outcome: "routed:ringing",
    durationMs: 12,
    receivedAt: new Date(),
    requestQuery: "",
    requestBody: "From=%2B14155550100&To=%2B18005550199",
    responseBody: "<Response><Dial/></Response>",
    ...overrides,
  };
  return withDb(async (db) => {
    const [result] = await db.insert(schema.webhookEvents).values(row).$returningId();
    return result!.id;
  });
}

export async function insertLetter(tenantId: string | null, body: unknown, overrides: Partial<LetterRow> = {}): Promise<number> {
  const object = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const row: LetterRow = {
    queue: "call-events",
    messageId: `msg-${crypto.randomUUID()}`,
    tenantId,
    kind: typeof object.kind === "string" ? object.kind : null,
    callId: typeof object.callId === "string" ? object.callId : null,
    body: typeof body === "string" ? body : JSON.stringify(body),
    error: "MySQL refused the batch",
    attempts: 3,
    ...overrides,
  };
  return withDb(async (db) => {
    const [result] = await db.insert(schema.deadLetters).values(row).$returningId();
    return result!.id;
  });
}

export function deliveryMessage(tenantId: string | null, overrides: Partial<WebhookDeliveryMessage> = {}): WebhookDeliveryMessage {
  return {
    kind: "webhook",
    deliveryId: `dlv-${crypto.randomUUID()}`,
    tenantId,
    webhook: "session-update",
    callId: `call-${crypto.randomUUID()}`,
    method: "POST",
    statusCode: 200,
    outcome: "updated",
    error: null,
    durationMs: 7,
    receivedAt: Date.now(),
    request: { query: "", body: "Status=answered", truncated: false },
    response: "{}",
    ...overrides,
  };
}
