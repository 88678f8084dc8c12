import { and, eq, inArray } from "drizzle-orm";
import type { Executor } from "../db/executor";
import { openDeliveriesOfCalls, releaseHeld } from "../db/repos/event-webhooks";
import { callEvents } from "../db/schema";

/*
 * Per-call order. A call's events are numbered (seq 1, 2, 3, … without gaps, every event stored
 * in call_events by the consumer), and each delivery of a call event carries its call id and seq.
 * An endpoint receives a call's events in seq order, each once the one before it is finished
 * (delivered, or given up after its retries):
 *
 *  - a call event's delivery is written `held`;
 *  - the first open (held or pending) delivery of an (endpoint, call) is released to `pending`
 *    and queued when every event before it has been stored (the seqs below it are all in
 *    call_events: an earlier event that another consumer has not stored yet will be, and its
 *    batch releases the chain), and only then;
 *  - releasing runs after every batch's fan-out, for each of the tenant's endpoints and each
 *    call in the batch, and after a call's delivery finishes. Both sides commit before they look,
 *    so of a finishing delivery and a newly written one, at least one sees the other.
 *
 * A delivery that fails keeps the rest of its call waiting behind it through its retries. The
 * one exception: a delivery held for more than HOLD_LIMIT_MS behind an event that never got
 * stored (parked in dead letters) is sent anyway, by the minute sweep.
 */

export const HOLD_LIMIT_MS = 5 * 60_000;

export interface CallChain {
  tenantId: string;
  endpointId: string;
  callId: string;
}

/**
 * Releases the head of each chain that may go now; returns the deliveries to queue. `force`
 * ignores a gap in the stored events (the sweep, after HOLD_LIMIT_MS).
 */
export async function releaseChains(db: Executor, chains: CallChain[], now: Date, options: { force?: boolean } = {}): Promise<{ id: string; tenantId: string }[]> {
  if (!chains.length) return [];
  const endpointIds = [...new Set(chains.map((c) => c.endpointId))];
  const callIds = [...new Set(chains.map((c) => c.callId))];
  const open = await openDeliveriesOfCalls(db, endpointIds, callIds);
  const wanted = new Set(chains.map((c) => `${c.endpointId}\u0000${c.callId}`));
  const heads = new Map<string, (typeof open)[number]>();
  for (const row of open) {
    const key = `${row.endpointId}\u0000${row.callId}`;
    if (wanted.has(key) && !heads.has(key)) heads.set(key, row);
  }
  const candidates = [...heads.values()].filter((row) => row.status === "held");
  if (!candidates.length) return [];

  const tenantOf = new Map(chains.map((c) => [`${c.endpointId}\u0000${c.callId}`, c.tenantId]));
  const ready = options.force ? candidates : await withoutGaps(db, candidates, tenantOf, now);
  await releaseHeld(
    db,
    ready.map((r) => r.id),
    now,
  );
  return ready.map((r) => ({ id: r.id, tenantId: tenantOf.get(`${r.endpointId}\u0000${r.callId}`)! }));
}

/** The candidates whose earlier events are all stored (or that have waited past HOLD_LIMIT_MS). */
async function withoutGaps<Row extends { endpointId: string | null; callId: string | null; seq: number | null; createdAt: Date }>(db: Executor, candidates: Row[], tenantOf: Map<string, string>, now: Date): Promise<Row[]> {
  const byTenant = new Map<string, Set<string>>();
  for (const row of candidates) {
    const tenantId = tenantOf.get(`${row.endpointId}\u0000${row.callId}`)!;
    if (!byTenant.has(tenantId)) byTenant.set(tenantId, new Set());
    byTenant.get(tenantId)!.add(row.callId!);
  }
  const stored = new Map<string, Set<number>>();
  for (const [tenantId, calls] of byTenant) {
    const rows = await db
      .select({ callId: callEvents.callId, seq: callEvents.seq })
      .from(callEvents)
      .where(and(eq(callEvents.tenantId, tenantId), inArray(callEvents.callId, [...calls])));
    for (const r of rows) {
      const key = `${tenantId}\u0000${r.callId}`;
      if (!stored.has(key)) stored.set(key, new Set());
      stored.get(key)!.add(r.seq);
    }
  }
  return candidates.filter((row) => {
    if (now.getTime() - row.createdAt.getTime() > HOLD_LIMIT_MS) return true;
    const seqs = stored.get(`${tenantOf.get(`${row.endpointId}\u0000${row.callId}`)}\u0000${row.callId}`) ?? new Set<number>();
    for (let s = 1; s < (row.seq ?? 1); s++) if (!seqs.has(s)) return false;
    return true;
  });
}
