import { connectDb } from "../db/client";
import { log } from "../lib/log";
import type { Env } from "../env";
import type { WebhookDeliveryMessage } from "../queue/messages";
import { storeWebhookDeliveries } from "../queue/store";

/**
 * Records one webhook delivery: through the queue, or, when the queue refuses it, straight
 * into MySQL (the same idempotent insert the consumer does). Only when both fail is it lost,
 * and then the whole delivery goes to the error log, where it can still be recovered.
 * Runs after the answer (waitUntil), on its own connection: the request's is closed by then.
 */
export async function sendDelivery(env: Pick<Env, "CALL_EVENTS" | "HYPERDRIVE">, message: WebhookDeliveryMessage): Promise<void> {
  let queueError: Error;
  try {
    await env.CALL_EVENTS.send(message, { contentType: "json" });
    return;
  } catch (err) {
    queueError = err as Error;
  }
  try {
    const handle = await connectDb(env.HYPERDRIVE);
    try {
      await storeWebhookDeliveries(handle.db, [message]);
    } finally {
      await handle.close();
    }
    log.warn("webhook_events.queue_refused", { deliveryId: message.deliveryId, action: "written to MySQL directly", error: queueError });
  } catch (err) {
    log.error("webhook_events.delivery_lost", { queueError: queueError.message, error: err, delivery: JSON.stringify(message).slice(0, 4_000) });
  }
}
