import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { retryOnLockConflict } from "../db/executor";
import { reversedNumber } from "../domain/number-search";
import { callEvents, callRecords, deadLetters, webhookEvents } from "../db/schema";
import { storableJson, storableJsonText, storableString } from "../lib/storable";
import { QUALITY_TEXT_MAX, type CdrQuality } from "../webhooks/cdr-quality";
import type { CallEventMessage, CallWait, WebhookDeliveryMessage } from "./messages";
import { applyRollups } from "./rollups";

const date = (ms: number | null) => (ms === null ? null : new Date(ms));

/** Overwrite a column only when the incoming event is newer than what the row holds. */
const newer = (column: string) => sql.raw(`IF(VALUES(last_seq) > last_seq, VALUES(${column}), ${column})`);

/** The CDR's quality, cost and route (cdr-quality.ts bounds them); null where it reported none. */
const qualityColumns = (q: CdrQuality | undefined) => ({
  mosRx: q?.mosRx ?? null,
  mosTx: q?.mosTx ?? null,
  jitterMs: q?.jitterMs ?? null,
  packetLossPct: q?.packetLossPct ?? null,
  ratedCost: q?.ratedCost ?? null,
  sellCost: q?.sellCost ?? null,
  amdResult: storableString(q?.amdResult, QUALITY_TEXT_MAX.amdResult),
  recordingUrl: storableString(q?.recordingUrl, QUALITY_TEXT_MAX.recordingUrl),
  cxTrunkId: storableString(q?.cxTrunkId, QUALITY_TEXT_MAX.cxTrunkId),
  cxRoute: storableString(q?.cxRoute, QUALITY_TEXT_MAX.cxRoute),
});

/** A waiting room's part in the call (the CallSession bounds the figures it records). */
const waitColumns = (wait: CallWait | undefined) => ({
  waitPosition: wait ? Math.min(wait.position, 1_000_000) : null,
  waitSec: wait?.waitSec ?? null,
  waitOutcome: storableString(wait?.outcome, 16),
});

const newerQuality = {
  mosRx: newer("mos_rx"),
  mosTx: newer("mos_tx"),
  jitterMs: newer("jitter_ms"),
  packetLossPct: newer("packet_loss_pct"),
  ratedCost: newer("rated_cost"),
  sellCost: newer("sell_cost"),
  amdResult: newer("amd_result"),
  recordingUrl: newer("recording_url"),
  cxTrunkId: newer("cx_trunk_id"),
  cxRoute: newer("cx_route"),
};

const byCallThenSeq = (a: CallEventMessage, b: CallEventMessage) => (a.tenantId < b.tenantId ? -1 : a.tenantId > b.tenantId ? 1 : a.callId < b.callId ? -1 : a.callId > b.callId ? 1 : a.seq - b.seq);

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
  const events = sorted.filter((m) => !m.settle);
  if (events.length) await retryOnLockConflict(() => insertEvents(db, events));
  // After the upsert, from the stored (newest) records: idempotent, see queue/rollups.ts.
  await retryOnLockConflict(() =>
    applyRollups(
      db,
      [...newest.values()].map(({ tenantId, callId }) => ({ tenantId, callId })),
    ),
  );
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
        // Numbers and names are the caller's text: made storable here, for every writer.
        fromNumber: storableString(record.fromNumber, 64)!,
        toNumber: storableString(record.toNumber, 64)!,
        // Suffix search's reversed numbers (domain/number-search.ts): inserted only, as the numbers.
        fromNumberRev: storableString(reversedNumber(storableString(record.fromNumber, 64)!), 64)!,
        toNumberRev: storableString(reversedNumber(storableString(record.toNumber, 64)!), 64)!,
        callerName: storableString(record.callerName, 200),
        status: storableString(record.status, 20)!,
        disposition: storableString(record.disposition, 20),
        endReason: storableString(record.endReason, 64),
        ruleId: record.ruleId,
        groupId: record.groupId,
        agentId: record.agentId,
        trunkId: record.trunkId,
        ...qualityColumns(record.quality),
        attemptCount: record.attempts.length,
        attempts: storableJson(record.attempts) as unknown[],
        decision: storableJson(record.decision),
        flags: record.flags?.length ? (storableJson(record.flags) as unknown[]) : null,
        ...waitColumns(record.wait),
        startedAt: new Date(record.startedAt),
        answeredAt: date(record.answeredAt),
        endedAt: date(record.endedAt),
        durationSec: record.durationSec,
        billableSec: record.billableSec,
        cxSessionId: record.cxSessionId ?? null,
        // Inserted only: they are the call's from its start, so no later event updates them.
        carrierHeaders: record.carrierHeaders ? (storableJson(record.carrierHeaders) as Record<string, string>) : null,
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
        flags: newer("flags"),
        waitPosition: newer("wait_position"),
        waitSec: newer("wait_sec"),
        waitOutcome: newer("wait_outcome"),
        answeredAt: newer("answered_at"),
        endedAt: newer("ended_at"),
        durationSec: newer("duration_sec"),
        billableSec: newer("billable_sec"),
        ...newerQuality,
        updatedAt: sql`CURRENT_TIMESTAMP(3)`,
        // Last: MySQL applies the assignments in order, and the ones above compare against it.
        lastSeq: sql.raw("GREATEST(last_seq, VALUES(last_seq))"),
      },
    });
}

