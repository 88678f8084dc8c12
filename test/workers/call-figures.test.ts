import { exports } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, it } from "vitest";
import { callRecords } from "../../workers/db/schema";
import { eventually, withDb } from "./helpers/db";
import { login, call as api } from "./helpers/fixtures";
import { callbackInit, callbackUrl, createRoutingFixture, voiceBody, webhookInit, type RoutingFixture } from "./helpers/routing-fixture";

const VOICE = "https://router.test/api/webhooks/voice-application";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function route(f: RoutingFixture) {
  const body = voiceBody(f);
  const res = await exports.default.fetch(VOICE, webhookInit(f, body));
  if (res.status !== 200) throw new Error(`not routed: ${res.status}`);
  return body;
}

const dialResult = async (f: RoutingFixture, body: Record<string, unknown>, extra: Record<string, unknown>, attempt = 1) => (await exports.default.fetch(`${VOICE}/dial-result?attempt=${attempt}`, webhookInit(f, { ...body, ...extra }))).text();

const lifecycle = async (f: RoutingFixture, kind: "session-update" | "cdr", body: unknown) => {
  const res = await exports.default.fetch(callbackUrl(f, kind), callbackInit(body));
  return { status: res.status, body: await res.json<any>() };
};

/** The stored record once `ready` holds for it. */
async function recordWhen(f: RoutingFixture, callId: string, ready: (row: typeof callRecords.$inferSelect) => boolean, what: string) {
  return eventually(
    async () => {
      const [row] = await withDb((db) =>
        db
          .select()
          .from(callRecords)
          .where(and(eq(callRecords.tenantId, f.tenantId), eq(callRecords.callId, callId))),
      );
      return row && ready(row) ? row : null;
    },
    15_000,
    what,
  );
}

interface Attempt {
  n: number;
  endedAt?: number;
  dialStatus?: string;
  durationSec?: number;
  outcome?: string;
}

describe("call figures checked against what the router measured", () => {
  it("flags a forged-looking CDR (4,242 s for a call that talked a moment) and keeps its own measurement", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    const body = await route(f);
    await lifecycle(f, "session-update", { token: body.Session, status: "connected", domain: f.domain });
    await lifecycle(f, "session-update", { token: body.Session, status: "completed", domain: f.domain });
    const ended = await recordWhen(f, body.Session, (r) => r.status === "completed", "the ended call");
    const measured = ended.durationSec;
    expect(measured).toBe(0);
    const cdr = await lifecycle(f, "cdr", { domain: f.domain, session: { token: body.Session }, disposition: "ANSWER", billsec: 4242, duration: 4242 });
    expect(cdr.body).toEqual({ ok: true, state: "completed", applied: true });
    const row = await recordWhen(f, body.Session, (r) => r.disposition !== null, "the CDR");
    expect(row).toMatchObject({ durationSec: measured, billableSec: null, disposition: "ANSWER" });
    expect(row.flags).toEqual([
      { field: "durationSec", reported: 4242, used: measured, reason: expect.stringContaining("longer than the call lasted") },
      { field: "billableSec", reported: 4242, used: null, reason: expect.stringContaining("longer than the call lasted") },
    ]);
    // The detail API shows them.
    const admin = await login(f.adminEmail, f.adminPassword);
    const detail = await api(admin, "GET", `/api/call-records/${row.id}`);
    expect(detail.body.flags).toEqual(row.flags);
  });

  it("never moves an answered call backwards: a BUSY CDR for it is flagged and the call stays answered", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    const body = await route(f);
    await lifecycle(f, "session-update", { token: body.Session, status: "connected", domain: f.domain });
    await dialResult(f, body, { DialCallStatus: "completed", DialCallDuration: "0" });
    const cdr = await lifecycle(f, "cdr", { domain: f.domain, session: { token: body.Session }, disposition: "BUSY", duration: 1, billsec: 0 });
    expect(cdr.body).toEqual({ ok: true, state: "completed", applied: true });
    const row = await recordWhen(f, body.Session, (r) => r.disposition !== null, "the CDR");
    expect(row).toMatchObject({ status: "completed", endReason: "completed", disposition: "ANSWER", durationSec: 1 });
    expect(row.answeredAt).not.toBeNull();
    expect(row.flags).toEqual([{ field: "disposition", reported: "BUSY", used: "ANSWER", reason: expect.stringContaining("answered") }]);
  });

  it("takes a call's duration from DialCallDuration when no CDR ever comes, and closes each attempt", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 2 });
    const body = await route(f);
    const next = await dialResult(f, body, { DialCallStatus: "busy", DialCallDuration: null });
    expect(next).toContain("attempt=2");
    await sleep(2_100);
    // As Cloudonix sends it: a string of seconds.
    await dialResult(f, body, { DialCallStatus: "completed", DialCallDuration: "2" }, 2);
    const row = await recordWhen(f, body.Session, (r) => r.status === "completed", "the completed call");
    expect(row.durationSec).toBe(2);
    expect(row.endedAt!.getTime() - row.answeredAt!.getTime()).toBe(2_000);
    const attempts = row.attempts as Attempt[];
    expect(attempts.map((a) => [a.n, a.outcome, a.dialStatus, a.durationSec])).toEqual([
      [1, "failed", "busy", 0],
      [2, "answered", "completed", 2],
    ]);
    for (const a of attempts) expect(typeof a.endedAt).toBe("number");
    expect(row.flags).toBeNull();
  });

  it("flags a DialCallDuration longer than the attempt lasted and measures the call itself", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    const body = await route(f);
    await dialResult(f, body, { DialCallStatus: "completed", DialCallDuration: 900 });
    const row = await recordWhen(f, body.Session, (r) => r.status === "completed", "the completed call");
    expect(row.durationSec).toBeLessThanOrEqual(1);
    expect(row.flags).toEqual([{ field: "attempts[1].durationSec", reported: 900, used: row.durationSec, reason: expect.stringContaining("DialCallDuration 900 s") }]);
  });

  it("takes the duration from the session update's answer and end times when no CDR comes", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    const body = await route(f);
    const answeredAt = Date.now();
    const endedAt = answeredAt + 3_000;
    await lifecycle(f, "session-update", { token: body.Session, status: "connected", domain: f.domain, answerTime: new Date(answeredAt).toISOString() });
    await lifecycle(f, "session-update", { token: body.Session, status: "completed", domain: f.domain, callEndTime: endedAt });
    const row = await recordWhen(f, body.Session, (r) => r.status === "completed", "the completed call");
    expect(row).toMatchObject({ durationSec: 3, flags: null });
    expect([row.answeredAt?.getTime(), row.endedAt?.getTime()]).toEqual([answeredAt, endedAt]);
    const [attempt] = row.attempts as Attempt[];
    expect(attempt).toMatchObject({ outcome: "answered", endedAt, dialStatus: "completed", durationSec: 3 });
  });

  it("flags a session end time before the call began and ends the call at its own time", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    const body = await route(f);
    const bogus = Date.now() - 86_400_000;
    await lifecycle(f, "session-update", { token: body.Session, status: "busy", domain: f.domain, callEndTime: bogus });
    const row = await recordWhen(f, body.Session, (r) => r.status === "failed", "the failed call");
    expect(row.endedAt!.getTime()).toBeGreaterThanOrEqual(row.startedAt.getTime());
    expect(row.flags).toEqual([{ field: "endedAt", reported: bogus, used: row.endedAt!.getTime(), reason: expect.stringContaining("before the call reached the router") }]);
  });
});
