import { env, exports } from "cloudflare:workers";
import type { CallSession } from "../../durable-objects/call-session";
import { describe, it } from "vitest";
import { outboundRoutingRules, trunks } from "../../workers/db/schema";
import { newId } from "../../workers/lib/ids";
import { elementsOf, parseXml, type XmlElement } from "../unit/helpers/xml";
import { markTenantChanged } from "./helpers/config";
import { withDb } from "./helpers/db";
import { callbackInit, callbackUrl, createRoutingFixture, newCallId, voiceBody, webhookInit, type RoutingFixture } from "./helpers/routing-fixture";

/*
 * Requests shaped like the ones real Cloudonix deployments send (field for field; values
 * invented), not like the ones our own simulator writes.
 */

const VOICE = "https://router.test/api/webhooks/voice-application";

/** A registered endpoint (subscriber 1004) dialling `to`, as Cloudonix sends it. */
function subscriberRequest(f: RoutingFixture, to: string) {
  const session = newCallId();
  return {
    body: {
      ApiVersion: "1",
      CallSid: session,
      Session: session,
      From: "1004",
      To: to,
      CallStatus: "in-progress",
      Direction: "subscriber",
      Domain: f.domain,
      AccountSid: f.domain,
      ApplicationSid: "00000000-1111-2222-3333-444444444444",
      SessionData: {
        id: 48211,
        domainId: 7,
        token: session,
        callerId: "1004",
        destination: to,
        status: "new",
        callStartTime: Date.now() - 150,
        ringing: false,
        domainNameOrId: f.domain,
        outgoingSubscriberId: 991,
        callIds: [`${session}@10.0.0.1`],
        profile: { "subscriber-sip-headers": { "Cloudonix-Origin": "endpoint", CID: "1004" } },
      },
    },
    headers: { "X-CX-Source": "SUBSCRIBER", "X-CX-Domain": f.domain, "X-CX-Session": session, "User-Agent": "Cloudonix APP.Core/5.3.12" },
  };
}