/** Stored once per (tenant, call, seq); a redelivery changes nothing. */
async function insertEvents(db: Db, messages: CallEventMessage[]): Promise<void> {
  await db
    .insert(callEvents)
    .values(
      messages.map((m) => ({
        tenantId: m.tenantId,
        callId: m.callId,
        seq: m.seq,
        type: storableString(m.type, 40)!,
        at: new Date(m.at),
        data: storableJson(m.data) as Record<string, unknown>,
      })),
    )
    // Not INSERT IGNORE: that would also drop, silently, a row refused for its content.
    .onDuplicateKeyUpdate({ set: { seq: sql.raw("seq") } });
}

export async function storeWebhookDeliveries(db: Db, messages: WebhookDeliveryMessage[]): Promise<void> {
  if (!messages.length) return;
  await db
    .insert(webhookEvents)
    .values(
      messages.map((m) => ({
        deliveryId: m.deliveryId,
        tenantId: m.tenantId,
        kind: storableString(m.webhook, 32)!,
        callId: storableString(m.callId, 128),
        method: storableString(m.method, 8)!,
        statusCode: m.statusCode,
        outcome: storableString(m.outcome, 40)!,
        error: storableString(m.error, 500),
        durationMs: m.durationMs,
        receivedAt: new Date(m.receivedAt),
        // Already capped and redacted by the Worker; made well formed again for older messages.
        requestQuery: storableString(m.request?.query ?? "", 4_096),
        requestBody: storableString(m.request?.body ?? "", 65_536),
        requestTruncated: Boolean(m.request?.truncated),
        responseBody: storableString(m.response ?? null, 8_192),
      })),
    )
    .onDuplicateKeyUpdate({ set: { deliveryId: sql.raw("delivery_id") } });
}

/** Dead letters keep at most this much of a message's body. */
export const DEAD_LETTER_BODY_CHARS = 131_072;

export interface DeadLetter {
  messageId: string;
  body: unknown;
  attempts: number;
  error: string | null;
}

const field = (body: unknown, name: string, max: number): string | null => {
  const value = typeof body === "object" && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === "string" ? storableString(value, max) : null;
};

/**
 * Parks messages in dead_letters, once each (by queue and message id). Whatever a body holds,
 * it is stored as text, well formed and capped, so parking itself cannot be refused.
 */
export async function storeDeadLetters(db: Db, queue: string, letters: DeadLetter[]): Promise<void> {
  if (!letters.length) return;
  await db
    .insert(deadLetters)
    .values(
      letters.map((letter) => {
        const body = storableJsonText(letter.body ?? null, DEAD_LETTER_BODY_CHARS);
        const kind = field(letter.body, "kind", 32);
        return {
          queue,
          messageId: storableString(letter.messageId, 128)!,
          tenantId: field(letter.body, "tenantId", 32),
          kind,
          callId: field(letter.body, "callId", 128),
          body: body.text,
          bodyTruncated: body.truncated,
          error: storableString(letter.error, 1_000),
          attempts: letter.attempts,
        };
      }),
    )
    .onDuplicateKeyUpdate({ set: { messageId: sql.raw("message_id") } });
}
