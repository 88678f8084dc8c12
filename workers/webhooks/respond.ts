import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { hangupCxml, rejectCxml } from "../domain/cxml";
import { newId } from "../lib/ids";
import { log } from "../lib/log";
import { writeWebhookPoint } from "../metrics/analytics-engine";
import type { DeliveryDraft, WebhookDeliveryMessage } from "../queue/messages";
import { sendDelivery } from "./deliveries";
import type { WebhookError, ReceivedWebhook } from "./params";
import { storedRequest, storedResponse } from "./stored-request";

export function cxml(c: Context<AppEnv>, body: string, status: 200 | WebhookError["status"] = 200): Response {
  return c.body(body, status, { "Content-Type": "application/xml; charset=utf-8" });
}

/**
 * A refused webhook still answers with CXML the caller hears as a clean end: Reject (never
 * billed) when the request is not ours to route, Hangup when it is malformed. The reason goes
 * in headers for whoever reads the Cloudonix logs.
 */
export function refusal(c: Context<AppEnv>, err: WebhookError): Response {
  c.header("X-Error-Code", err.code);
  c.header("X-Error-Message", err.message.replace(/[^\x20-\x7e]/g, "?").slice(0, 300));
  return cxml(c, refusalCxml(err), err.status);
}

export const refusalCxml = (err: WebhookError): string => (err.status === 401 || err.status === 404 ? rejectCxml("rejected") : hangupCxml);

/**
 * A voice webhook we failed to answer (our error, not the request's) still answers 200 with
 * CXML: a Reject with reason congestion ends the call as a 500 on the caller's side, never
 * billed (Cloudonix bills no rejected call). A 5xx would leave what the caller hears up to Cloudonix, and a
 * redelivery could not help a call that is ringing now. The request id ties it to the log.
 */
export function congestion(c: Context<AppEnv>, code: string): Response {
  c.header("X-Error-Code", code);
  return cxml(c, rejectCxml("congestion"));
}

export interface DeliveryFacts {
  webhook: string;
  tenantId: string | null;
  callId: string | null;
  statusCode: number;
  outcome: string;
  error?: string | null;
  startedAt: number;
  received: ReceivedWebhook | null;
  /** What we answered, when it is text worth keeping. */
  response?: string | null;
  /** The group and agent of the routing decision, when the Worker knows them (Analytics Engine). */
  groupId?: string | null;
  agentId?: string | null;
}

/** The delivery record before our answer: a CallSession completes it and sends it with the call's events. */
export function deliveryDraft(c: Context<AppEnv>, facts: Pick<DeliveryFacts, "webhook" | "tenantId" | "callId" | "startedAt" | "received">): DeliveryDraft {
  return { kind: "webhook", deliveryId: newId("whd"), tenantId: facts.tenantId, webhook: facts.webhook, callId: facts.callId, method: c.req.method, receivedAt: facts.startedAt, request: storedRequest(facts.received) };
}

/**
 * Every delivery is recorded in webhook_events, after the answer so it never waits (deliveries.ts),
 * written as an Analytics Engine data point, and logged (info, sampled in production).
 * `recorded`: its CallSession already sent the record with the call's events.
 */
export function recordDelivery(c: Context<AppEnv>, facts: DeliveryFacts, recorded = false): void {
  const message: WebhookDeliveryMessage = {
    kind: "webhook",
    deliveryId: newId("whd"),
    tenantId: facts.tenantId,
    webhook: facts.webhook,
    callId: facts.callId,
    method: c.req.method,
    statusCode: facts.statusCode,
    outcome: facts.outcome,
    error: facts.error ?? null,
    durationMs: Date.now() - facts.startedAt,
    receivedAt: facts.startedAt,
    request: storedRequest(facts.received),
    response: storedResponse(facts.response ?? null),
  };
  writeWebhookPoint(c.env, { tenantId: facts.tenantId, kind: facts.webhook, outcome: facts.outcome, agentId: facts.agentId, groupId: facts.groupId, latencyMs: message.durationMs, statusCode: facts.statusCode });
  log.info("webhook.answered", { webhook: facts.webhook, status: facts.statusCode, outcome: facts.outcome, durationMs: message.durationMs, ...(facts.groupId ? { groupId: facts.groupId } : {}), ...(facts.error ? { reason: facts.error } : {}) });
  if (recorded) return;
  const sending = sendDelivery(c.env, message);
  try {
    c.executionCtx.waitUntil(sending);
  } catch {
    // app.request() in tests has no execution context; the send still completes.
  }
}
