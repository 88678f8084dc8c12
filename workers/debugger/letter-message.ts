import { isExportMessage } from "../exports/jobs";
import { isDeliveryMessage } from "../integrations/outbox";
import { queueMessageProblem, type QueueMessage } from "../queue/messages";
import { queueRole } from "../queue/names";

/** Letters of the call-events queue and its dead-letter queue hold call-events messages (see wrangler.toml). */
const replayable = (queue: string) => {
  const role = queueRole(queue);
  return role === "call-events" || role === "dead-letters";
};

export interface ParkedLetter {
  queue: string;
  body: string;
  bodyTruncated: boolean;
}

export type LetterMessage = { message: QueueMessage; problem: null } | { message: null; problem: string };

const refused = (problem: string): LetterMessage => ({ message: null, problem });

/**
 * The queue message a parked letter holds, or why it cannot be replayed for `tenantId`. Every
 * reason is the letter's own, so replaying it again would never help: the API answers 422.
 */
export function letterMessage(letter: ParkedLetter, tenantId: string): LetterMessage {
  if (!replayable(letter.queue)) return refused(`letters of queue "${letter.queue}" hold no call events or deliveries to replay`);
  // A cut body may still parse (a string cut inside an array is rare, but not impossible): never trust it.
  if (letter.bodyTruncated) return refused("its body was cut when it was parked, so the message is incomplete");
  let body: unknown;
  try {
    body = JSON.parse(letter.body);
  } catch {
    return refused("its body is not JSON");
  }
  if (isExportMessage(body)) return refused("it is an export job message; start the export again from the call records");
  if (isDeliveryMessage(body)) return refused("it is an event-webhook delivery: its delivery is kept in the endpoint's log, Resend it there");
  const problem = queueMessageProblem(body);
  if (problem) return refused(`it is not a well-formed call event or webhook delivery: ${problem}`);
  const message = body as QueueMessage;
  if (message.tenantId !== tenantId) return refused("it names another tenant");
  return { message, problem: null };
}
