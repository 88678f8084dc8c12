import { env, exports } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { describe, it } from "vitest";
import { callEvents, callRecords } from "../../workers/db/schema";
import { eventually, withDb } from "./helpers/db";
import { callbackInit, callbackUrl, createRoutingFixture, voiceBody, webhookInit, type RoutingFixture } from "./helpers/routing-fixture";

const BASE = "https://router.test/api/webhooks";

/** With the request key, or (`key` false, lifecycle callbacks only) at the tenant's callback URL without Authorization. */
async function post(fixture: RoutingFixture, path: string, body: unknown, key = true) {
  const res = key ? await exports.default.fetch(`${BASE}${path}`, webhookInit(fixture, body)) : await exports.default.fetch(callbackUrl(fixture, path.slice(1) as "session-update" | "cdr"), callbackInit(body));
  return { status: res.status, text: await res.text() };
}

const session = (token: string, status: string, extra: Record<string, unknown> = {}) => ({ token, status, domain: "", ...extra });

async function balancerActive(fixture: RoutingFixture): Promise<number> {
  const stats = await env.GROUP_BALANCER.getByName(fixture.groupId).stats();
  return stats.reduce((n, s) => n + s.active, 0);
}

/** Each agent's [active, successes, failures], in the fixture's agent order. */
async function agentStats(fixture: RoutingFixture): Promise<number[][]> {
  const stats = await env.GROUP_BALANCER.getByName(fixture.groupId).stats();
  return fixture.agents.map((a) => {
    const s = stats.find((x) => x.agentId === a.id);
    return [s?.active ?? 0, s?.successes ?? 0, s?.failures ?? 0];
  });
}

/** The CallSession's event counter: it moves with every event the call queues. */
async function eventSeq(fixture: RoutingFixture, callId: string): Promise<number> {
  return runInDurableObject(env.CALL_SESSION.getByName(`${fixture.tenantId}:${callId}`), (_instance, state) => state.storage.kv.get<{ seq: number }>("call")!.seq);
}

async function finalRecord(fixture: RoutingFixture, callId: string, status: string) {
  return eventually(
    async () => {
      const [row] = await withDb((db) =>
        db
          .select()
          .from(callRecords)
          .where(and(eq(callRecords.tenantId, fixture.tenantId), eq(callRecords.callId, callId))),
      );
      return row?.status === status ? row : null;
    },
    15_000,
    `record ${status}`,
  );
}

