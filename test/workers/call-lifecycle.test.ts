import { exports } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, it } from "vitest";
import { callRecords } from "../../workers/db/schema";
import { eventually, withDb } from "./helpers/db";
import { createRoutingFixture, voiceBody, webhookInit, type RoutingFixture } from "./helpers/routing-fixture";

const BASE = "https://router.test/api/webhooks";

async function post(fixture: RoutingFixture, path: string, body: unknown, auth = true) {
  const init = webhookInit(fixture, body);
  if (!auth) delete (init.headers as Record<string, string>).Authorization;
  const res = await exports.default.fetch(`${BASE}${path}`, init);
  return { status: res.status, text: await res.text() };
}

const session = (token: string, status: string, extra: Record<string, unknown> = {}) => ({ token, status, domain: "", ...extra });

async function balancerActive(fixture: RoutingFixture): Promise<number> {
  const { env } = await import("cloudflare:workers");
  const stats = await env.GROUP_BALANCER.getByName(fixture.groupId).stats();
  return stats.reduce((n, s) => n + s.active, 0);
}

async function finalRecord(fixture: RoutingFixture, callId: string, status: string) {
  return eventually(async () => {
    const [row] = await withDb((db) => db.select().from(callRecords).where(and(eq(callRecords.tenantId, fixture.tenantId), eq(callRecords.callId, callId))));
    return row?.status === status ? row : null;
  }, 15_000, `record ${status}`);
}

describe("the call lifecycle from session updates and CDRs", () => {
  it("runs ringing → connected → completed in order, frees the slot once, and the CDR fills the record", async ({ expect }) => {
    const f = await createRoutingFixture({ capacity: 1 });
    const call = voiceBody(f);
    await post(f, "/voice-application", call);
    expect(await balancerActive(f)).toBe(1);
    const answeredAt = Date.now() - 30_000;
    const endedAt = Date.now();
    for (const status of ["ringing", "connected"]) {
      expect((await post(f, "/session-update", session(call.Session, status, { domain: f.domain, callAnswerTime: answeredAt }))).status).toBe(200);
    }
    expect(await balancerActive(f)).toBe(1);
    const done = await post(f, "/session-update", [session(call.Session, "completed", { domain: f.domain, callEndTime: endedAt })]);
    expect(JSON.parse(done.text)).toEqual({ ok: true, state: "completed", applied: true });
    expect(await balancerActive(f)).toBe(0);
    const cdr = { call_id: "sip-call-id@host", domain: f.domain, disposition: "ANSWER", duration: 42, billsec: 30, session: { token: call.Session } };
    expect((await post(f, "/cdr", cdr, false)).status).toBe(200);
    const row = await eventually(async () => {
      const [r] = await withDb((db) => db.select().from(callRecords).where(eq(callRecords.callId, call.Session)));
      return r?.billableSec === 30 ? r : null;
    }, 15_000, "the CDR fields");
    expect(row).toMatchObject({ status: "completed", disposition: "ANSWER", durationSec: 42, billableSec: 30, agentId: f.agents[0]!.id });
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
    const cdr = { domain: f.domain, disposition: "NOANSWER", duration: 30, billsec: 0, session: { token: call.Session } };
    expect((await post(f, "/cdr", cdr, false)).status).toBe(200);
    expect(await balancerActive(f)).toBe(0);
    const late = await post(f, "/voice-application/dial-result?attempt=1", { ...call, DialCallStatus: "no-answer" });
    expect(late.text).toContain("<Hangup/>");
    expect(await balancerActive(f)).toBe(0);
    const row = await finalRecord(f, call.Session, "failed");
    expect(row.disposition).toBe("NOANSWER");
    expect(row.attemptCount).toBe(1);
  });

  it("frees the slot exactly once when the dial result and the session update both report the end", async ({ expect }) => {
    const f = await createRoutingFixture({ capacity: 1, agentCount: 1 });
    const call = voiceBody(f);
    await post(f, "/voice-application", call);
    await post(f, "/session-update", session(call.Session, "connected", { domain: f.domain }));
    // A second call finds the only agent at capacity.
    const busy = await post(f, "/voice-application", voiceBody(f));
    expect(busy.text).toContain("<Hangup/>");
    await Promise.all([
      post(f, "/voice-application/dial-result?attempt=1", { ...call, DialCallStatus: "completed" }),
      post(f, "/session-update", session(call.Session, "completed", { domain: f.domain })),
    ]);
    expect(await balancerActive(f)).toBe(0);
    const stats = await (await import("cloudflare:workers")).env.GROUP_BALANCER.getByName(f.groupId).stats();
    expect(stats[0]).toMatchObject({ successes: 1, failures: 0, active: 0 });
    const next = await post(f, "/voice-application", voiceBody(f));
    expect(next.text).toContain(f.agents[0]!.serviceValue);
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
    const malformed = await post(a, "/cdr", { domain: a.domain, session: { token: call.Session } }, false);
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.text).error.message).toContain("disposition");
    // The call is untouched by all of that.
    const still = await post(a, "/session-update", session(call.Session, "ringing", { domain: a.domain }));
    expect(JSON.parse(still.text)).toMatchObject({ state: "ringing" });
  });
});
