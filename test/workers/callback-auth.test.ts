import { env, exports } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, it } from "vitest";
import type { CallSession } from "../../durable-objects/call-session";
import { tenants } from "../../workers/db/schema";
import { decryptSecret, verifyRequestKey } from "../../workers/lib/secrets";
import { withDb } from "./helpers/db";
import { call, createTenantFixture, login } from "./helpers/fixtures";
import { callbackInit, callbackUrl, createRoutingFixture, newCallId, voiceBody, webhookInit, type RoutingFixture } from "./helpers/routing-fixture";

const BASE = "https://router.test/api/webhooks";

interface Answer {
  status: number;
  body: any;
}

async function send(url: string, init: RequestInit): Promise<Answer> {
  const res = await exports.default.fetch(url, init);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** A call routed with the key and left ringing. */
async function ringingCall(f: RoutingFixture): Promise<string> {
  const body = voiceBody(f);
  const res = await exports.default.fetch(`${BASE}/voice-application`, webhookInit(f, body));
  if (res.status !== 200) throw new Error(`the call was not routed: ${res.status}`);
  return body.Session;
}

const stub = (f: RoutingFixture, callId: string) => env.CALL_SESSION.getByName(`${f.tenantId}:${callId}`) as DurableObjectStub<CallSession>;

/** What the CallSession holds of the call: anything a forged callback changed would show here. */
async function callState(f: RoutingFixture, callId: string) {
  const snapshot = await stub(f, callId).snapshot();
  return snapshot && { state: snapshot.state, record: snapshot.record };
}

const forgedCdr = (f: RoutingFixture, token: string) => ({ domain: f.domain, session: { token }, disposition: "ANSWER", billsec: 4242, duration: 4242 });
const forgedUpdate = (f: RoutingFixture, token: string) => ({ token, status: "completed", domain: f.domain, callEndTime: Date.now() });

/** The refusal without its request id, which differs per request by design. */
const refusal = (answer: Answer) => ({ status: answer.status, code: answer.body?.error?.code, message: answer.body?.error?.message, hasRequestId: typeof answer.body?.error?.requestId === "string" });

describe("lifecycle callbacks need the request key or the tenant's callback URL", () => {
  it("refuses a forged CDR or session update without credentials with the same 401 for a real call and a made-up one, and changes nothing", async ({ expect }) => {
    const f = await createRoutingFixture();
    const real = await ringingCall(f);
    const before = await callState(f, real);
    const madeUp = newCallId();
    const answers = [];
    for (const [path, body] of [
      ["/cdr", forgedCdr],
      ["/session-update", forgedUpdate],
    ] as const) {
      const known = await send(`${BASE}${path}`, callbackInit(body(f, real)));
      const unknown = await send(`${BASE}${path}`, callbackInit(body(f, madeUp)));
      expect(refusal(known)).toEqual({ status: 401, code: "UNAUTHORIZED", message: expect.any(String), hasRequestId: true });
      expect(refusal(unknown)).toEqual(refusal(known));
      answers.push(known);
    }
    expect(answers[0]!.body.error.message).toBe(answers[1]!.body.error.message);
    expect(await callState(f, real)).toEqual(before);
    expect(before?.state).toBe("ringing");
    // The made-up call left nothing behind either.
    expect(await stub(f, madeUp).snapshot()).toBeNull();
  });

  it("refuses a wrong or foreign callback token the same way, whether or not the call exists", async ({ expect }) => {
    const [f, other] = await Promise.all([createRoutingFixture(), createRoutingFixture()]);
    const real = await ringingCall(f);
    const before = await callState(f, real);
    for (const token of ["cxcb_wrong", other.callbackToken, `${f.callbackToken}x`]) {
      const known = await send(callbackUrl(f, "cdr", token), callbackInit(forgedCdr(f, real)));
      const unknown = await send(callbackUrl(f, "cdr", token), callbackInit(forgedCdr(f, newCallId())));
      expect(refusal(known).status).toBe(401);
      expect(refusal(unknown)).toEqual(refusal(known));
    }
    // A right token beside a wrong key is refused too: every credential presented must be right.
    const wrongKey = await send(callbackUrl(f, "session-update"), webhookInit({ requestKey: "cxrk_nope" }, forgedUpdate(f, real)));
    expect(wrongKey.status).toBe(401);
    expect(await callState(f, real)).toEqual(before);
  });

  it("accepts a session update and a CDR at the callback URL without Authorization, and on the plain paths with the key", async ({ expect }) => {
    const f = await createRoutingFixture();
    const viaUrl = await ringingCall(f);
    const viaKey = await ringingCall(f);
    const connected = await send(callbackUrl(f, "session-update"), callbackInit({ token: viaUrl, status: "connected", domain: f.domain }));
    expect(connected).toEqual({ status: 200, body: { ok: true, state: "connected", applied: true } });
    const cdr = await send(callbackUrl(f, "cdr"), callbackInit({ domain: f.domain, session: { token: viaUrl }, disposition: "ANSWER", duration: 1, billsec: 0 }));
    expect(cdr).toEqual({ status: 200, body: { ok: true, state: "completed", applied: true } });
    const keyed = await send(`${BASE}/session-update`, webhookInit(f, { token: viaKey, status: "busy", domain: f.domain }));
    expect(keyed).toEqual({ status: 200, body: { ok: true, state: "failed", applied: true } });
    const keyedCdr = await send(`${BASE}/cdr`, webhookInit(f, { domain: f.domain, session: { token: viaKey }, disposition: "BUSY", duration: 1, billsec: 0 }));
    expect(keyedCdr.body).toEqual({ ok: true, state: "failed", applied: true });
    // Authenticated, a call the tenant does not have is still a 404.
    const unknown = await send(callbackUrl(f, "cdr"), callbackInit({ domain: f.domain, session: { token: newCallId() }, disposition: "ANSWER" }));
    expect([unknown.status, unknown.body.error.code]).toEqual([404, "UNKNOWN_CALL"]);
  });
});

describe("rotating the callback URLs", () => {
  it("keeps the previous URLs working for the grace period and refuses them after it", async ({ expect }) => {
    const f = await createRoutingFixture();
    const admin = await login(f.adminEmail, f.adminPassword);
    const rotated = await call(admin, "POST", "/api/tenant/callback-token", { graceSeconds: 2 });
    expect(rotated.status).toBe(200);
    expect(rotated.headers.get("cache-control")).toBe("no-store");
    expect(Date.parse(rotated.body.previousTokenValidUntil) - Date.parse(rotated.body.rotatedAt)).toBe(2_000);
    const newToken = /\/api\/webhooks\/c\/([^/]+)\/cdr$/.exec(rotated.body.callbackUrls.cdr)![1]!;
    expect(rotated.body.callbackUrls).toEqual({ sessionUpdate: `https://router.test/api/webhooks/c/${newToken}/session-update`, cdr: `https://router.test/api/webhooks/c/${newToken}/cdr` });
    expect(newToken).not.toBe(f.callbackToken);

    const ring = (token: string, callId: string) => send(callbackUrl(f, "session-update", token), callbackInit({ token: callId, status: "ringing", domain: f.domain }));
    const callId = await ringingCall(f);
    expect((await ring(f.callbackToken, callId)).status).toBe(200);
    expect((await ring(newToken, callId)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect((await ring(f.callbackToken, callId)).status).toBe(401);
    expect((await ring(newToken, callId)).status).toBe(200);

    // Stored encrypted and hashed, never in the clear; the audit log says it changed, not what to.
    const [row] = await withDb((db) => db.select().from(tenants).where(eq(tenants.id, f.tenantId)));
    expect(row!.callbackTokenEnc).not.toContain(newToken);
    expect(await decryptSecret(row!.callbackTokenEnc!, env.ENCRYPTION_KEY)).toBe(newToken);
    expect(await verifyRequestKey(newToken, row!.callbackTokenHash!)).toBe(true);
    const audit = await call(admin, "GET", `/api/audit-log?entityType=tenant&entityId=${f.tenantId}`);
    const entry = audit.body.items.find((item: any) => item.action === "tenant.callback_token_rotated");
    expect(entry).toBeDefined();
    expect(JSON.stringify(audit.body)).not.toContain(newToken);
    expect(JSON.stringify(audit.body)).not.toContain(f.callbackToken);
  });

  it("revokes the previous URLs at once with graceSeconds 0", async ({ expect }) => {
    const f = await createRoutingFixture();
    const admin = await login(f.adminEmail, f.adminPassword);
    const rotated = await call(admin, "POST", "/api/tenant/callback-token", { graceSeconds: 0 });
    expect(rotated.body.previousTokenValidUntil).toBeNull();
    const callId = await ringingCall(f);
    const old = await send(callbackUrl(f, "cdr"), callbackInit({ domain: f.domain, session: { token: callId }, disposition: "NOANSWER" }));
    expect(old.status).toBe(401);
    const fresh = await send(rotated.body.callbackUrls.cdr, callbackInit({ domain: f.domain, session: { token: callId }, disposition: "NOANSWER" }));
    expect(fresh.body).toEqual({ ok: true, state: "failed", applied: true });
  });

  it("is admin-only, and only admins see the URLs; everyone sees whether they exist", async ({ expect }) => {
    const t = await createTenantFixture("cb");
    const before = await t.asAdmin("GET", "/api/tenant");
    expect(before.body).toMatchObject({ hasCallbackToken: false, callbackTokenRotatedAt: null, callbackUrls: null });
    const refused = await t.asViewer("POST", "/api/tenant/callback-token", {});
    expect([refused.status, refused.body.error.code]).toEqual([403, "FORBIDDEN"]);
    const [unchanged] = await withDb((db) =>
      db
        .select()
        .from(tenants)
        .where(and(eq(tenants.id, t.tenantId))),
    );
    expect(unchanged!.callbackTokenHash).toBeNull();

    const rotated = await t.asAdmin("POST", "/api/tenant/callback-token");
    expect(rotated.status).toBe(200);
    const asAdmin = await t.asAdmin("GET", "/api/tenant");
    expect(asAdmin.body).toMatchObject({ hasCallbackToken: true, callbackTokenRotatedAt: rotated.body.rotatedAt, callbackUrls: rotated.body.callbackUrls });
    const asViewer = await t.asViewer("GET", "/api/tenant");
    expect(asViewer.body).toMatchObject({ hasCallbackToken: true, callbackTokenRotatedAt: rotated.body.rotatedAt, callbackUrls: null });
    const token = /\/c\/([^/]+)\/cdr$/.exec(rotated.body.callbackUrls.cdr)![1]!;
    expect(JSON.stringify(asViewer.body)).not.toContain(token);
  });

  it("refuses a grace period over 7 days and unknown fields", async ({ expect }) => {
    const t = await createTenantFixture("cb");
    const tooLong = await t.asAdmin("POST", "/api/tenant/callback-token", { graceSeconds: 8 * 86_400 });
    expect([tooLong.status, tooLong.body.error.details[0].path]).toEqual([400, "graceSeconds"]);
    const unknown = await t.asAdmin("POST", "/api/tenant/callback-token", { token: "mine" });
    expect(unknown.status).toBe(400);
  });
});