describe("the call lifecycle from session updates and CDRs", () => {
  it("runs ringing → connected → completed in order, frees the slot once, and the CDR fills the record", async ({ expect }) => {
    const f = await createRoutingFixture({ capacity: 1 });
    const call = voiceBody(f);
    await post(f, "/voice-application", call);
    expect(await balancerActive(f)).toBe(1);
    // Figures must fit the call as the router saw it (it began a moment ago): see call-figures.
    const answeredAt = Date.now();
    const endedAt = answeredAt + 2_000;
    for (const status of ["ringing", "connected"]) {
      expect((await post(f, "/session-update", session(call.Session, status, { domain: f.domain, callAnswerTime: answeredAt }))).status).toBe(200);
    }
    expect(await balancerActive(f)).toBe(1);
    const done = await post(f, "/session-update", [session(call.Session, "completed", { domain: f.domain, callEndTime: endedAt })]);
    const ended = await finalRecord(f, call.Session, "completed");
    // The call.ended event itself carries Cloudonix's end time, not the time it was processed.
    expect(ended.endedAt?.getTime()).toBe(endedAt);
    expect(JSON.parse(done.text)).toEqual({ ok: true, state: "completed", applied: true });
    expect(await balancerActive(f)).toBe(0);
    const cdr = { call_id: "sip-call-id@host", domain: f.domain, disposition: "ANSWER", duration: 4, billsec: 2, session: { token: call.Session } };
    expect((await post(f, "/cdr", cdr, false)).status).toBe(200);
    const row = await eventually(
      async () => {
        const [r] = await withDb((db) => db.select().from(callRecords).where(eq(callRecords.callId, call.Session)));
        return r?.billableSec === 2 ? r : null;
      },
      15_000,
      "the CDR fields",
    );
    expect(row).toMatchObject({ status: "completed", disposition: "ANSWER", durationSec: 4, billableSec: 2, agentId: f.agents[0]!.id, flags: null });
    expect(row.answeredAt?.getTime()).toBe(answeredAt);
  });

  it("ignores duplicates and late statuses: a ringing after completed changes nothing", async ({ expect }) => {
    const f = await createRoutingFixture();
    const call = voiceBody(f);
    await post(f, "/voice-application", call);
    await post(f, "/session-update", session(call.Session, "CONNECTED", { domain: f.domain }));
    const again = await post(f, "/session-update", session(call.Session, "Connected", { domain: f.domain }));
    await post(f, "/session-update", session(call.Session, "completed", { domain: f.domain }));
    const late = await post(f, "/session-update", session(call.Session, "ringing", { domain: f.domain }));
    expect(JSON.parse(again.text)).toMatchObject({ applied: false, state: "connected" });
    expect(JSON.parse(late.text)).toMatchObject({ applied: false, state: "completed" });
    await finalRecord(f, call.Session, "completed");
  });

  it("ends a call on a CDR that arrives first (out of order), and a late dial result does not re-open it", async ({ expect }) => {
    const f = await createRoutingFixture({ capacity: 1 });
    const call = voiceBody(f);
    await post(f, "/voice-application", call);
    const cdr = { domain: f.domain, disposition: "NOANSWER", duration: 3, billsec: 0, session: { token: call.Session } };
    expect((await post(f, "/cdr", cdr, false)).status).toBe(200);
    expect(await balancerActive(f)).toBe(0);
    const late = await post(f, "/voice-application/dial-result?attempt=1", { ...call, DialCallStatus: "no-answer" });
    expect(late.text).toContain("<Hangup/>");
    expect(await balancerActive(f)).toBe(0);
    const row = await finalRecord(f, call.Session, "failed");
    expect(row.disposition).toBe("NOANSWER");
    expect(row.attemptCount).toBe(1);
  });

  it("frees a call's slot exactly once when the session update, the CDR and the dial result all report its end", async ({ expect }) => {
    const f = await createRoutingFixture({ capacity: 2, agentCount: 1 });
    const first = voiceBody(f);
    const second = voiceBody(f);
    for (const call of [first, second]) {
      await post(f, "/voice-application", call);
      await post(f, "/session-update", session(call.Session, "connected", { domain: f.domain }));
    }
    expect(await balancerActive(f)).toBe(2);
    // A third call finds the only agent at capacity.
    expect((await post(f, "/voice-application", voiceBody(f))).text).toContain("<Hangup/>");
    await Promise.all([
      post(f, "/session-update", session(first.Session, "completed", { domain: f.domain })),
      post(f, "/cdr", { domain: f.domain, disposition: "ANSWER", duration: 2, billsec: 1, session: { token: first.Session } }, false),
      post(f, "/voice-application/dial-result?attempt=1", { ...first, DialCallStatus: "completed" }),
    ]);
    // The other call still holds its slot: freeing the first twice would show 0 here.
    expect(await balancerActive(f)).toBe(1);
    // One success, counted once with the ended call's release (the connected one's counts when it ends).
    expect(await agentStats(f)).toEqual([[1, 1, 0]]);
    expect((await post(f, "/voice-application", voiceBody(f))).text).toContain(f.agents[0]!.serviceValue);
    expect((await post(f, "/voice-application", voiceBody(f))).text).toContain("<Hangup/>");
  });

  it("counts busy and no-answer against the ringing agent, never a caller's cancel or an account without credit", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 5 });
    const ends: [string, Record<string, unknown> | null][] = [
      ["busy", null],
      ["noanswer", null],
      ["cancel", null],
      ["nocredit", null],
      ["CANCEL", { disposition: "CANCEL", duration: 5, billsec: 0 }],
    ];
    const calls = [];
    for (const [status, cdr] of ends) {
      const call = voiceBody(f);
      await post(f, "/voice-application", call);
      await post(f, "/session-update", session(call.Session, "ringing", { domain: f.domain }));
      const res = cdr ? await post(f, "/cdr", { domain: f.domain, ...cdr, session: { token: call.Session } }, false) : await post(f, "/session-update", session(call.Session, status, { domain: f.domain }));
      expect(JSON.parse(res.text)).toEqual({ ok: true, state: "failed", applied: true });
      calls.push(call);
    }
    // Round robin put one call on each agent, in order.
    expect(await agentStats(f)).toEqual([
      [0, 0, 1],
      [0, 0, 1],
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    const rows = await Promise.all(calls.map((call) => finalRecord(f, call.Session, "failed")));
    expect(rows.map((r) => [r.agentId, r.endReason, (r.attempts as { outcome: string }[])[0]!.outcome])).toEqual([
      [f.agents[0]!.id, "busy", "failed"],
      [f.agents[1]!.id, "noanswer", "failed"],
      [f.agents[2]!.id, "cancel", "ended"],
      [f.agents[3]!.id, "nocredit", "ended"],
      [f.agents[4]!.id, "cancel", "ended"],
    ]);
  });

  it("ends an answered call from its CDR alone: answered billsec before the end, a success for the agent", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1, capacity: 1 });
    const call = voiceBody(f);
    await post(f, "/voice-application", call);
    await post(f, "/session-update", session(call.Session, "ringing", { domain: f.domain }));
    const start = Date.now();
    const end = start + 4_000;
    // No callAnswerTime, and a timestamp that is not the end: the end is callEndTime.
    const cdr = { domain: f.domain, disposition: "ANSWER", duration: 4, billsec: 3, timestamp: start, session: { token: call.Session, callStartTime: start, callEndTime: end } };
    const res = await post(f, "/cdr", cdr, false);
    expect(JSON.parse(res.text)).toEqual({ ok: true, state: "completed", applied: true });
    expect(await agentStats(f)).toEqual([[0, 1, 0]]);
    const row = await eventually(
      async () => {
        const [r] = await withDb((db) =>
          db
            .select()
            .from(callRecords)
            .where(and(eq(callRecords.tenantId, f.tenantId), eq(callRecords.callId, call.Session))),
        );
        return r?.disposition === "ANSWER" ? r : null;
      },
      15_000,
      "the CDR's record",
    );
    expect(row).toMatchObject({ status: "completed", endReason: "completed", durationSec: 4, billableSec: 3 });
    expect(row.answeredAt?.getTime()).toBe(end - 3_000);
    expect(row.endedAt?.getTime()).toBe(end);
  });

  it("applies a duplicated CDR once: the second changes nothing and queues no event", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    const call = voiceBody(f);
    await post(f, "/voice-application", call);
    const end = Date.now() - 1_000;
    const cdr = { domain: f.domain, disposition: "NOANSWER", duration: 1, billsec: 0, session: { token: call.Session, callEndTime: end } };
    expect(JSON.parse((await post(f, "/cdr", cdr, false)).text)).toEqual({ ok: true, state: "failed", applied: true });
    const seq = await eventSeq(f, call.Session);
    expect(JSON.parse((await post(f, "/cdr", cdr, false)).text)).toEqual({ ok: true, state: "failed", applied: false });
    expect(await eventSeq(f, call.Session)).toBe(seq);
    const row = await finalRecord(f, call.Session, "failed");
    expect(row.endedAt?.getTime()).toBe(end);
    const cdrEvents = await eventually(
      async () => {
        const events = await withDb((db) =>
          db
            .select()
            .from(callEvents)
            .where(and(eq(callEvents.tenantId, f.tenantId), eq(callEvents.callId, call.Session))),
        );
        return events.length === seq ? events.filter((e) => e.type === "call.cdr") : null;
      },
      15_000,
      "every event of the call",
    );
    expect(cdrEvents).toHaveLength(1);
    expect(await agentStats(f)).toEqual([[0, 0, 1]]);
  });

  it("refuses a CDR or session update for another tenant's call, and a wrong key", async ({ expect }) => {
    const a = await createRoutingFixture();
    const b = await createRoutingFixture();
    const call = voiceBody(a);
    await post(a, "/voice-application", call);
    const foreign = await post(b, "/cdr", { domain: b.domain, disposition: "ANSWER", duration: 1, billsec: 1, session: { token: call.Session } }, false);
    expect(foreign.status).toBe(404);
    expect(JSON.parse(foreign.text).error.code).toBe("UNKNOWN_CALL");
    const wrongKey = await post({ ...a, requestKey: "cxrk_nope" }, "/session-update", session(call.Session, "completed", { domain: a.domain }));
    expect(wrongKey.status).toBe(401);
    const wrongCdrKey = await post({ ...a, requestKey: "cxrk_nope" }, "/cdr", { domain: a.domain, disposition: "ANSWER", duration: 1, billsec: 1, session: { token: call.Session } });
    expect(wrongCdrKey.status).toBe(401);
    expect(JSON.parse(wrongCdrKey.text).error.code).toBe("UNAUTHORIZED");
    const malformed = await post(a, "/cdr", { domain: a.domain, session: { token: call.Session } }, false);
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.text).error.message).toContain("disposition");
    // The call is untouched by all of that.
    const still = await post(a, "/session-update", session(call.Session, "ringing", { domain: a.domain }));
    expect(JSON.parse(still.text)).toMatchObject({ state: "ringing" });
  });
});
