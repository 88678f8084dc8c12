import type { Env } from "../env";
import { log } from "../lib/log";
import type { Executor } from "../db/executor";
import { alertRuleById } from "../db/repos/alerts";
import { cancelOpenDeliveries, claimDelivery, disableFailingEndpoint, endpointById, findDelivery, insertAttempt, noteEndpointOutcome, updateDelivery, type DeliveryRow, type EventWebhookRow } from "../db/repos/event-webhooks";
import { decryptSecret } from "../lib/secrets";
import { cappedText } from "../lib/storable";
import { alertEndpointDisabled } from "../alerts/evaluate";
import { releaseChains } from "./call-order";
import { forgetEndpoints } from "./endpoint-cache";
import { endpointUrlProblem } from "./endpoint-url";
import { enqueueDeliveries, isDeliveryMessage, type DeliveryMessage } from "./outbox";
import { nextRetryDelay, retryPolicy } from "./retry-schedule";
import { type AttemptResult, ATTEMPT_TIMEOUT_MS, postOnce } from "./send";
import { ATTEMPT_HEADER, EVENT_ID_HEADER, EVENT_TYPE_HEADER, IDEMPOTENCY_HEADER, SIGNATURE_HEADER, signatureHeader } from "./signature";

/*
 * The event-deliveries queue's consumer: one attempt per message. A delivery is leased before
 * it is sent (a duplicate message finds it leased, or no longer due, and does nothing), its
 * attempt is logged, and what comes next is decided here: delivered; or retried later (a new
 * message with a delay, retry-schedule.ts); or given up after its day of retries, which
 * disables an endpoint that has not had one success since the delivery's first attempt (every
 * delivery of that day failed) and raises an endpoint_disabled alert. Never retried forever.
 */

/** Longer than an attempt can take, so a lease only lapses when its consumer died. */
const LEASE_MS = ATTEMPT_TIMEOUT_MS + 50_000;

interface Target {
  url: string;
  headers: Record<string, string>;
  endpoint: EventWebhookRow | null;
}

/** Where a delivery goes and how it is signed; null when it can no longer go anywhere (why). */
async function targetOf(env: Env, db: Executor, delivery: DeliveryRow, attempt: number, now: Date): Promise<Target | string> {
  const common = { [IDEMPOTENCY_HEADER]: delivery.id, [EVENT_ID_HEADER]: delivery.eventId, [EVENT_TYPE_HEADER]: delivery.eventType, [ATTEMPT_HEADER]: String(attempt) };
  if (delivery.channel === "slack") {
    const rule = delivery.alertRuleId ? await alertRuleById(db, delivery.alertRuleId) : null;
    if (!rule?.slackUrlEnc) return "the alert rule has no Slack URL any more";
    return { url: await decryptSecret(rule.slackUrlEnc, env.ENCRYPTION_KEY), headers: { [IDEMPOTENCY_HEADER]: delivery.id }, endpoint: null };
  }
  const endpoint = delivery.endpointId ? await endpointById(db, delivery.endpointId) : null;
  if (!endpoint) return "the endpoint was deleted";
  const secrets = [await decryptSecret(endpoint.secretEnc, env.ENCRYPTION_KEY)];
  if (endpoint.previousSecretEnc && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now) secrets.push(await decryptSecret(endpoint.previousSecretEnc, env.ENCRYPTION_KEY));
  const signature = await signatureHeader(secrets, Math.floor(now.getTime() / 1000), delivery.payload);
  return { url: endpoint.url, headers: { ...common, [SIGNATURE_HEADER]: signature }, endpoint };
}

const refused = (why: string): AttemptResult => ({ ok: false, statusCode: null, latencyMs: 0, error: why, excerpt: null });

