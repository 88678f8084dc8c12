import { and, eq, sql } from "drizzle-orm";
import { describe, it } from "vitest";
import { callEvents, callRecords, callRollups, jobCursors, tenants, webhookEvents } from "../../workers/db/schema";
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
    const n = async (table: typeof callRecords | typeof callEvents | typeof callRollups | typeof webhookEvents) => Number((await db.select({ n: sql<number>`COUNT(*)` }).from(table).where(eq(table.tenantId, tenantId)))[0]!.n);
    const [calls] = await db
      .select({ n: sql<number>`COALESCE(SUM(${callRollups.calls}), 0)` })
      .from(callRollups)
      .where(eq(callRollups.tenantId, tenantId));
    return { records: await n(callRecords), events: await n(callEvents), rollupCalls: Number(calls!.n), deliveries: await n(webhookEvents) };
  });
}

async function seed(f: RecordsFixture, ages: number[]) {
  const stored = await storeCalls(
    f.tenantId,
    ages.map((age, i) => ({ startedAt: NOW - age * DAY + i * 1000, agentId: f.agents[0]!, groupId: f.groups[0]!, answeredAfterSec: 1, durationSec: 30 })),
  );
  await withDb(async (db) => {
    await db.insert(callEvents).values(stored.map((s) => ({ tenantId: f.tenantId, callId: s.callId, seq: 1, type: "call.started", at: new Date(s.spec.startedAt), data: {} })));
    await db.insert(webhookEvents).values(ages.map((age, i) => ({ deliveryId: `ret-${crypto.randomUUID()}`, tenantId: f.tenantId, kind: "voice-application", method: "POST", statusCode: 200, outcome: "routed", receivedAt: new Date(NOW - age * DAY + i) })));
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
    expect(left.map((r) => r.id).sort()).toEqual(
      kept
        .slice(4)
        .map((s) => s.recordId)
        .sort(),
    );
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
    const [row] = await withDb((db) =>
      db
        .select({ n: sql<number>`COUNT(*)` })
        .from(callRecords)
        .where(and(eq(callRecords.tenantId, f.tenantId), sql`${callRecords.startedAt} < ${new Date(NOW - 7 * DAY)}`)),
    );
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

  describe("walking tenants with a cursor", () => {
    /** Tenants in the order the walk visits them (by id), each with old rows worth several runs' budget. */
    async function ring(n: number) {
      const fixtures = await Promise.all(Array.from({ length: n }, () => createRecordsFixture({ agents: 1 })));
      fixtures.sort((a, b) => (a.tenantId < b.tenantId ? -1 : a.tenantId > b.tenantId ? 1 : 0));
      for (const f of fixtures) {
        await setRetention(f, 7);
        await seed(f, [40, 39, 38, 37, 36, 35, 1]);
      }
      return { fixtures, tenantIds: fixtures.map((f) => f.tenantId), cursorName: `retention-test-${crypto.randomUUID()}` };
    }
    const savedCursor = (name: string) => withDb(async (db) => (await db.select().from(jobCursors).where(eq(jobCursors.name, name)))[0]?.cursor);

    it("reaches the last tenant within one run per tenant even when the first ones always have more to delete than a run's budget", async ({ expect }) => {
      const { fixtures, tenantIds, cursorName } = await ring(4);
      const last = fixtures[fixtures.length - 1]!;
      const before = await counts(last.tenantId);
      const runs = [];
      // A budget smaller than any tenant's backlog: without the cursor every run would spend it on the first tenant.
      for (let i = 0; i < fixtures.length; i++) runs.push(await withDb((db) => runRetention(db, { now: NOW, tenantIds, cursorName, batchRows: 2, maxRows: 3 })));
      expect(runs.every((r) => !r.complete)).toBe(true);
      expect(runs.map((r) => r.cursor)).toEqual(tenantIds);
      expect(await savedCursor(cursorName)).toBe(last.tenantId);
      expect((await counts(last.tenantId)).records).toBeLessThan(before.records);
      for (const f of fixtures) expect((await counts(f.tenantId)).records).toBeLessThan(before.records);
    });

    it("wraps round to the first tenant, and every tenant is cleaned within a bounded number of runs", async ({ expect }) => {
      const { fixtures, tenantIds, cursorName } = await ring(3);
      const runs = [];
      // Each tenant has 6 old records (12 events) and rollups and deliveries: about 30 rows, so at
      // 3 rows a visit 10 laps over 3 tenants is a generous bound.
      for (let i = 0; i < 30; i++) {
        const run = await withDb((db) => runRetention(db, { now: NOW, tenantIds, cursorName, batchRows: 2, maxRows: 3 }));
        runs.push(run);
        const left = await Promise.all(fixtures.map((f) => counts(f.tenantId)));
        if (left.every((c) => c.records === 1 && c.deliveries === 1 && c.rollupCalls === 1)) break;
      }
      expect(runs.length).toBeLessThan(30);
      for (const f of fixtures) expect(await counts(f.tenantId)).toEqual({ records: 1, events: 2, rollupCalls: 1, deliveries: 1 });
      // After the last tenant, the next run starts again at the first.
      const wrap = runs.findIndex((r) => r.wrapped);
      expect(wrap).toBe(fixtures.length);
      expect(runs[wrap]).toMatchObject({ from: tenantIds[tenantIds.length - 1], cursor: tenantIds[0] });
      expect(runs[0]!.from).toBe("");
    });

    it("does a whole lap in one run when the budget allows, from the cursor round to it", async ({ expect }) => {
      const { fixtures, tenantIds, cursorName } = await ring(3);
      await withDb((db) => db.insert(jobCursors).values({ name: cursorName, cursor: tenantIds[1]! }));
      const run = await withDb((db) => runRetention(db, { now: NOW, tenantIds, cursorName, batchRows: 2 }));
      expect(run).toMatchObject({ tenants: 3, complete: true, wrapped: true, from: tenantIds[1], cursor: tenantIds[1] });
      for (const f of fixtures) expect(await counts(f.tenantId)).toEqual({ records: 1, events: 2, rollupCalls: 1, deliveries: 1 });
    });

    it("moves past a tenant whose clean-up fails, so it cannot hold up the others", async ({ expect }) => {
      const { tenantIds, cursorName } = await ring(2);
      const failing = await withDb((db) => {
        const broken = new Proxy(db, {
          get: (target, prop, receiver) => (prop === "transaction" ? () => Promise.reject(new Error("delete failed")) : Reflect.get(target, prop, receiver)),
        });
        return runRetention(broken, { now: NOW, tenantIds, cursorName, batchRows: 2 }).then(
          () => null,
          (err: Error) => err.message,
        );
      });
      expect(failing).toBe("delete failed");
      expect(await savedCursor(cursorName)).toBe(tenantIds[0]);
      const next = await withDb((db) => runRetention(db, { now: NOW, tenantIds, cursorName, batchRows: 2, maxRows: 3 }));
      expect(next.from).toBe(tenantIds[0]);
      expect(next.cursor).toBe(tenantIds[1]);
    });
  });
});
