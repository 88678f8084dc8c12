import { and, eq, sql } from "drizzle-orm";
import { describe, it } from "vitest";
import { callEvents, callRecords, callRollups, tenants, webhookEvents } from "../../workers/db/schema";
import { runRetention } from "../../workers/cron/retention";
import { withDb } from "./helpers/db";
import { createRecordsFixture, storeCalls, type RecordsFixture } from "./helpers/records-fixture";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 1, 12, 0, 0);

async function setRetention(f: RecordsFixture, days: number) {
  await withDb((db) => db.update(tenants).set({ retentionDays: days }).where(eq(tenants.id, f.tenantId)));
}

async function counts(tenantId: string) {
  return withDb(async (db) => {
    const n = async (table: typeof callRecords | typeof callEvents | typeof callRollups | typeof webhookEvents) =>
      Number((await db.select({ n: sql<number>`COUNT(*)` }).from(table).where(eq(table.tenantId, tenantId)))[0]!.n);
    const [calls] = await db.select({ n: sql<number>`COALESCE(SUM(${callRollups.calls}), 0)` }).from(callRollups).where(eq(callRollups.tenantId, tenantId));
    return { records: await n(callRecords), events: await n(callEvents), rollupCalls: Number(calls!.n), deliveries: await n(webhookEvents) };
  });
}

async function seed(f: RecordsFixture, ages: number[]) {
  const stored = await storeCalls(f.tenantId, ages.map((age, i) => ({ startedAt: NOW - age * DAY + i * 1000, agentId: f.agents[0]!, groupId: f.groups[0]!, answeredAfterSec: 1, durationSec: 30 })));
  await withDb(async (db) => {
    await db.insert(callEvents).values(stored.map((s) => ({ tenantId: f.tenantId, callId: s.callId, seq: 1, type: "call.started", at: new Date(s.spec.startedAt), data: {} })));
    await db.insert(webhookEvents).values(
      ages.map((age, i) => ({ deliveryId: `ret-${crypto.randomUUID()}`, tenantId: f.tenantId, kind: "voice-application", method: "POST", statusCode: 200, outcome: "routed", receivedAt: new Date(NOW - age * DAY + i) })),
    );
  });
  return stored;
}

describe("retention", () => {
  it("deletes each tenant's records, events, rollups and deliveries past its own retention, and nothing newer", async ({ expect }) => {
    const short = await createRecordsFixture();
    const long = await createRecordsFixture();
    await setRetention(short, 30);
    await setRetention(long, 90);
    const ages = [120, 100, 60, 45, 10, 1, 0.1];
    const kept = await seed(short, ages);
    await seed(long, ages);

    const run = await withDb((db) => runRetention(db, { now: NOW, tenantIds: [short.tenantId, long.tenantId], batchRows: 2 }));
    // Each stored call has two events (its queue message's and the one added here).
    expect(run).toMatchObject({ tenants: 2, records: 4 + 2, events: 12, rollups: expect.any(Number), deliveries: 6, complete: true });

    expect(await counts(short.tenantId)).toEqual({ records: 3, events: 6, rollupCalls: 3, deliveries: 3 });
    expect(await counts(long.tenantId)).toEqual({ records: 5, events: 10, rollupCalls: 5, deliveries: 5 });
    const left = await withDb((db) => db.select({ id: callRecords.id }).from(callRecords).where(eq(callRecords.tenantId, short.tenantId)));
    expect(left.map((r) => r.id).sort()).toEqual(kept.slice(4).map((s) => s.recordId).sort());
  });

  it("works in bounded batches within a budget, and the next run finishes the job", async ({ expect }) => {
    const f = await createRecordsFixture();
    await setRetention(f, 7);
    await seed(f, [40, 39, 38, 37, 36, 35, 34, 33, 1]);
    const first = await withDb((db) => runRetention(db, { now: NOW, tenantIds: [f.tenantId], batchRows: 2, maxRows: 5 }));
    expect(first.complete).toBe(false);
    expect((await counts(f.tenantId)).records).toBeGreaterThan(1);
    const second = await withDb((db) => runRetention(db, { now: NOW, tenantIds: [f.tenantId], batchRows: 2 }));
    expect(second.complete).toBe(true);
    expect(await counts(f.tenantId)).toEqual({ records: 1, events: 2, rollupCalls: 1, deliveries: 1 });
    const [row] = await withDb((db) => db.select({ n: sql<number>`COUNT(*)` }).from(callRecords).where(and(eq(callRecords.tenantId, f.tenantId), sql`${callRecords.startedAt} < ${new Date(NOW - 7 * DAY)}`)));
    expect(Number(row!.n)).toBe(0);
  });

  it("deletes a batch's events and records together or not at all", async ({ expect }) => {
    const f = await createRecordsFixture();
    await setRetention(f, 7);
    await seed(f, [40, 39, 1]);
    const before = await counts(f.tenantId);
    // The records' delete fails inside the batch's transaction: the events' delete must not stay.
    const failing = await withDb(async (db) => {
      const broken = new Proxy(db, {
        get(target, prop, receiver) {
          if (prop !== "transaction") return Reflect.get(target, prop, receiver);
          return (work: (tx: unknown) => Promise<unknown>) =>
            target.transaction((tx) =>
              work(
                new Proxy(tx, {
                  get(t, p, r) {
                    if (p !== "delete") return Reflect.get(t, p, r);
                    return (table: unknown) => {
                      if (table === callRecords) throw new Error("records delete failed");
                      return t.delete(table as typeof callEvents);
                    };
                  },
                }),
              ),
            );
        },
      });
      return runRetention(broken, { now: NOW, tenantIds: [f.tenantId] }).then(
        () => null,
        (err: Error) => err.message,
      );
    });
    expect(failing).toBe("records delete failed");
    expect(await counts(f.tenantId)).toEqual(before);
    await withDb((db) => runRetention(db, { now: NOW, tenantIds: [f.tenantId] }));
    expect(await counts(f.tenantId)).toMatchObject({ records: 1, events: 2 });
  });
});