/** One attempt of one delivery. Throws only when MySQL fails (the message is then retried). */
export async function attemptDelivery(env: Env, db: Executor, message: DeliveryMessage, now = new Date()): Promise<"sent" | "skipped"> {
  const resend = message.resend === true;
  if (!(await claimDelivery(db, message.deliveryId, now, LEASE_MS, resend))) return "skipped";
  const delivery = await findDelivery(db, message.deliveryId);
  if (!delivery) return "skipped";
  const n = delivery.attempts + 1;
  const target = await targetOf(env, db, delivery, n, now);
  if (typeof target === "string") {
    await updateDelivery(db, delivery.id, { status: "cancelled", leaseUntil: null, nextAttemptAt: null, lastError: target });
    await releaseAfter(env, db, delivery, now);
    return "skipped";
  }
  if (target.endpoint && !target.endpoint.enabled && !resend) {
    await updateDelivery(db, delivery.id, { status: "cancelled", leaseUntil: null, nextAttemptAt: null, lastError: "the endpoint is disabled" });
    await releaseAfter(env, db, delivery, now);
    return "skipped";
  }

  // Checked again on the way out: the rule may be stricter now than when the URL was saved.
  const problem = endpointUrlProblem(target.url, { production: env.ENVIRONMENT === "production" });
  const result = problem ? refused(`refused to send: the URL ${problem}`) : await postOnce(target.url, delivery.payload, target.headers);
  const at = new Date();
  await insertAttempt(db, {
    deliveryId: delivery.id,
    tenantId: delivery.tenantId,
    n,
    trigger: resend ? "resend" : "auto",
    at: now,
    ok: result.ok,
    statusCode: result.statusCode,
    latencyMs: result.latencyMs,
    error: result.error ? cappedText(result.error, 300).text : null,
    responseExcerpt: result.excerpt,
  });
  // Noted at the attempt's start, the time its delivery's first attempt is compared with.
  if (target.endpoint) await noteEndpointOutcome(db, target.endpoint.id, result.ok, now);

  const firstAttemptAt = delivery.firstAttemptAt ?? now;
  const base = { attempts: n, firstAttemptAt, lastAttemptAt: now, lastStatusCode: result.statusCode, lastError: result.error ? cappedText(result.error, 300).text : null, leaseUntil: null };
  if (result.ok) {
    await updateDelivery(db, delivery.id, { ...base, status: "delivered", deliveredAt: at, nextAttemptAt: null });
  } else if (resend) {
    // A Resend is one attempt: the delivery's own schedule (or its end) stays as it was.
    await updateDelivery(db, delivery.id, base);
  } else {
    const delay = nextRetryDelay(retryPolicy(env), n, firstAttemptAt.getTime(), at.getTime());
    if (delay !== null) {
      await updateDelivery(db, delivery.id, { ...base, status: "pending", nextAttemptAt: new Date(at.getTime() + delay * 1000) });
      // If this send is lost, the minute sweep finds the delivery overdue and sends it again.
      await enqueueDeliveries(env, [{ id: delivery.id, tenantId: delivery.tenantId }], delay).catch((err) => log.warn("event_delivery.retry_not_queued", { deliveryId: delivery.id, action: "the sweep will", error: err }));
    } else {
      await updateDelivery(db, delivery.id, { ...base, status: "failed", nextAttemptAt: null });
      if (target.endpoint) await disableIfAlwaysFailing(env, db, target.endpoint, firstAttemptAt, result, at);
    }
  }
  await releaseAfter(env, db, delivery, at);
  return "sent";
}

/**
 * A delivery gave up after its day of retries. If the endpoint has not had a single success
 * since that delivery was first tried, every delivery of the day failed: it is disabled (what
 * it still had waiting is cancelled, Resend remains) and an alert is raised.
 */
async function disableIfAlwaysFailing(env: Env, db: Executor, endpoint: EventWebhookRow, firstAttemptAt: Date, result: AttemptResult, at: Date): Promise<void> {
  const hours = Math.round((at.getTime() - firstAttemptAt.getTime()) / 360_000) / 10;
  const reason = `every delivery failed for ${hours} h (last: ${result.error ?? "no answer"})`;
  if (!(await disableFailingEndpoint(db, endpoint.id, cappedText(reason, 500).text, at, firstAttemptAt))) return;
  forgetEndpoints(endpoint.tenantId);
  await cancelOpenDeliveries(db, endpoint.id);
  log.warn("event_webhook.disabled", { endpointId: endpoint.id, tenantId: endpoint.tenantId, reason });
  await alertEndpointDisabled(env, db, endpoint, reason, at);
}

/** A call's delivery that is finished lets the call's next one go (call-order.ts). */
async function releaseAfter(env: Env, db: Executor, delivery: DeliveryRow, now: Date): Promise<void> {
  if (!delivery.callId || !delivery.endpointId) return;
  const ready = await releaseChains(db, [{ tenantId: delivery.tenantId, endpointId: delivery.endpointId, callId: delivery.callId }], now);
  await enqueueDeliveries(env, ready);
}

/**
 * A Worker invocation keeps at most six outgoing connections open at once (more wait for a free
 * one): attempts run six at a time, so each one's 10 s timeout is its own receiver's.
 */
const PARALLEL_ATTEMPTS = 6;

async function inPool<T>(items: T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
}

/** A batch of the event-deliveries queue: its attempts run side by side, six at a time. */
export async function runDeliveryBatch(env: Env, db: Executor, batch: MessageBatch<unknown>): Promise<void> {
  await inPool([...batch.messages], PARALLEL_ATTEMPTS, async (message) => {
    if (!isDeliveryMessage(message.body)) {
      log.error("event_delivery.not_a_delivery", { queue: batch.queue, messageId: message.id, action: "dropped" });
      message.ack();
      return;
    }
    try {
      await attemptDelivery(env, db, message.body);
      message.ack();
    } catch (err) {
      log.error("event_delivery.failed", { queue: batch.queue, deliveryId: message.body.deliveryId, action: "retrying", error: err });
      message.retry({ delaySeconds: 5 });
    }
  });
}
