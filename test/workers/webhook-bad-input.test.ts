import { exports } from "cloudflare:workers";
import { describe, it } from "vitest";
import { createRoutingFixture, voiceBody, webhookInit, type RoutingFixture } from "./helpers/routing-fixture";

const VOICE = "https://router.test/api/webhooks/voice-application";
const HANGUP = '<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>';
const REJECT = '<?xml version="1.0" encoding="UTF-8"?><Response><Reject reason="rejected"/></Response>';

let fixturePromise: Promise<RoutingFixture> | undefined;
const fixture = () => (fixturePromise ??= createRoutingFixture());

async function send(init: RequestInit, url = VOICE) {
  const res = await exports.default.fetch(url, init);
  return { status: res.status, type: res.headers.get("content-type"), code: res.headers.get("x-error-code"), xml: await res.text() };
}

describe("the voice webhook refuses bad input with CXML and a 4xx, never a 5xx", () => {
  it.for([
    ["no Session or CallSid", (f: RoutingFixture) => ({ ...voiceBody(f), Session: undefined, CallSid: undefined }), 400, "INVALID_PARAMETERS"],
    ["From as an object", (f: RoutingFixture) => voiceBody(f, { From: { nested: true } }), 400, "INVALID_PARAMETERS"],
    ["To as an array", (f: RoutingFixture) => voiceBody(f, { To: ["+1800"] }), 400, "INVALID_PARAMETERS"],
    ["a 10,000-character number", (f: RoutingFixture) => voiceBody(f, { To: "1".repeat(10_000) }), 400, "INVALID_PARAMETERS"],
    ["Session as null", (f: RoutingFixture) => voiceBody(f, { Session: null, CallSid: null }), 400, "INVALID_PARAMETERS"],
    ["no Domain at all", (f: RoutingFixture) => voiceBody(f, { Domain: undefined, AccountSid: undefined }), 400, "DOMAIN_REQUIRED"],
    ["an unknown domain", (f: RoutingFixture) => voiceBody(f, { Domain: "nobody.example", AccountSid: undefined }), 404, "UNKNOWN_DOMAIN"],
  ] as const)("%s", async ([, build, status, code], { expect }) => {
    const f = await fixture();
    const res = await send(webhookInit(f, build(f)));
    expect(res.status).toBe(status);
    expect(res.code).toBe(code);
    expect(res.type).toContain("application/xml");
    expect(res.xml).toBe(status === 404 ? REJECT : HANGUP);
  });

  it("rejects a missing or wrong request key with 401 and <Reject>", async ({ expect }) => {
    const f = await fixture();
    const missing = await send({ method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(voiceBody(f)) });
    const wrong = await send(webhookInit({ requestKey: "cxrk_wrong" }, voiceBody(f)));
    const otherScheme = await send(webhookInit(f, voiceBody(f), { Authorization: `Basic ${btoa("a:b")}` }));
    for (const res of [missing, wrong, otherScheme]) {
      expect(res.status).toBe(401);
      expect(res.xml).toBe(REJECT);
    }
  });

  it("refuses malformed JSON, a JSON array and a wrong content type", async ({ expect }) => {
    const f = await fixture();
    const auth = { Authorization: `Bearer ${f.requestKey}` };
    const malformed = await send({ method: "POST", headers: { ...auth, "Content-Type": "application/json" }, body: '{"Session": "abc",' });
    const array = await send({ method: "POST", headers: { ...auth, "Content-Type": "application/json" }, body: "[1,2]" });
    const xmlBody = await send({ method: "POST", headers: { ...auth, "Content-Type": "text/xml" }, body: "<x/>" });
    expect([malformed.status, malformed.code]).toEqual([400, "MALFORMED_JSON"]);
    expect([array.status, array.code]).toEqual([400, "INVALID_BODY"]);
    expect([xmlBody.status, xmlBody.code]).toEqual([415, "UNSUPPORTED_MEDIA_TYPE"]);
    for (const res of [malformed, array, xmlBody]) expect(res.xml).toBe(HANGUP);
  });

  it("refuses bodies over 64 KiB with 413, whether or not Content-Length says so", async ({ expect }) => {
    const f = await fixture();
    const big = JSON.stringify(voiceBody(f, { Padding: "x".repeat(70 * 1024) }));
    const declared = await send(webhookInit(f, JSON.parse(big)));
    const streamed = await send({
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${f.requestKey}` },
      body: new Blob([big]).stream(),
      // @ts-expect-error workerd needs duplex for a streamed request body
      duplex: "half",
    });
    for (const res of [declared, streamed]) {
      expect(res.status).toBe(413);
      expect(res.code).toBe("PAYLOAD_TOO_LARGE");
      expect(res.xml).toBe(HANGUP);
    }
  });

  it("escapes hostile caller data and never lets it add verbs", async ({ expect }) => {
    const f = await createRoutingFixture({ pattern: "*" });
    const res = await send(webhookInit(f, voiceBody(f, { From: '"><Hangup/><Dial>+666</Dial>', CallerName: "</Response>\u0000💥", To: "1800' OR 1=1 --" })));
    expect(res.status).toBe(200);
    expect(res.xml.match(/<Dial /g)).toHaveLength(1);
    expect(res.xml).not.toContain("+666<");
  });

  it("routes numbers with unicode digits and separators without failing", async ({ expect }) => {
    const f = await fixture();
    for (const To of ["+1 (800) 555-0199", "١٨٠٠٥٥٥", "+1800😀"]) {
      const res = await send(webhookInit(f, voiceBody(f, { To })));
      expect(res.status).toBe(200);
      expect(res.xml.startsWith('<?xml version="1.0" encoding="UTF-8"?><Response>')).toBe(true);
    }
  });

  it("requires ?attempt on dial results", async ({ expect }) => {
    const f = await fixture();
    const res = await send(webhookInit(f, voiceBody(f, { DialCallStatus: "busy" })), `${VOICE}/dial-result`);
    expect([res.status, res.code, res.xml]).toEqual([400, "INVALID_PARAMETERS", HANGUP]);
  });
});
