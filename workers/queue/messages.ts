import { parseQueueMessage } from "../contracts/queue-messages";
import type { RecordFlag } from "../../durable-objects/logic/call-figures";
import type { CdrQuality } from "../webhooks/cdr-quality";
import type { StoredRequest } from "../webhooks/stored-request";

/** What travels on the call-events queue; the consumer stores it idempotently. */
export type QueueMessage = CallEventsMessage | CallEventMessage | WebhookDeliveryMessage;

export interface CallAttempt {
  n: number;
  stage: string;
  /** An agent of a group (or targeted directly), a trunk, or a person escalated to. */
  kind: "agent" | "trunk" | "person";
  /** How it was dialled (service, sip, stream, number); absent on records before call flow v2. */
  via?: "service" | "sip" | "stream" | "number";
  targetId: string;
  targetName: string;
  provider?: string;
  groupId: string | null;
  startedAt: number;
  endedAt?: number;
  outcome?: "answered" | "failed" | "ended";
  dialStatus?: string;
  /** Seconds the dialled leg talked (DialCallDuration, else measured); 0 when it was not answered. */
  durationSec?: number;
}

export interface CallRecordState {
  recordId: string;
  direction: "inbound" | "outbound";
  fromNumber: string;
  toNumber: string;
  callerName: string | null;
  status: string;
  disposition: string | null;
  endReason: string | null;
  ruleId: string | null;
  groupId: string | null;
  agentId: string | null;
  trunkId: string | null;
  attempts: CallAttempt[];
  decision: unknown;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  durationSec: number | null;
  billableSec: number | null;
  /** Cloudonix's numeric session id (SessionData.id): session updates may name the call by it alone. */
  cxSessionId?: number | null;
  /** The carrier's SIP headers of a trunk-inbound call, as routing read them; set when the call starts, never changed. */
  carrierHeaders?: Record<string, string> | null;
  /** Figures Cloudonix reported that could not be true, kept as reported beside what the record used instead. */
  flags?: RecordFlag[];
  /** From the CDR: quality, cost, AMD, recording and route (only what it reported readably). */
  quality?: CdrQuality;
  /** The caller's time in a waiting room, when its group was full. */
  wait?: CallWait;
}

export type WaitOutcome = "waiting" | "connected" | "timeout" | "abandoned" | "no_agents";

/** A caller held in a waiting room: where in line, for how long, and how the wait ended. */
export interface CallWait {
  groupId: string | null;
  enteredAt: number;
  /** Place in line on joining (1 = next). */
  position: number;
  /** Place in line at the latest try. */
  lastPosition: number;
  polls: number;
  leftAt: number | null;
  /** Whole seconds waited, once the wait is over. */
  waitSec: number | null;
  outcome: WaitOutcome;
}

export interface CallEventMessage {
  kind: "call_event";
  tenantId: string;
  callId: string;
  /** Per call, increasing: events are stored once, and a record is only overwritten by a newer one. */
  seq: number;
  type: string;
  at: number;
  data: Record<string, unknown>;
  record: CallRecordState;
  /** The call re-sending its final record (settling): the record is stored, no event row. */
  settle?: true;
}

/**
 * What a CallSession sends per webhook: every event the webhook caused and the call's record
 * as it then stood, in one message (one Queue write, read and delete instead of one per event).
 * `settle`: the call re-sends its final record under that event number (see CallEventMessage).
 */
export interface CallEventsMessage {
  kind: "call_events";
  v?: 1;
  tenantId: string;
  callId: string;
  record: CallRecordState;
  events: { seq: number; type: string; at: number; data: Record<string, unknown> }[];
  /** The delivery records of the webhooks that caused them (webhook_events). */
  deliveries?: WebhookDeliveryMessage[];
  settle?: number;
}

/** A webhook delivery record without our answer: the call's CallSession completes it and sends it with the call's events. */
export type DeliveryDraft = Omit<WebhookDeliveryMessage, "statusCode" | "outcome" | "error" | "durationMs" | "response">;

/** The events of a call_events message one by one, as the consumer stores them. */
export function eventsOf(message: CallEventsMessage): CallEventMessage[] {
  const { tenantId, callId, record } = message;
  const events: CallEventMessage[] = message.events.map((e) => ({ kind: "call_event", tenantId, callId, seq: e.seq, type: e.type, at: e.at, data: e.data, record }));
  const newest = events.at(-1)?.seq ?? 0;
  if (message.settle !== undefined && message.settle > newest) {
    events.push({ kind: "call_event", tenantId, callId, seq: message.settle, type: "call.settled", at: Date.now(), data: {}, record, settle: true });
  }
  return events;
}

export interface WebhookDeliveryMessage {
  kind: "webhook";
  deliveryId: string;
  tenantId: string | null;
  webhook: string;
  callId: string | null;
  method: string;
  statusCode: number;
  outcome: string;
  error: string | null;
  durationMs: number;
  receivedAt: number;
  /** The request as received (text, redacted, capped) and what we answered. */
  request: StoredRequest;
  response: string | null;
}

/** What makes a call-events message unusable, or null when the consumer can store it (contracts/queue-messages.ts). */
export const queueMessageProblem = (body: unknown): string | null => parseQueueMessage(body).problem;
