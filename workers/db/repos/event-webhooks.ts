import { and, asc, desc, eq, inArray, isNull, lt, lte, or, sql, type SQL } from "drizzle-orm";
import { affectedRows, type Executor } from "../executor";
import { eventDeliveries, eventDeliveryAttempts, eventWebhooks } from "../schema";
import { keysetQuery, pageOf, type PageRequest } from "../../lib/pagination";
import type { DeliveryStatus } from "../../domain/integrations";

export type EventWebhookRow = typeof eventWebhooks.$inferSelect;
export type NewEventWebhookRow = typeof eventWebhooks.$inferInsert;
export type DeliveryRow = typeof eventDeliveries.$inferSelect;
export type NewDeliveryRow = typeof eventDeliveries.$inferInsert;
export type AttemptRow = typeof eventDeliveryAttempts.$inferSelect;

// --- endpoints ------------------------------------------------------------------------------

export async function listEventWebhooks(db: Executor, tenantId: string): Promise<EventWebhookRow[]> {
  return db.select().from(eventWebhooks).where(eq(eventWebhooks.tenantId, tenantId)).orderBy(asc(eventWebhooks.createdAt), asc(eventWebhooks.id));
}

export async function countEventWebhooks(db: Executor, tenantId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`COUNT(*)` }).from(eventWebhooks).where(eq(eventWebhooks.tenantId, tenantId));
  return Number(row?.n ?? 0);
}

export async function findEventWebhook(db: Executor, tenantId: string, id: string, opts: { forUpdate?: boolean } = {}): Promise<EventWebhookRow | null> {
  const query = db
    .select()
    .from(eventWebhooks)
    .where(and(eq(eventWebhooks.tenantId, tenantId), eq(eventWebhooks.id, id)))
    .limit(1);
  const [row] = opts.forUpdate ? await query.for("update") : await query;
  return row ?? null;
}

/** The enabled endpoints of these tenants, with what the fan-out needs. */
export async function enabledEndpointsOf(db: Executor, tenantIds: string[]): Promise<Pick<EventWebhookRow, "id" | "tenantId" | "eventTypes">[]> {
  if (!tenantIds.length) return [];
  return db
    .select({ id: eventWebhooks.id, tenantId: eventWebhooks.tenantId, eventTypes: eventWebhooks.eventTypes })
    .from(eventWebhooks)
    .where(and(inArray(eventWebhooks.tenantId, tenantIds), eq(eventWebhooks.enabled, true)));
}

/** One endpoint by id alone: the delivery consumer's read (the delivery row names its tenant). */
export async function endpointById(db: Executor, id: string): Promise<EventWebhookRow | null> {
  const [row] = await db.select().from(eventWebhooks).where(eq(eventWebhooks.id, id)).limit(1);
  return row ?? null;
}

export async function insertEventWebhook(db: Executor, row: NewEventWebhookRow): Promise<void> {
  await db.insert(eventWebhooks).values(row);
}

export async function updateEventWebhook(db: Executor, tenantId: string, id: string, changes: Partial<NewEventWebhookRow>): Promise<void> {
  await db
    .update(eventWebhooks)
    .set({ ...changes, version: sql`${eventWebhooks.version} + 1`, updatedAt: new Date() })
    .where(and(eq(eventWebhooks.tenantId, tenantId), eq(eventWebhooks.id, id)));
}

export async function deleteEventWebhook(db: Executor, tenantId: string, id: string): Promise<void> {
  await db.delete(eventWebhooks).where(and(eq(eventWebhooks.tenantId, tenantId), eq(eventWebhooks.id, id)));
}

/** After an attempt: a success clears the failure streak, a failure starts it (once). */
export async function noteEndpointOutcome(db: Executor, id: string, ok: boolean, at: Date): Promise<void> {
  await db
    .update(eventWebhooks)
    .set(ok ? { lastSuccessAt: at, failingSince: null } : { lastFailureAt: at, failingSince: sql`COALESCE(${eventWebhooks.failingSince}, ${at})` })
    .where(eq(eventWebhooks.id, id));
}

