import { exports } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, it } from "vitest";
import { callEvents, callRecords } from "../../workers/db/schema";
import { eventually, withDb } from "./helpers/db";
import { createRoutingFixture, voiceBody, webhookInit, type RoutingFixture } from "./helpers/routing-fixture";

const VOICE = "https://router.test/api/webhooks/voice-application";

const recordOf = (f: RoutingFixture, callId: string) =>
  withDb(
    async (db) =>
      (
        await db
          .select()
          .from(callRecords)
          .where(and(eq(callRecords.tenantId, f.tenantId), eq(callRecords.callId, callId)))
      )[0],
  );

describe("an ended call settles its own record", () => {
  it("re-sends its final record after it went quiet, so a record the queue lost is stored again, with no duplicate event", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    const body = voiceBody(f);
    expect((await exports.default.fetch(VOICE, webhookInit(f, body))).status).toBe(200);
    expect((await exports.default.fetch(`${VOICE}/dial-result?attempt=1`, webhookInit(f, { ...body, DialCallStatus: "completed", DialCallDuration: "1" }))).status).toBe(200);
    const stored = await eventually(
      async () => {
        const row = await recordOf(f, body.Session);
        return row?.status === "completed" ? row : null;
      },
      15_000,
      "the completed record",
    );
    // A record is written before its events (two statements of one batch): wait for all of them.
    const events = await eventually(
      async () => {
        const rows = await withDb((db) =>
          db
            .select()
            .from(callEvents)
            .where(and(eq(callEvents.tenantId, f.tenantId), eq(callEvents.callId, body.Session))),
        );
        return rows.length === stored.lastSeq ? rows : null;
      },
      15_000,
      "the call's events",
    );

    // As if the queue had lost it in a crash.
    await withDb((db) => db.delete(callRecords).where(eq(callRecords.id, stored.id)));
    const settled = await eventually(() => recordOf(f, body.Session), 15_000, "the record, settled by the call itself");
    expect(settled).toMatchObject({ id: stored.id, status: "completed", lastSeq: stored.lastSeq, agentId: stored.agentId, durationSec: stored.durationSec, attemptCount: 1 });
    const after = await withDb((db) =>
      db
        .select()
        .from(callEvents)
        .where(and(eq(callEvents.tenantId, f.tenantId), eq(callEvents.callId, body.Session))),
    );
    expect(after.map((e) => e.seq).sort((a, b) => a - b)).toEqual(events.map((e) => e.seq).sort((a, b) => a - b));
  });
});
