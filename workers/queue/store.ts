import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { retryOnLockConflict } from "../db/executor";
import { callEvents, callRecords, deadLetters, webhookEvents } from "../db/schema";
import type { CallEventMessage, WebhookDeliveryMessage } from "./messages";
import { applyRollups } from "./rollups";

const date = (ms: number | null) => (ms === null ? null : new Date(ms));

/** Overwrite a column only when the incoming event is newer than what the row holds. */
const newer = (column: string) => sql.raw(`IF(VALUES(last_seq) > last_seq, VALUES(${column}), ${column})`);

const byCallThenSeq = (a: CallEventMessage, b: CallEventMessage) =>
  a.tenantId < b.tenantId ? -1 : a.tenantId > b.tenantId ? 1 : a.callId < b.callId ? -1 : a.callId > b.callId ? 1 : a.seq - b.seq;

/**
 * Upserts call records (one row per call, the newest state wins whatever the delivery order)
 * and inserts their events once each (unique tenant + call + seq). Every statement is
 * idempotent, so concurrent consumers that deadlock on overlapping batches simply run again.
 */
export async function storeCallEvents(db: Db, messages: CallEventMessage[]): Promise<void> {
  if (!messages.length) return;
  // One key order for every writer: fewer lock cycles between overlapping batches.
  const sorted = [...messages].sort(byCallThenSeq);
  const newest = new Map<string, CallEventMessage>();
  for (const m of sorted) newest.set(`${m.tenantId}\u0000${m.callId}`, m);
  await retryOnLockConflict(() => upsertRecords(db, [...newest.values()]));
  await retryOnLockConflict(() => insertEvents(db, sorted));
  // After the upsert, from the stored (newest) records: idempotent, see queue/rollups.ts.
  await retryOnLockConflict(() => applyRollups(db, [...newest.values()].map(({ tenantId, callId }) => ({ tenantId, callId }))));
}

async function upsertRecords(db: Db, newest: CallEventMessage[]): Promise<void> {
  await db
    .insert(callRecords)
    .values(
      newest.map(({ tenantId, callId, seq, record }) => ({
        id: record.recordId,
        tenantId,
        callId,
        direction: record.direction,
        fromNumber: record.fromNumber.slice(0, 64),
        toNumber: record.toNumber.slice(0, 64),
        callerName: record.callerName?.slice(0, 200) ?? null,
        status: record.status,
        disposition: record.disposition,
        endReason: record.endReason,
        ruleId: record.ruleId,
        groupId: record.groupId,
        agentId: record.agentId,
        trunkId: record.trunkId,
        attemptCount: record.attempts.length,
        attempts: record.attempts,
        decision: record.decision,
        startedAt: new Date(record.startedAt),
        answeredAt: date(record.answeredAt),
        endedAt: date(record.endedAt),
        durationSec: record.durationSec,
        billableSec: record.billableSec,
        lastSeq: seq,
      })),
    )
    .onDuplicateKeyUpdate({
      set: {
        status: newer("status"),
        disposition: newer("disposition"),
        endReason: newer("end_reason"),
        ruleId: newer("rule_id"),
        groupId: newer("group_id"),
        agentId: newer("agent_id"),
        trunkId: newer("trunk_id"),
        attemptCount: newer("attempt_count"),
        attempts: newer("attempts"),
        decision: newer("decision"),
        answeredAt: newer("answered_at"),
        endedAt: newer("ended_at"),
        durationSec: newer("duration_sec"),
        billableSec: newer("billable_sec"),
        updatedAt: sql`CURRENT_TIMESTAMP(3)`,
        // Last: MySQL applies the assignments in order, and the ones above compare against it.
        lastSeq: sql.raw("GREATEST(last_seq, VALUES(last_seq))"),
      },
    });
}

async function insertEvents(db: Db, messages: CallEventMessage[]): Promise<void> {
  await db
    .insert(callEvents)
    .ignore()
    .values(messages.map((m) => ({ tenantId: m.tenantId, callId: m.callId, seq: m.seq, type: m.type, at: new Date(m.at), data: m.data })));
}

export async function storeWebhookDeliveries(db: Db, messages: WebhookDeliveryMessage[]): Promise<void> {
  if (!messages.length) return;
  await db
    .insert(webhookEvents)
    .ignore()
    .values(
      messages.map((m) => ({
        deliveryId: m.deliveryId,
        tenantId: m.tenantId,
        kind: m.webhook,
        callId: m.callId?.slice(0, 128) ?? null,
        method: m.method.slice(0, 8),
        statusCode: m.statusCode,
        outcome: m.outcome.slice(0, 40),
        error: m.error?.slice(0, 500) ?? null,
        durationMs: m.durationMs,
        receivedAt: new Date(m.receivedAt),
        payload: m.payload ?? null,
      })),
    );
}

export async function storeDeadLetters(db: Db, queue: string, messages: readonly Message<unknown>[]): Promise<void> {
  if (!messages.length) return;
  await db
    .insert(deadLetters)
    .ignore()
    .values(messages.map((m) => ({ queue, messageId: m.id, body: m.body ?? { empty: true }, attempts: m.attempts })));
}
