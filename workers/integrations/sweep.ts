import type { Env } from "../env";
import type { Executor } from "../db/executor";
import { overdueDeliveries, purgeDeliveries, staleHeld } from "../db/repos/event-webhooks";
import { releaseChains } from "./call-order";
import { enqueueDeliveries } from "./outbox";

/*
 * Every minute (cron): the safety net under the queue. A delivery whose message was lost (a
 * failed send after its row was written, a consumer that died holding its lease) is overdue:
 * it is queued again. A call's delivery held for a minute is looked at again (its chain may
 * have been released while nobody looked; after 5 minutes it goes despite a missing earlier
 * event, see call-order.ts).
 */

const OVERDUE_GRACE_MS = 60_000;
const HELD_RECHECK_MS = 60_000;
const PER_RUN = 500;

export async function sweepDeliveries(env: Env, db: Executor, now = new Date()): Promise<{ requeued: number; released: number }> {
  const overdue = await overdueDeliveries(db, now, OVERDUE_GRACE_MS, PER_RUN);
  await enqueueDeliveries(env, overdue);
  const held = await staleHeld(db, now, HELD_RECHECK_MS, PER_RUN);
  const chains = held.filter((h) => h.endpointId && h.callId).map((h) => ({ tenantId: h.tenantId, endpointId: h.endpointId!, callId: h.callId! }));
  const released = await releaseChains(db, chains, now);
  await enqueueDeliveries(env, released);
  return { requeued: overdue.length, released: released.length };
}

/** Deliveries (and their attempts) are kept 30 days. */
export const DELIVERY_RETENTION_DAYS = 30;

export async function purgeOldDeliveries(db: Executor, now = new Date()): Promise<number> {
  return purgeDeliveries(db, new Date(now.getTime() - DELIVERY_RETENTION_DAYS * 86_400_000), 10_000);
}
