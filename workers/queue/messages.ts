/** What travels on the call-events queue; the consumer stores it idempotently. */
export type QueueMessage = CallEventMessage | WebhookDeliveryMessage;

export interface CallAttempt {
  n: number;
  stage: string;
  kind: "agent" | "trunk";
  targetId: string;
  targetName: string;
  provider?: string;
  groupId: string | null;
  startedAt: number;
  endedAt?: number;
  outcome?: "answered" | "failed" | "ended";
  dialStatus?: string;
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
  payload: unknown;
}
