import type { Env } from "../env";
import { log } from "../lib/log";
import { connectDb, type Db } from "../db/client";
import { storeCallEvents, storeDeadLetters, storeWebhookDeliveries, type DeadLetter } from "./store";
import { eventsOf, queueMessageProblem, type CallEventMessage, type QueueMessage, type WebhookDeliveryMessage } from "./messages";
import { errorText, PARK_AFTER_ATTEMPTS, RETRY_DELAY_SECONDS, writeIsolated } from "./isolate";
import { failDeadExports, runExportMessage } from "../exports/queue";
import { isExportMessage } from "../exports/jobs";
import { queueRole } from "./names";
import { fanOutCallEvents } from "../integrations/fan-out";
import { runDeliveryBatch } from "../integrations/deliver";
import { alertOnCallEvents } from "../alerts/evaluate";

/**
 * Failed batches come back after 5 s, except on the dead-letter queue, the last stop: it waits
 * its configured retry_delay (wrangler.toml), so its retries outlast a MySQL outage of hours.
 */
function retryAll(batch: MessageBatch<unknown>): void {
  if (queueRole(batch.queue) === "dead-letters") batch.retryAll();
  else batch.retryAll({ delaySeconds: RETRY_DELAY_SECONDS });
}

/**
 * Stores call events and webhook deliveries in MySQL, parks dead letters, runs export jobs.
 * Every write is idempotent, so whatever fails is simply retried; a message that fails on its
 * own is retried on its own and, after a few tries, parked in `dead_letters` with its error,
 * while the rest of its batch is stored and acknowledged. Nothing is dropped silently.
 */
export async function handleQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  let handle: Awaited<ReturnType<typeof connectDb>>;
  try {
    handle = await connectDb(env.HYPERDRIVE);
  } catch (err) {
    log.error("queue.mysql_unavailable", { queue: batch.queue, messages: batch.messages.length, action: "retrying", error: err });
    retryAll(batch);
    return;
  }
  try {
    const role = queueRole(batch.queue);
    if (role === "export-jobs") await runExports(env, handle.db, batch);
    else if (role === "dead-letters") await parkDeadLetters(env, handle.db, batch);
    else if (role === "event-deliveries") await runDeliveryBatch(env, handle.db, batch);
    else await storeCallMessages(env, handle.db, batch);
  } catch (err) {
    log.error("queue.batch_failed", { queue: batch.queue, messages: batch.messages.length, action: "retrying", error: errorText(err) });
    retryAll(batch);
  } finally {
    await handle.close();
  }
}

async function runExports(env: Env, db: Db, batch: MessageBatch<unknown>): Promise<void> {
  for (const message of batch.messages) {
    if (isExportMessage(message.body)) await runExportMessage(env, db, message);
    else message.retry();
  }
}

/** One write for a mixed set of call events and deliveries. */
async function writeCallMessages(db: Db, messages: Message<QueueMessage>[]): Promise<void> {
  const calls: CallEventMessage[] = [];
  const deliveries: WebhookDeliveryMessage[] = [];
  for (const { body } of messages) {
    if (body.kind === "call_events") {
      calls.push(...eventsOf(body));
      deliveries.push(...(body.deliveries ?? []));
    } else if (body.kind === "call_event") calls.push(body);
    else deliveries.push(body);
  }
  await storeCallEvents(db, calls);
  await storeWebhookDeliveries(db, deliveries);
}

