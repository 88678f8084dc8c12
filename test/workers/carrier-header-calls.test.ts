import { exports } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, it } from "vitest";
import { callRecords, inboundRoutingRules, tenants } from "../../workers/db/schema";
import { conditionKey } from "../../workers/domain/carrier-headers";
import { newId } from "../../workers/lib/ids";
import { markTenantChanged } from "./helpers/config";
import { eventually, withDb } from "./helpers/db";
import { call, login } from "./helpers/fixtures";
import { createRoutingFixture, newCallId, type RoutingFixture } from "./helpers/routing-fixture";

/*
 * Real-shaped Cloudonix voice requests carrying the carrier's SIP headers of a trunk-inbound
 * call (SessionData.profile["trunk-sip-headers"]; values invented): the routing-number header,
 * rules that require a header value, malformed SessionData, explain, and the stored record.
 */

const VOICE = "https://router.test/api/webhooks/voice-application";
const DNID = "18005550123";
const TO = "18005550199";

/** A trunk-inbound call as Cloudonix sends it; `profile` replaces SessionData.profile, `sessionData` the whole of it. */
function trunkCall(f: RoutingFixture, options: { headers?: unknown; sessionData?: unknown } = {}) {
  const session = newCallId();
  const profile = { "trunk-sip-headers": options.headers ?? null, "inbound-trunk-name": "carrier-a", "inbound-trunk-id": 380 };
  return {
    ApiVersion: "1",
    CallStatus: "in-progress",
    CallSid: session,
    Session: session,
    From: "14155550100",
    To: TO,
    CallerName: "Alice",
    Direction: "inbound",
    Domain: f.domain,
    AccountSid: f.domain,
    SessionData: "sessionData" in options ? options.sessionData : { id: 123, domainId: 7, token: session, callerId: "14155550100", destination: TO, status: "new", callStartTime: Date.now() - 100, profile },
  };
}