/**
 * Disables an endpoint that keeps failing, unless a person changed it meanwhile (it is still
 * enabled and still failing since at most `failingSince`). True when this call disabled it.
 */
export async function disableFailingEndpoint(db: Executor, id: string, reason: string, at: Date, failingSinceAtMost: Date): Promise<boolean> {
  const result = await db
    .update(eventWebhooks)
    .set({ enabled: false, disabledReason: reason, disabledAt: at, version: sql`${eventWebhooks.version} + 1`, updatedAt: at })
    .where(and(eq(eventWebhooks.id, id), eq(eventWebhooks.enabled, true), lte(eventWebhooks.failingSince, failingSinceAtMost)));
  return affectedRows(result) > 0;
}

// --- deliveries -----------------------------------------------------------------------------

/** Inserts deliveries once each: a redelivered batch fans out to the same ids and changes nothing. */
export async function insertDeliveries(db: Executor, rows: NewDeliveryRow[]): Promise<void> {
  if (!rows.length) return;
  await db
    .insert(eventDeliveries)
    .values(rows)
    .onDuplicateKeyUpdate({ set: { id: sql.raw("id") } });
}

export async function findDelivery(db: Executor, id: string): Promise<DeliveryRow | null> {
  const [row] = await db.select().from(eventDeliveries).where(eq(eventDeliveries.id, id)).limit(1);
  return row ?? null;
}

export async function findEndpointDelivery(db: Executor, tenantId: string, endpointId: string, id: string): Promise<DeliveryRow | null> {
  const [row] = await db
    .select()
    .from(eventDeliveries)
    .where(and(eq(eventDeliveries.tenantId, tenantId), eq(eventDeliveries.endpointId, endpointId), eq(eventDeliveries.id, id)))
    .limit(1);
  return row ?? null;
}

/**
 * Takes a delivery for one attempt: a due, pending one for the schedule, any for a Resend. The
 * lease keeps a duplicate queue message from sending it at the same time; it outlasts the
 * attempt's timeout. True when this consumer holds it.
 */
export async function claimDelivery(db: Executor, id: string, now: Date, leaseMs: number, resend: boolean): Promise<boolean> {
  const free = or(isNull(eventDeliveries.leaseUntil), lt(eventDeliveries.leaseUntil, now));
  const due = and(eq(eventDeliveries.status, "pending"), or(isNull(eventDeliveries.nextAttemptAt), lte(eventDeliveries.nextAttemptAt, new Date(now.getTime() + 2_000))));
  const result = await db
    .update(eventDeliveries)
    .set({ leaseUntil: new Date(now.getTime() + leaseMs) })
    .where(and(eq(eventDeliveries.id, id), free, resend ? undefined : due));
  return affectedRows(result) > 0;
}

export async function updateDelivery(db: Executor, id: string, changes: Partial<NewDeliveryRow>): Promise<void> {
  await db
    .update(eventDeliveries)
    .set({ ...changes, updatedAt: new Date() })
    .where(eq(eventDeliveries.id, id));
}

export async function insertAttempt(db: Executor, row: typeof eventDeliveryAttempts.$inferInsert): Promise<void> {
  await db.insert(eventDeliveryAttempts).values(row);
}

/** Stops what an endpoint still had waiting or due (it was disabled); Resend remains. */
export async function cancelOpenDeliveries(db: Executor, endpointId: string): Promise<void> {
  await db
    .update(eventDeliveries)
    .set({ status: "cancelled", nextAttemptAt: null, lastError: "the endpoint was disabled", updatedAt: new Date() })
    .where(and(eq(eventDeliveries.endpointId, endpointId), inArray(eventDeliveries.status, ["held", "pending"])));
}

/** The deliveries still waiting or due for these (endpoint, call) pairs, by sequence. */
export async function openDeliveriesOfCalls(db: Executor, endpointIds: string[], callIds: string[]): Promise<Pick<DeliveryRow, "id" | "endpointId" | "callId" | "seq" | "status" | "createdAt">[]> {
  if (!endpointIds.length || !callIds.length) return [];
  return db
    .select({ id: eventDeliveries.id, endpointId: eventDeliveries.endpointId, callId: eventDeliveries.callId, seq: eventDeliveries.seq, status: eventDeliveries.status, createdAt: eventDeliveries.createdAt })
    .from(eventDeliveries)
    .where(and(inArray(eventDeliveries.endpointId, endpointIds), inArray(eventDeliveries.callId, callIds), inArray(eventDeliveries.status, ["held", "pending"])))
    .orderBy(asc(eventDeliveries.seq));
}

