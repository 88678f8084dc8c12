import { and, eq, sql } from "drizzle-orm";
import { describe, it } from "vitest";
import { callRecords, callRollups } from "../../workers/db/schema";
import { storeCallEvents } from "../../workers/queue/store";
import { applyRollups } from "../../workers/queue/rollups";
import { callMessage, callRecordState, newTestCallId } from "./helpers/call-messages";
import { withDb } from "./helpers/db";
import { createRoutingFixture } from "./helpers/routing-fixture";

const T = Date.UTC(2026, 5, 1, 9, 0, 0);

async function rollupTotals(tenantId: string) {
  const [row] = await withDb((db) =>
    db
      .select({
        calls: sql<number>`CAST(COALESCE(SUM(${callRollups.calls}), 0) AS SIGNED)`,
        answered: sql<number>`CAST(COALESCE(SUM(${callRollups.answered}), 0) AS SIGNED)`,
        failed: sql<number>`CAST(COALESCE(SUM(${callRollups.failed}), 0) AS SIGNED)`,
        durationSum: sql<number>`CAST(COALESCE(SUM(${callRollups.durationSum}), 0) AS SIGNED)`,
        attempts: sql<number>`CAST(COALESCE(SUM(${callRollups.attempts}), 0) AS SIGNED)`,
      })
      .from(callRollups)
      .where(eq(callRollups.tenantId, tenantId)),
  );
  return row!;
}

describe("rollups kept by the queue consumer", () => {
  it("counts an ended call once, however often and in whatever order its events arrive", async ({ expect }) => {
    const f = await createRoutingFixture();
    const callId = newTestCallId();
    const agent = f.agents[0]!.id;
    const base = { startedAt: T, groupId: f.groupId, agentId: agent, attempts: [{ targetId: agent, groupId: f.groupId }] };
    const recordId = `cal_rollup_${crypto.randomUUID().slice(0, 8)}`;
    const ringing = callMessage(f.tenantId, callId, 2, callRecordState({ ...base, status: "ringing" }, recordId));
    const ended = callMessage(f.tenantId, callId, 4, callRecordState({ ...base, status: "completed", answeredAfterSec: 3, durationSec: 70, attempts: [{ targetId: agent, groupId: f.groupId, outcome: "answered" }] }, recordId));
    await withDb(async (db) => {
      await storeCallEvents(db, [ended]);
      await storeCallEvents(db, [ringing]); // late, older: changes nothing
      await storeCallEvents(db, [ended, ringing]); // redelivered batch
      await Promise.all([storeCallEvents(db, [ended]), applyRollups(db, [{ tenantId: f.tenantId, callId }])]);
    });
    expect(await rollupTotals(f.tenantId)).toEqual({ calls: 1, answered: 1, failed: 0, durationSum: 70, attempts: 1 });
  });

  it("does not count a live call, and counts it when it ends", async ({ expect }) => {
    const f = await createRoutingFixture();
    const callId = newTestCallId();
    const recordId = `cal_live_${crypto.randomUUID().slice(0, 8)}`;
    await withDb((db) => storeCallEvents(db, [callMessage(f.tenantId, callId, 1, callRecordState({ startedAt: T, status: "connected", answeredAfterSec: 1 }, recordId))]));
    expect((await rollupTotals(f.tenantId)).calls).toBe(0);
    await withDb((db) => storeCallEvents(db, [callMessage(f.tenantId, callId, 2, callRecordState({ startedAt: T, status: "failed" }, recordId))]));
    expect(await rollupTotals(f.tenantId)).toEqual({ calls: 1, answered: 0, failed: 1, durationSum: 0, attempts: 0 });
  });

  it("moves the rollups when a late CDR changes an ended call's duration", async ({ expect }) => {
    const f = await createRoutingFixture();
    const callId = newTestCallId();
    const recordId = `cal_cdr_${crypto.randomUUID().slice(0, 8)}`;
    const spec = { startedAt: T, answeredAfterSec: 2, groupId: f.groupId, agentId: f.agents[1]!.id };
    await withDb(async (db) => {
      await storeCallEvents(db, [callMessage(f.tenantId, callId, 3, callRecordState({ ...spec, durationSec: 30 }, recordId))]);
      await storeCallEvents(db, [callMessage(f.tenantId, callId, 4, callRecordState({ ...spec, durationSec: 31 }, recordId), "call.cdr")]);
    });
    expect(await rollupTotals(f.tenantId)).toMatchObject({ calls: 1, answered: 1, durationSum: 31 });
    const [row] = await withDb((db) =>
      db
        .select({ sig: callRecords.rollupSig })
        .from(callRecords)
        .where(and(eq(callRecords.tenantId, f.tenantId), eq(callRecords.callId, callId))),
    );
    expect(JSON.parse(row!.sig!)[7]).toBe(31);
  });

  it("keeps exact totals when many consumers store overlapping batches at once", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 3 });
    const messages = Array.from({ length: 60 }, (_, i) => {
      const agent = f.agents[i % 3]!.id;
      return callMessage(
        f.tenantId,
        newTestCallId(),
        2,
        callRecordState({ startedAt: T + i * 60_000, groupId: f.groupId, agentId: agent, answeredAfterSec: i % 4 === 0 ? null : 1, durationSec: i % 4 === 0 ? 0 : i, status: i % 4 === 0 ? "failed" : "completed" }),
      );
    });
    // Four consumers, each with a shuffled overlapping half: every call is stored at least twice.
    await Promise.all(
      [0, 1, 2, 3].map((k) =>
        withDb((db) =>
          storeCallEvents(
            db,
            messages.filter((_, i) => (i + k) % 2 === 0 || i % 3 === k % 3),
          ),
        ),
      ),
    );
    await withDb((db) => storeCallEvents(db, messages));
    const expectedDuration = messages.reduce((n, m) => n + (m.record.answeredAt ? (m.record.durationSec ?? 0) : 0), 0);
    expect(await rollupTotals(f.tenantId)).toEqual({ calls: 60, answered: 45, failed: 15, durationSum: expectedDuration, attempts: 0 });
    // The daily and series tables moved by the same deltas.
    const [[daily], [series]] = (await withDb((db) =>
      Promise.all([
        db.execute(sql`SELECT CAST(SUM(calls) AS SIGNED) AS calls, CAST(SUM(duration_sum) AS SIGNED) AS d FROM call_rollups_daily WHERE tenant_id = ${f.tenantId}`),
        db.execute(sql`SELECT CAST(SUM(calls) AS SIGNED) AS calls, CAST(SUM(duration_sum) AS SIGNED) AS d FROM call_rollup_series WHERE tenant_id = ${f.tenantId}`),
      ]),
    )) as unknown as [[{ calls: number; d: number }[]], [{ calls: number; d: number }[]]];
    expect([Number(daily[0]!.calls), Number(daily[0]!.d), Number(series[0]!.calls), Number(series[0]!.d)]).toEqual([60, expectedDuration, 60, expectedDuration]);
  });
});
