import type { DeadLetterRow, ListedDeadLetter } from "../db/repos/dead-letters";
import type { ListedDelivery } from "../db/repos/webhook-deliveries";
import { isoOrNull } from "../schemas/common";
import type { DeadLetterDto } from "../schemas/dead-letters";
import { deliveryStatus, type DeliveryDto } from "../schemas/webhook-deliveries";

export function toDeliveryDto(row: ListedDelivery): DeliveryDto {
  return {
    id: row.id,
    deliveryId: row.deliveryId,
    kind: row.kind,
    callId: row.callId,
    method: row.method,
    statusCode: row.statusCode,
    status: deliveryStatus(row.statusCode, row.outcome),
    outcome: row.outcome,
    error: row.error,
    durationMs: row.durationMs,
    receivedAt: row.receivedAt.toISOString(),
  };
}

export function toDeadLetterDto(row: ListedDeadLetter | DeadLetterRow): DeadLetterDto {
  return {
    id: row.id,
    queue: row.queue,
    messageId: row.messageId,
    kind: row.kind,
    callId: row.callId,
    error: row.error,
    attempts: row.attempts,
    status: row.status,
    bodyTruncated: row.bodyTruncated,
    receivedAt: row.receivedAt.toISOString(),
    replayedAt: isoOrNull(row.replayedAt),
    resolvedAt: isoOrNull(row.resolvedAt),
    resolvedBy: row.resolvedBy,
  };
}

/** A path's {id} as a row id; anything else names no row (404, like another tenant's id). */
export function rowId(param: string): number | null {
  return /^[1-9][0-9]{0,14}$/.test(param) ? Number(param) : null;
}
