import { and, eq, gte, inArray, lt, notInArray, or, sql, type SQL } from "drizzle-orm";
import type { Executor } from "../executor";
import { webhookEvents } from "../schema";
import { keysetQuery, pageOf, type PageRequest } from "../../lib/pagination";
import { FAILED_OUTCOMES, type DeliveryFilters, type DeliveryStatus } from "../../schemas/webhook-deliveries";

/*
 * Reads of webhook_events for the delivery debugger. Every query names the tenant, so rows
 * whose request named no known tenant (tenant_id NULL) are never read here.
 */

const failed = () => or(gte(webhookEvents.statusCode, 500), inArray(webhookEvents.outcome, [...FAILED_OUTCOMES]))!;

/** The SQL twin of deliveryStatus(): the three statuses never overlap. */
function statusCondition(status: DeliveryStatus): SQL {
  const notFailed = notInArray(webhookEvents.outcome, [...FAILED_OUTCOMES]);
  if (status === "failed") return failed();
  if (status === "refused") return and(gte(webhookEvents.statusCode, 400), lt(webhookEvents.statusCode, 500), notFailed)!;
  return and(lt(webhookEvents.statusCode, 400), notFailed)!;
}

/** The list's columns: everything but the request and response texts. */
export const deliveryListColumns = {
  id: webhookEvents.id,
  deliveryId: webhookEvents.deliveryId,
  kind: webhookEvents.kind,
  callId: webhookEvents.callId,
  method: webhookEvents.method,
  statusCode: webhookEvents.statusCode,
  outcome: webhookEvents.outcome,
  error: webhookEvents.error,
  durationMs: webhookEvents.durationMs,
  receivedAt: webhookEvents.receivedAt,
};
export type ListedDelivery = { [K in keyof typeof deliveryListColumns]: (typeof webhookEvents.$inferSelect)[K] };

export async function listDeliveries(db: Executor, tenantId: string, filters: DeliveryFilters, page: PageRequest) {
  const conditions: (SQL | undefined)[] = [eq(webhookEvents.tenantId, tenantId)];
  if (filters.kind) conditions.push(eq(webhookEvents.kind, filters.kind));
  if (filters.status) conditions.push(statusCondition(filters.status));
  if (filters.statusCode !== undefined) conditions.push(eq(webhookEvents.statusCode, filters.statusCode));
  if (filters.callId) conditions.push(eq(webhookEvents.callId, filters.callId));
  if (filters.since) conditions.push(gte(webhookEvents.receivedAt, filters.since));
  if (filters.until) conditions.push(lt(webhookEvents.receivedAt, filters.until));
  const query = keysetQuery(page, { sortColumn: webhookEvents.receivedAt, idColumn: webhookEvents.id });
  conditions.push(query.where);
  const rows: ListedDelivery[] = await db
    .select(deliveryListColumns)
    .from(webhookEvents)
    .where(and(...conditions))
    .orderBy(...query.orderBy)
    .limit(query.take);
  return pageOf(rows, page, (row) => ({ value: row.receivedAt, id: row.id }));
}

export async function findDelivery(db: Executor, tenantId: string, id: number) {
  const [row] = await db
    .select()
    .from(webhookEvents)
    .where(and(eq(webhookEvents.tenantId, tenantId), eq(webhookEvents.id, id)))
    .limit(1);
  return row ?? null;
}

export interface DeliveryCounts {
  deliveries: number;
  failed: number;
  refused: number;
}

/** Deliveries received since `since`, and how many of them failed or were refused. */
export async function countDeliveries(db: Executor, tenantId: string, since: Date): Promise<DeliveryCounts> {
  const [row] = await db
    .select({
      deliveries: sql<string>`COUNT(*)`,
      failed: sql<string | null>`SUM(CASE WHEN ${statusCondition("failed")} THEN 1 ELSE 0 END)`,
      refused: sql<string | null>`SUM(CASE WHEN ${statusCondition("refused")} THEN 1 ELSE 0 END)`,
    })
    .from(webhookEvents)
    .where(and(eq(webhookEvents.tenantId, tenantId), gte(webhookEvents.receivedAt, since)));
  // MySQL returns COUNT and SUM as strings (and SUM of no rows as NULL).
  return { deliveries: Number(row?.deliveries ?? 0), failed: Number(row?.failed ?? 0), refused: Number(row?.refused ?? 0) };
}