/** Held deliveries become due, each only if it is still held (a concurrent promotion counts once). */
export async function releaseHeld(db: Executor, ids: string[], now: Date): Promise<void> {
  if (!ids.length) return;
  await db
    .update(eventDeliveries)
    .set({ status: "pending", nextAttemptAt: now, updatedAt: now })
    .where(and(inArray(eventDeliveries.id, ids), eq(eventDeliveries.status, "held")));
}

/** Deliveries the queue should have brought by now (its message lost): due for over `graceMs`, not leased. */
export async function overdueDeliveries(db: Executor, now: Date, graceMs: number, limit: number): Promise<Pick<DeliveryRow, "id" | "tenantId">[]> {
  return db
    .select({ id: eventDeliveries.id, tenantId: eventDeliveries.tenantId })
    .from(eventDeliveries)
    .where(and(eq(eventDeliveries.status, "pending"), lt(eventDeliveries.nextAttemptAt, new Date(now.getTime() - graceMs)), or(isNull(eventDeliveries.leaseUntil), lt(eventDeliveries.leaseUntil, now))))
    .limit(limit);
}

/** Held deliveries older than `ageMs`: their chain is looked at again by the sweep. */
export async function staleHeld(db: Executor, now: Date, ageMs: number, limit: number): Promise<Pick<DeliveryRow, "tenantId" | "endpointId" | "callId">[]> {
  return db
    .selectDistinct({ tenantId: eventDeliveries.tenantId, endpointId: eventDeliveries.endpointId, callId: eventDeliveries.callId })
    .from(eventDeliveries)
    .where(and(eq(eventDeliveries.status, "held"), lt(eventDeliveries.createdAt, new Date(now.getTime() - ageMs))))
    .limit(limit);
}

export interface DeliveryFilters {
  status?: DeliveryStatus | undefined;
  eventType?: string | undefined;
  callId?: string | undefined;
}

export async function listDeliveries(db: Executor, tenantId: string, endpointId: string, filters: DeliveryFilters, page: PageRequest) {
  const conditions: (SQL | undefined)[] = [eq(eventDeliveries.tenantId, tenantId), eq(eventDeliveries.endpointId, endpointId)];
  if (filters.status) conditions.push(eq(eventDeliveries.status, filters.status));
  if (filters.eventType) conditions.push(eq(eventDeliveries.eventType, filters.eventType));
  if (filters.callId) conditions.push(eq(eventDeliveries.callId, filters.callId));
  const query = keysetQuery(page, { sortColumn: eventDeliveries.createdAt, idColumn: eventDeliveries.id });
  conditions.push(query.where);
  const rows = await db
    .select()
    .from(eventDeliveries)
    .where(and(...conditions))
    .orderBy(...query.orderBy)
    .limit(query.take);
  return pageOf(rows, page, (row) => ({ value: row.createdAt, id: row.id }));
}

/** Each delivery's attempts, newest first. */
export async function attemptsOf(db: Executor, deliveryIds: string[]): Promise<AttemptRow[]> {
  if (!deliveryIds.length) return [];
  return db.select().from(eventDeliveryAttempts).where(inArray(eventDeliveryAttempts.deliveryId, deliveryIds)).orderBy(desc(eventDeliveryAttempts.id));
}

/** Deletes deliveries (and, by cascade, their attempts) created before `before`, at most `limit`. */
export async function purgeDeliveries(db: Executor, before: Date, limit: number): Promise<number> {
  const old = await db.select({ id: eventDeliveries.id }).from(eventDeliveries).where(lt(eventDeliveries.createdAt, before)).limit(limit);
  if (!old.length) return 0;
  await db.delete(eventDeliveries).where(
    inArray(
      eventDeliveries.id,
      old.map((r) => r.id),
    ),
  );
  return old.length;
}
