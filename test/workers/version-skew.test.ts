import { env, exports } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { describe, it } from "vitest";
import type { CallSession } from "../../durable-objects/call-session";
import { callRecords } from "../../workers/db/schema";
import { planRoute } from "../../workers/routing/decide";
import { snapshotForDomain } from "../../workers/routing/snapshot-store";
import { eventually, withDb } from "./helpers/db";
import { callbackInit, callbackUrl, createRoutingFixture, voiceBody, webhookInit, type RoutingFixture } from "./helpers/routing-fixture";

/*
 * A gradual deploy runs two versions side by side: a call may start on the old Worker and
 * Durable Object code and finish on the new. The new code must read what the old one stored
 * and take what the old one sends. Fields added since the previous release are optional, and
 * these tests strip them, as the previous version would have left them.
 */

const VOICE = "https://router.test/api/webhooks/voice-application";
const stub = (f: RoutingFixture, callId: string) => env.CALL_SESSION.getByName(`${f.tenantId}:${callId}`) as DurableObjectStub<CallSession>;

/** What the previous release stored for a call: today's state without the fields added since. */
function asPreviousRelease(call: Record<string, any>): Record<string, any> {
  const { seenEventIds: _e, settledSeq: _s, ...rest } = call;
  const { cxSessionId: _c, callStartTime: _t, carrierHeaders: _h, ...facts } = rest.facts;
  const { flags: _f, cxSessionId: _rc, carrierHeaders: _rh, quality: _q, ...record } = rest.record;
  record.attempts = record.attempts.map(({ durationSec: _d, ...attempt }: Record<string, unknown>) => attempt);
  const { routingNumber: _r, ...trace } = rest.trace;
  return { ...rest, facts, record: { ...record, decision: trace }, trace };
}

describe("a call across a gradual deploy", () => {
  it("started on the previous release, finishes on this one: answered, its CDR applied and its record stored", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    const body = voiceBody(f);
    expect((await exports.default.fetch(VOICE, webhookInit(f, body))).status).toBe(200);
    await runInDurableObject(stub(f, body.Session), async (_instance, state) => {
      const stored = state.storage.kv.get<Record<string, any>>("call")!;
      state.storage.kv.put("call", asPreviousRelease(stored));
    });
    // A new version's object starts with nothing in memory; the alarm handler re-reads storage
    // (and, the call not being due, changes nothing).
    await runInDurableObject(stub(f, body.Session), (instance) => (instance as unknown as { alarm(): Promise<void> }).alarm());

    const dial = await exports.default.fetch(`${VOICE}/dial-result?attempt=1`, webhookInit(f, { ...body, DialCallStatus: "completed", DialCallDuration: "1" }));
    expect(dial.status).toBe(200);
    const cdr = await exports.default.fetch(callbackUrl(f, "cdr"), callbackInit({ domain: f.domain, disposition: "ANSWER", billsec: 1, duration: 1, session: { token: body.Session } }));
    expect(cdr.status).toBe(200);
    const record = await eventually(
      async () =>
        (
          await withDb((db) =>
            db
              .select()
              .from(callRecords)
              .where(and(eq(callRecords.tenantId, f.tenantId), eq(callRecords.callId, body.Session))),
          )
        )[0] ?? null,
      15_000,
      "the record",
    );
    const final = await eventually(
      async () => {
        const row = (await withDb((db) => db.select().from(callRecords).where(eq(callRecords.id, record.id))))[0];
        return row?.disposition === "ANSWER" ? row : null;
      },
      15_000,
      "the record with its CDR",
    );
    expect(final).toMatchObject({ status: "completed", disposition: "ANSWER", attemptCount: 1 });
  });

  it("takes a route request as the previous release's Worker sends it (no session id, start time or carrier headers)", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    const body = voiceBody(f);
    // Today's Worker routes a first call, so the plan is the real one; the previous Worker sent the same minus the new fields.
    const res = await exports.default.fetch(VOICE, webhookInit(f, body));
    expect(res.status).toBe(200);
    const second = voiceBody(f);
    const snapshot = await withDb(async (handle) => (await snapshotForDomain(f.domain, { redis: null, db: async () => handle, waitUntil: () => {} })).snapshot!);
    const plan = planRoute(snapshot, { from: second.From, to: second.To, cloudonixDirection: "inbound" });
    const oldFacts = { tenantId: f.tenantId, callKey: second.Session, callSid: second.CallSid, session: second.Session, from: second.From, to: second.To, callerName: null, baseUrl: "https://router.test" };
    const answer = await stub(f, second.Session).route(oldFacts, plan);
    expect(answer.cxml).toContain("<Dial");
    const snap = await stub(f, second.Session).snapshot();
    expect(snap!.record).toMatchObject({ startedAt: expect.any(Number), cxSessionId: null });
  });
});
