import { exports } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, it } from "vitest";
import { callRecords } from "../../workers/db/schema";
import { eventually, withDb } from "./helpers/db";
import { call as api, login } from "./helpers/fixtures";
import { callbackInit, callbackUrl, createRoutingFixture, voiceBody, webhookInit, type RoutingFixture } from "./helpers/routing-fixture";

const VOICE = "https://router.test/api/webhooks/voice-application";

async function route(f: RoutingFixture): Promise<string> {
  const body = voiceBody(f);
  const res = await exports.default.fetch(VOICE, webhookInit(f, body));
  if (res.status !== 200) throw new Error(`not routed: ${res.status} ${await res.text()}`);
  return body.Session;
}

async function sendCdr(f: RoutingFixture, body: unknown) {
  const res = await exports.default.fetch(callbackUrl(f, "cdr"), callbackInit(body));
  return { status: res.status, body: await res.json<any>() };
}

async function storedAfterCdr(f: RoutingFixture, callId: string) {
  return eventually(
    async () => {
      const [row] = await withDb((db) =>
        db
          .select()
          .from(callRecords)
          .where(and(eq(callRecords.tenantId, f.tenantId), eq(callRecords.callId, callId))),
      );
      return row?.disposition ? row : null;
    },
    15_000,
    "the CDR's record",
  );
}

/** A CDR as Cloudonix posts it to the callback URL (values invented, shape real). */
function realCdr(f: RoutingFixture, token: string, extra: Record<string, unknown>, profile: unknown) {
  return {
    call_id: `${token}@10.0.0.1`,
    domain: f.domain,
    disposition: "ANSWER",
    duration: 3,
    billsec: 2,
    timestamp: Math.floor(Date.now() / 1000),
    subscriber: null,
    application: { id: 12, name: "router" },
    owner: { domain: { name: f.domain, uuid: null } },
    session: { token, id: 77001, callStartTime: Date.now() - 3_000, callAnswerTime: null, callEndTime: null, profile },
    ...extra,
  };
}

describe("a CDR's quality, cost, AMD, recording and route", () => {
  it("are stored in the call record exactly as reported and shown by the records API", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    const token = await route(f);
    const cdr = realCdr(
      f,
      token,
      { rated_cost: "0.012345", approx_cost: 0.02, sell_cost: 0.0375, recording_url: "https://recordings.cloudonix.example/r/abc.mp3", cx_trunk_id: 4711, route: "eu-carrier-1" },
      { qos: { rx_mos: "4.32", tx_mos: 3.87, jitter: "12.5", loss: 0.75 }, amd: { result: "HUMAN", confidence: 0.93 }, "trunk-sip-headers": null },
    );
    const answer = await sendCdr(f, cdr);
    expect(answer).toMatchObject({ status: 200, body: { ok: true, applied: true } });
    const row = await storedAfterCdr(f, token);
    expect(row).toMatchObject({
      mosRx: 4.32,
      mosTx: 3.87,
      jitterMs: 12.5,
      packetLossPct: 0.75,
      ratedCost: 0.012345,
      sellCost: 0.0375,
      amdResult: "HUMAN",
      recordingUrl: "https://recordings.cloudonix.example/r/abc.mp3",
      cxTrunkId: "4711",
      cxRoute: "eu-carrier-1",
      billableSec: 2,
    });
    const admin = await login(f.adminEmail, f.adminPassword);
    const detail = await api(admin, "GET", `/api/call-records/${row.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.quality).toEqual({ mosRx: 4.32, mosTx: 3.87, jitterMs: 12.5, packetLossPct: 0.75 });
    expect(detail.body.cost).toEqual({ rated: 0.012345, sell: 0.0375, ratedPerMinute: 0.37035, sellPerMinute: 1.125 });
    expect(detail.body).toMatchObject({ amdResult: "HUMAN", recordingUrl: "https://recordings.cloudonix.example/r/abc.mp3", cxTrunkId: "4711", cxRoute: "eu-carrier-1" });
  });

  it("take nulls and garbage as not reported: the CDR is accepted and the columns stay NULL", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    const withNulls = await route(f);
    const nulls = realCdr(f, withNulls, { rated_cost: null, approx_cost: null, sell_cost: null, recording_url: null, cx_trunk_id: null, route: null }, { qos: null, amd: null });
    expect(await sendCdr(f, nulls)).toMatchObject({ status: 200, body: { ok: true, applied: true } });
    const withGarbage = await route(f);
    const garbage = realCdr(
      f,
      withGarbage,
      { rated_cost: "n/a", approx_cost: -1, sell_cost: "1e99", recording_url: "javascript:alert(1)", cx_trunk_id: { id: 1 }, route: [1, 2] },
      { qos: { rx_mos: 9, tx_mos: "bad", jitter: -4, loss: 250 }, amd: { confidence: 1 } },
    );
    expect(await sendCdr(f, garbage)).toMatchObject({ status: 200, body: { ok: true, applied: true } });
    for (const token of [withNulls, withGarbage]) {
      const row = await storedAfterCdr(f, token);
      expect(row).toMatchObject({ disposition: "ANSWER", mosRx: null, mosTx: null, jitterMs: null, packetLossPct: null, ratedCost: null, sellCost: null, amdResult: null, recordingUrl: null, cxTrunkId: null, cxRoute: null });
    }
    const admin = await login(f.adminEmail, f.adminPassword);
    const row = await storedAfterCdr(f, withGarbage);
    const detail = await api(admin, "GET", `/api/call-records/${row.id}`);
    expect(detail.body).toMatchObject({ quality: { mosRx: null, mosTx: null, jitterMs: null, packetLossPct: null }, cost: { rated: null, sell: null, ratedPerMinute: null, sellPerMinute: null }, amdResult: null, recordingUrl: null });
  });
});
