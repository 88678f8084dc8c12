import type { Env } from "../env";
import { connectDb } from "../db/client";
import { storeCallEvents, storeDeadLetters, storeWebhookDeliveries } from "./store";
import type { CallEventMessage, QueueMessage, WebhookDeliveryMessage } from "./messages";
import { failDeadExports, runExportMessage } from "../exports/queue";
import { EXPORT_QUEUE_NAME, isExportMessage } from "../exports/jobs";

const DEAD_LETTER_QUEUE = "call-events-dlq";

/**
 * Failed batches come back after 5 s, except on the dead-letter queue, the last stop: it waits
 * its configured retry_delay (wrangler.toml), so its retries outlast a MySQL outage of hours.
 */
function retryAll(batch: MessageBatch<unknown>): void {
  if (batch.queue === DEAD_LETTER_QUEUE) batch.retryAll();
  else batch.retryAll({ delaySeconds: 5 });
}

/**
 * Stores call events and webhook deliveries in MySQL, a batch at a time. Every write is
 * idempotent, so a failed batch is simply retried; after max_retries the messages move to the
 * dead-letter queue, whose consumer parks them in `dead_letters`. Nothing is dropped silently.
 */
export async function handleQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  let handle: Awaited<ReturnType<typeof connectDb>>;
  try {
    handle = await connectDb(env.HYPERDRIVE);
  } catch (err) {
    console.error(`queue ${batch.queue}: MySQL unavailable, retrying ${batch.messages.length} messages: ${(err as Error).message}`);
    retryAll(batch);
    return;
  }
  try {
    if (batch.queue === EXPORT_QUEUE_NAME) {
      for (const message of batch.messages) {
        if (isExportMessage(message.body)) await runExportMessage(env, handle.db, message);
        else message.retry();
      }
    } else if (batch.queue === DEAD_LETTER_QUEUE) {
      await storeDeadLetters(handle.db, batch.queue, batch.messages);
      await failDeadExports(env, handle.db, batch.messages);
    } else {
      const calls: CallEventMessage[] = [];
      const deliveries: WebhookDeliveryMessage[] = [];
      for (const message of batch.messages) {
        const body = message.body as QueueMessage;
        if (body?.kind === "call_event") calls.push(body);
        else if (body?.kind === "webhook") deliveries.push(body);
        else console.error(`queue ${batch.queue}: unknown message ${message.id}; it will be dead-lettered`);
      }
      await storeCallEvents(handle.db, calls);
      await storeWebhookDeliveries(handle.db, deliveries);
      for (const message of batch.messages) {
        const kind = (message.body as QueueMessage | null)?.kind;
        if (kind === "call_event" || kind === "webhook") message.ack();
        else message.retry();
      }
    }
  } catch (err) {
    console.error(`queue ${batch.queue}: batch of ${batch.messages.length} failed, retrying: ${(err as Error).message}`);
    retryAll(batch);
  } finally {
    await handle.close();
  }
}