async function route(f: RoutingFixture, body: ReturnType<typeof trunkCall>): Promise<string> {
  const res = await exports.default.fetch(VOICE, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${f.requestKey}`, "X-CX-Source": "TRUNK" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`expected 200, got ${res.status}: ${text}`);
  return text;
}

/**
 * Agents 0, 1 and 2 answer: the number originally dialled (DNID), To, and To for tenant 42
 * (a rule requiring X-Tenant: 42). The fixture's group rule keeps 1900*.
 */
async function tenantWithHeaderRules(routingNumberHeader: string | null) {
  const f = await createRoutingFixture({ agentCount: 3, pattern: "1900*" });
  const rule = (pattern: string, agent: number, header: { name: string; value: string } | null = null) => ({
    id: newId("irl"),
    tenantId: f.tenantId,
    name: `${pattern} ${header ? "tenant 42" : ""}`,
    pattern,
    matchType: "exact" as const,
    targetType: "agent" as const,
    targetId: f.agents[agent]!.id,
    headerName: header?.name ?? null,
    headerValue: header?.value ?? null,
    conditionKey: conditionKey(header),
  });
  await withDb(async (db) => {
    await db.insert(inboundRoutingRules).values([rule(DNID, 0), rule(TO, 1), rule(TO, 2, { name: "X-Tenant", value: "42" })]);
    await db.update(tenants).set({ routingNumberHeader }).where(eq(tenants.id, f.tenantId));
  });
  await markTenantChanged(f.tenantId);
  return f;
}

const dialled = (f: RoutingFixture, xml: string) => f.agents.findIndex((a) => xml.includes(`>${a.serviceValue}</Service>`));

describe("a tenant routing by the A2B-DNID header", () => {
  it("matches A2B-DNID when the call carries it, else To (header absent, null, not a number, or no SessionData)", async ({ expect }) => {
    const f = await tenantWithHeaderRules("A2B-DNID");
    expect(dialled(f, await route(f, trunkCall(f, { headers: { "A2B-DNID": DNID, "A2B-CLID": "14155550100", CID: "x", "Correlation-Id": "c-1" } })))).toBe(0);
    expect(dialled(f, await route(f, trunkCall(f, { headers: { "a2b-dnid": `+${DNID}` } })))).toBe(0);
    expect(dialled(f, await route(f, trunkCall(f, { headers: { "A2B-CLID": "14155550100" } })))).toBe(1);
    expect(dialled(f, await route(f, trunkCall(f, { headers: { "A2B-DNID": null } })))).toBe(1);
    expect(dialled(f, await route(f, trunkCall(f, { headers: { "A2B-DNID": "anonymous" } })))).toBe(1);
    expect(dialled(f, await route(f, trunkCall(f, { sessionData: null })))).toBe(1);
  });

  it("ignores A2B-DNID for tenants that do not route by it", async ({ expect }) => {
    const f = await tenantWithHeaderRules(null);
    expect(dialled(f, await route(f, trunkCall(f, { headers: { "A2B-DNID": DNID } })))).toBe(1);
  });
});

describe("an inbound rule requiring X-Tenant: 42", () => {
  it("takes the calls carrying it and is skipped, with the reason recorded, for the others", async ({ expect }) => {
    const f = await tenantWithHeaderRules(null);
    expect(dialled(f, await route(f, trunkCall(f, { headers: { "X-Tenant": "42" } })))).toBe(2);
    expect(dialled(f, await route(f, trunkCall(f, { headers: { "x-tenant": "42" } })))).toBe(2);
    expect(dialled(f, await route(f, trunkCall(f, { headers: { "X-Tenant": "43" } })))).toBe(1);
    const other = trunkCall(f, { headers: { CID: "x" } });
    expect(dialled(f, await route(f, other))).toBe(1);

    const row = await eventually(
      async () => {
        const [r] = await withDb((db) =>
          db
            .select()
            .from(callRecords)
            .where(and(eq(callRecords.tenantId, f.tenantId), eq(callRecords.callId, other.Session))),
        );
        return r;
      },
      15_000,
      "the call record",
    );
    const trace = row.decision as { rulesTried: { result: string; detail?: string }[] };
    expect(trace.rulesTried).toContainEqual(expect.objectContaining({ result: "header_not_matched", detail: "header X-Tenant is not 42" }));
  });
});

describe("malformed SessionData never refuses the call", () => {
  it.for([
    ["SessionData null", { sessionData: null }],
    ["SessionData a string", { sessionData: "trunk-sip-headers" }],
    ["SessionData an array", { sessionData: [{ profile: {} }] }],
    ["profile a string", { sessionData: { id: "x", profile: "X-Tenant: 42" } }],
    ["headers an array", { headers: [["X-Tenant", "42"]] }],
    ["headers a string", { headers: "X-Tenant: 42" }],
    ["headers with non-string values", { headers: { "X-Tenant": 42, "A2B-DNID": { n: DNID }, CID: ["x"] } }],
  ] as const)("%s: routed by To", async ([, options], { expect }) => {
    const f = await tenantWithHeaderRules("A2B-DNID");
    expect(dialled(f, await route(f, trunkCall(f, options)))).toBe(1);
  });

  it("takes the first 50 usable headers of a huge header object (as large as a webhook body may be) and still routes", async ({ expect }) => {
    const f = await tenantWithHeaderRules("A2B-DNID");
    // 5,000 headers fill most of the 64 KiB a webhook body may be; X-Tenant comes after the 50 kept.
    const headers: Record<string, string> = {};
    for (let i = 0; i < 5_000; i++) headers[`H${i}`] = "v";
    headers["X-Tenant"] = "42";
    const body = trunkCall(f, { headers });
    expect(JSON.stringify(body).length).toBeGreaterThan(50_000);
    // Tenant 42's rule does not take it: X-Tenant was past the 50 headers kept.
    expect(dialled(f, await route(f, body))).toBe(1);
    const row = await eventually(
      async () => {
        const [r] = await withDb((db) =>
          db
            .select()
            .from(callRecords)
            .where(and(eq(callRecords.tenantId, f.tenantId), eq(callRecords.callId, body.Session))),
        );
        return r;
      },
      15_000,
      "the call record",
    );
    expect(Object.keys(row.carrierHeaders!)).toEqual(Array.from({ length: 50 }, (_, i) => `H${i}`));
  });
});

describe("explain and the stored record", () => {
  it("explain with the call's headers gives the real call's decision, and the record keeps the headers", async ({ expect }) => {
    const f = await tenantWithHeaderRules("A2B-DNID");
    const token = await login(f.adminEmail, f.adminPassword);
    for (const headers of [{ "A2B-DNID": DNID, "X-Tenant": "42" }, { "X-Tenant": "42" }, { "X-Tenant": "7" }]) {
      const explained = await call(token, "POST", "/api/routing/explain", { from: "14155550100", to: TO, headers });
      expect(explained.status).toBe(200);
      const xml = await route(f, trunkCall(f, { headers }));
      expect(explained.body.decision.agent.id, JSON.stringify(headers)).toBe(f.agents[dialled(f, xml)]!.id);
    }

    const headers = { "A2B-DNID": DNID, "A2B-CLID": "14155550100", "Correlation-Id": "c-42", Ignored: 7 };
    const body = trunkCall(f, { headers });
    await route(f, body);
    const row = await eventually(
      async () => {
        const [r] = await withDb((db) =>
          db
            .select()
            .from(callRecords)
            .where(and(eq(callRecords.tenantId, f.tenantId), eq(callRecords.callId, body.Session))),
        );
        return r;
      },
      15_000,
      "the call record",
    );
    const expected = { "A2B-DNID": DNID, "A2B-CLID": "14155550100", "Correlation-Id": "c-42" };
    expect(row.carrierHeaders).toEqual(expected);
    const detail = await call(token, "GET", `/api/call-records/${row.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.carrierHeaders).toEqual(expected);
    expect(detail.body.routing.routingNumber).toMatchObject({ source: "header", number: DNID, header: "A2B-DNID" });

    // A call without headers has none in its record.
    const plain = trunkCall(f, { sessionData: null });
    await route(f, plain);
    const plainRow = await eventually(
      async () => {
        const [r] = await withDb((db) =>
          db
            .select()
            .from(callRecords)
            .where(and(eq(callRecords.tenantId, f.tenantId), eq(callRecords.callId, plain.Session))),
        );
        return r;
      },
      15_000,
      "the call record",
    );
    expect(plainRow.carrierHeaders).toBeNull();
    expect((await call(token, "GET", `/api/call-records/${plainRow.id}`)).body.carrierHeaders).toBeNull();
  });
});