async function route(f: RoutingFixture, request: ReturnType<typeof subscriberRequest>): Promise<XmlElement> {
  const res = await exports.default.fetch(VOICE, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${f.requestKey}`, ...request.headers },
    body: JSON.stringify(request.body),
  });
  if (res.status !== 200) throw new Error(`expected 200, got ${res.status}: ${await res.text()}`);
  const [dial] = elementsOf(parseXml(await res.text()).root);
  return dial!;
}

describe("a registered endpoint's call, as Cloudonix sends it", () => {
  async function tenantWithExtension() {
    const f = await createRoutingFixture({ agentCount: 2, pattern: "3000" });
    await withDb(async (db) => {
      const trunkId = newId("trk");
      await db.insert(trunks).values({ id: trunkId, tenantId: f.tenantId, name: "carrier-a" });
      await db.insert(outboundRoutingRules).values({ id: newId("orl"), tenantId: f.tenantId, name: "everything", destinationPrefix: "", trunkIds: [trunkId] });
    });
    await markTenantChanged(f.tenantId);
    return f;
  }

  it("to an extension an inbound rule names goes to that agent group, not out to the carrier", async ({ expect }) => {
    const f = await tenantWithExtension();
    const dial = await route(f, subscriberRequest(f, "3000"));
    expect(dial.name).toBe("Dial");
    expect(dial.attrs).not.toHaveProperty("trunks");
    const [service] = elementsOf(dial);
    expect(service!.name).toBe("Service");
    expect(f.agents.map((a) => a.serviceValue)).toContain(service!.children[0]);
  });

  it("to a number no inbound rule names goes out through the trunk, dialled as sent, with no + put in front", async ({ expect }) => {
    const f = await tenantWithExtension();
    const dial = await route(f, subscriberRequest(f, "3001"));
    expect(dial.attrs).toMatchObject({ trunks: "carrier-a", callerId: "1004" });
    expect(elementsOf(dial)[0]).toEqual({ name: "Number", attrs: {}, children: ["3001"] });
    const external = await route(f, subscriberRequest(f, "442071234567"));
    expect(elementsOf(external)[0]!.children).toEqual(["+442071234567"]);
  });
});

const stub = (f: RoutingFixture, callId: string) => env.CALL_SESSION.getByName(`${f.tenantId}:${callId}`) as DurableObjectStub<CallSession>;

/** A trunk call as Cloudonix sends it, nulls and SessionData included; routed and left ringing. */
async function ringing(f: RoutingFixture, sessionId: number, callStartTime = Date.now() - 800) {
  const base = voiceBody(f);
  const body = {
    ...base,
    CallerName: null,
    ApplicationSid: null,
    SessionData: { id: sessionId, domainId: 7, token: base.Session, status: "new", callStartTime, subscriberId: null, profile: { "trunk-sip-headers": null } },
  };
  const res = await exports.default.fetch(VOICE, webhookInit(f, body));
  expect200(res.status, await res.text());
  return body.Session;
}

function expect200(status: number, text: string) {
  if (status !== 200) throw new Error(`expected 200, got ${status}: ${text}`);
}

async function callback(f: RoutingFixture, kind: "session-update" | "cdr", body: unknown) {
  const res = await exports.default.fetch(callbackUrl(f, kind), callbackInit(body));
  return { status: res.status, body: (await res.json()) as any };
}

describe("lifecycle callbacks as Cloudonix sends them", () => {
  it("takes null where a value may be absent: the session update and CDR of an unanswered call", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    const token = await ringing(f, 9001);
    const update = await callback(f, "session-update", { id: 9001, token, domain: f.domain, status: "noanswer", callAnswerTime: null, answerTime: null, callEndTime: Date.now(), endTime: null, subscriberId: null, eventId: null, reason: null });
    expect(update).toMatchObject({ status: 200, body: { ok: true, state: "failed", applied: true } });
    const cdr = await callback(f, "cdr", {
      domain: f.domain,
      disposition: "NOANSWER",
      duration: null,
      billsec: 0,
      timestamp: Math.floor(Date.now() / 1000),
      cx_trunk_id: null,
      route: null,
      rated_cost: null,
      session: { token, id: 9001, callStartTime: null, callAnswerTime: null, callEndTime: null },
      owner: { domain: { name: f.domain, uuid: null } },
    });
    expect(cdr).toMatchObject({ status: 200, body: { ok: true, applied: true } });
    const { record } = (await stub(f, token).snapshot())!;
    expect(record).toMatchObject({ disposition: "NOANSWER", answeredAt: null, durationSec: 0 });
  });

  it("reads a CDR's timestamp as epoch seconds: a CDR alone ends the call at that time, not in 1970", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    const token = await ringing(f, 9002);
    const endSeconds = Math.floor(Date.now() / 1000);
    const cdr = await callback(f, "cdr", { domain: f.domain, disposition: "BUSY", duration: null, billsec: null, timestamp: endSeconds, session: { token, callAnswerTime: null } });
    expect(cdr.status).toBe(200);
    const { record } = (await stub(f, token).snapshot())!;
    expect(record.endedAt).toBe(endSeconds * 1000);
    expect(record.flags ?? []).toEqual([]);
  });

  it("flags a CDR time far in the future and keeps its own", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    const token = await ringing(f, 9003);
    // A millisecond value sent where seconds belong: read as seconds it is tens of thousands of years away.
    const sent = Date.now();
    const cdr = await callback(f, "cdr", { domain: f.domain, disposition: "FAILED", timestamp: sent, session: { token } });
    expect(cdr.status).toBe(200);
    const { record } = (await stub(f, token).snapshot())!;
    expect(record.endedAt).toBeLessThanOrEqual(Date.now());
    expect(record.flags).toEqual([expect.objectContaining({ field: "endedAt", reported: sent * 1000 })]);
  });

  it("matches a session update that names the call only by Cloudonix's numeric session id", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    const token = await ringing(f, 9004 + Math.floor(Math.random() * 1e6));
    const { record: before } = (await stub(f, token).snapshot())!;
    const sessionId = before.cxSessionId!;
    const update = await callback(f, "session-update", { id: String(sessionId), domain: f.domain, status: "answer", callAnswerTime: Date.now() });
    expect(update).toMatchObject({ status: 200, body: { state: "connected", applied: true } });
    const unknown = await callback(f, "session-update", { id: 1, domain: f.domain, status: "answer" });
    expect(unknown.status).toBe(404);
  });

  it("applies a repeated session event (same eventId) once", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    const token = await ringing(f, 9005);
    const event = { token, domain: f.domain, status: "answer", eventId: "ev-1" };
    expect((await callback(f, "session-update", event)).body).toMatchObject({ applied: true, state: "connected" });
    // The same event again, whatever it now says, is a redelivery.
    expect((await callback(f, "session-update", { ...event, status: "completed" })).body).toMatchObject({ applied: false, state: "connected" });
    expect((await callback(f, "session-update", { ...event, status: "completed", eventId: "ev-2" })).body).toMatchObject({ applied: true, state: "completed" });
  });

  it("keeps SessionData.callStartTime as the call's start, and flags one that cannot be true", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    const started = Date.now() - 1_500;
    const token = await ringing(f, 9006, started);
    expect((await stub(f, token).snapshot())!.record.startedAt).toBe(started);
    const odd = await ringing(f, 9007, Date.now() - 3 * 3_600_000);
    const { record } = (await stub(f, odd).snapshot())!;
    expect(record.startedAt).toBeGreaterThan(Date.now() - 60_000);
    expect(record.flags).toEqual([expect.objectContaining({ field: "startedAt" })]);
  });
});
