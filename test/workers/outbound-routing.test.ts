import { exports } from "cloudflare:workers";
import { describe, it } from "vitest";
import { createOutboundFixture, voiceBody, webhookInit, type OutboundFixture } from "./helpers/routing-fixture";

const VOICE = "https://router.test/api/webhooks/voice-application";

async function call(f: OutboundFixture, overrides: Record<string, unknown>, url = VOICE) {
  const res = await exports.default.fetch(url, webhookInit(f, voiceBody(f, overrides)));
  return { status: res.status, xml: await res.text() };
}

const dial = (trunk: string, number: string, callerId?: string, attempt = 1) =>
  `<?xml version="1.0" encoding="UTF-8"?><Response><Dial action="https://router.test/api/webhooks/voice-application/dial-result?attempt=${attempt}" method="POST"${callerId ? ` callerId="${callerId}"` : ""} timeout="30" trunks="${trunk}"><Number>${number}</Number></Dial></Response>`;

describe("outbound routing through trunks", () => {
  it("routes a subscriber's call by the longest destination prefix", async ({ expect }) => {
    const f = await createOutboundFixture();
    expect((await call(f, { Direction: "subscriber", From: "1004", To: "+33612345678" })).xml).toBe(dial("carrier-a", "+33612345678", "1004"));
    expect((await call(f, { Direction: "subscriber", From: "1004", To: "442071234567" })).xml).toBe(dial("carrier-b", "+442071234567", "+15550000000"));
  });

  it("presents the caller's number in E.164 when the trunk has no override", async ({ expect }) => {
    const f = await createOutboundFixture();
    const res = await call(f, { Direction: "subscriber", From: "1 (212) 555-0001", To: "33612345678" });
    expect(res.xml).toBe(dial("carrier-a", "+33612345678", "+12125550001"));
  });

  it("treats a caller matching the tenant's outbound caller-ID patterns as outbound", async ({ expect }) => {
    const f = await createOutboundFixture();
    const res = await call(f, { Direction: "inbound", From: "+12125550001", To: "+33612345678" });
    expect(res.xml).toBe(dial("carrier-a", "+33612345678", "+12125550001"));
  });

  it("applies a rule's caller-ID patterns: only 1415* callers use the London rule", async ({ expect }) => {
    const f = await createOutboundFixture();
    const sf = await call(f, { Direction: "subscriber", From: "14155550100", To: "442071234567" });
    const other = await call(f, { Direction: "subscriber", From: "13125550100", To: "442071234567" });
    expect(sf.xml).toBe(dial("carrier-c", "+442071234567", "+14155550100"));
    expect(other.xml).toBe(dial("carrier-b", "+442071234567", "+15550000000"));
  });

  it("fails over to the rule's next trunk, then hangs up", async ({ expect }) => {
    const f = await createOutboundFixture();
    const body = voiceBody(f, { Direction: "subscriber", From: "1004", To: "447700900123" });
    const first = await exports.default.fetch(VOICE, webhookInit(f, body)).then((r) => r.text());
    const second = await exports.default.fetch(`${VOICE}/dial-result?attempt=1`, webhookInit(f, { ...body, DialCallStatus: "failed" })).then((r) => r.text());
    const last = await exports.default.fetch(`${VOICE}/dial-result?attempt=2`, webhookInit(f, { ...body, DialCallStatus: "busy" })).then((r) => r.text());
    expect(first).toBe(dial("carrier-b", "+447700900123", "+15550000000"));
    expect(second).toBe(dial("carrier-c", "+447700900123", "1004", 2));
    expect(last).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>');
  });

  it("uses the next matching rule when every trunk of the best one is disabled", async ({ expect }) => {
    const f = await createOutboundFixture();
    const { withDb } = await import("./helpers/db");
    const { markTenantChanged } = await import("./helpers/config");
    const schema = await import("../../workers/db/schema");
    const { inArray } = await import("drizzle-orm");
    await withDb((db) =>
      db
        .update(schema.trunks)
        .set({ enabled: false })
        .where(inArray(schema.trunks.id, [f.trunks["carrier-b"]!, f.trunks["carrier-c"]!])),
    );
    await markTenantChanged(f.tenantId);
    // The UK rule (carrier-b, carrier-c) cannot carry it; the catch-all (carrier-a) does.
    expect(await call(f, { Direction: "subscriber", From: "1004", To: "447700900123" })).toEqual({ status: 200, xml: dial("carrier-a", "+447700900123", "1004") });
  });

  it("rejects (so nothing is billed) when no outbound rule matches", async ({ expect }) => {
    const f = await createOutboundFixture();
    // Remove the catch-all by calling from a caller the London rule refuses, to a number only it would take.
    const { withDb } = await import("./helpers/db");
    const { markTenantChanged } = await import("./helpers/config");
    const schema = await import("../../workers/db/schema");
    const { eq, and } = await import("drizzle-orm");
    await withDb((db) => db.delete(schema.outboundRoutingRules).where(and(eq(schema.outboundRoutingRules.tenantId, f.tenantId), eq(schema.outboundRoutingRules.destinationPrefix, ""))));
    await markTenantChanged(f.tenantId);
    const res = await call(f, { Direction: "subscriber", From: "1004", To: "+33612345678" });
    expect(res).toEqual({ status: 200, xml: '<?xml version="1.0" encoding="UTF-8"?><Response><Reject reason="rejected"/></Response>' });
  });
});