async function storeCallMessages(env: Env, db: Db, batch: MessageBatch<unknown>): Promise<void> {
  const wellFormed: Message<QueueMessage>[] = [];
  const malformed: { message: Message<unknown>; problem: string }[] = [];
  for (const message of batch.messages) {
    const problem = queueMessageProblem(message.body);
    if (problem) malformed.push({ message, problem });
    else wellFormed.push(message as Message<QueueMessage>);
  }
  // A message of the wrong shape will never store: parked at once, with what is wrong with it.
  await park(
    db,
    batch.queue,
    malformed.map(({ message, problem }) => ({ message, error: `not a call event or webhook delivery: ${problem}` })),
  );

  const outcome = await writeIsolated(
    wellFormed,
    (m) => m.attempts > 1,
    (messages) => writeCallMessages(db, messages),
  );
  if (await afterStored(env, db, batch.queue, outcome.stored)) for (const message of outcome.stored) message.ack();
  else for (const message of outcome.stored) message.retry({ delaySeconds: RETRY_DELAY_SECONDS });
  for (const message of outcome.unavailable) message.retry({ delaySeconds: RETRY_DELAY_SECONDS });
  const toPark = outcome.failed.filter(({ message }) => message.attempts >= PARK_AFTER_ATTEMPTS);
  for (const { message, error } of outcome.failed) {
    if (message.attempts < PARK_AFTER_ATTEMPTS) {
      log.warn("queue.message_failed", { queue: batch.queue, messageId: message.id, attempt: message.attempts, action: "retrying it alone", error: errorText(error) });
      message.retry({ delaySeconds: RETRY_DELAY_SECONDS });
    }
  }
  await park(db, batch.queue, toPark);
}

/**
 * Once call events are in MySQL: their event-webhook deliveries (off the call's path, queued for
 * the event-deliveries consumer) and the alerts agent health changes raise. Both are idempotent,
 * so if either fails the stored messages are retried, stored again (changing nothing) and fanned
 * out again. False when they must be retried.
 */
async function afterStored(env: Env, db: Db, queue: string, stored: Message<QueueMessage>[]): Promise<boolean> {
  const events = stored.flatMap(({ body }): CallEventMessage[] => (body.kind === "call_events" ? eventsOf(body) : body.kind === "call_event" ? [body] : []));
  if (!events.length) return true;
  try {
    await fanOutCallEvents(env, db, events);
    await alertOnCallEvents(env, db, events);
    return true;
  } catch (err) {
    log.error("queue.fan_out_failed", { queue, events: events.length, action: "retrying them", error: errorText(err) });
    return false;
  }
}

/** Parks messages with their errors and acknowledges them; if MySQL refuses, they are retried. */
async function park(db: Db, queue: string, failures: { message: Message<unknown>; error: unknown }[]): Promise<void> {
  if (!failures.length) return;
  const letters = failures.map(({ message, error }) => letterOf(message, typeof error === "string" ? error : errorText(error)));
  try {
    await storeDeadLetters(db, queue, letters);
    for (const { message, error } of failures) {
      log.error("queue.message_parked", { queue, messageId: message.id, attempts: message.attempts, error: typeof error === "string" ? error : errorText(error) });
      message.ack();
    }
  } catch (err) {
    log.error("queue.park_failed", { queue, messages: failures.length, action: "retrying them", error: errorText(err) });
    for (const { message } of failures) message.retry({ delaySeconds: RETRY_DELAY_SECONDS });
  }
}

const letterOf = (message: Message<unknown>, error: string | null): DeadLetter => ({ messageId: message.id, body: message.body, attempts: message.attempts, error });

/**
 * The dead-letter queue's messages could not be stored after all their retries; they are parked
 * as text. A letter MySQL still refuses (it should not: its body is made inert first) is parked
 * as a stand-in naming the error, so even then the batch's other letters are kept.
 */
async function parkDeadLetters(env: Env, db: Db, batch: MessageBatch<unknown>): Promise<void> {
  const error = (m: Message<unknown>) => `dead-lettered by the queue after ${m.attempts} tries`;
  const outcome = await writeIsolated(
    [...batch.messages],
    () => false,
    (messages) =>
      storeDeadLetters(
        db,
        batch.queue,
        messages.map((m) => letterOf(m, error(m))),
      ),
  );
  const standIns = outcome.failed.map(({ message, error: refusal }) => ({
    ...letterOf(message, `${error(message)}; its body could not be stored: ${errorText(refusal)}`),
    body: `[body not storable: ${errorText(refusal)}]`,
  }));
  if (standIns.length) await storeDeadLetters(db, batch.queue, standIns);
  for (const message of [...outcome.stored, ...outcome.failed.map((f) => f.message)]) message.ack();
  for (const message of outcome.unavailable) message.retry();
  await failDeadExports(env, db, [...outcome.stored, ...outcome.failed.map((f) => f.message)]);
}
