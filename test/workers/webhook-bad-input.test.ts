import { env, exports } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, it } from "vitest";
import { trunks, voiceAgents } from "../../workers/db/schema";
import { encryptSecret } from "../../workers/lib/secrets";
import { elementsOf, parseXml, textOf, type XmlElement } from "../unit/helpers/xml";
import { markTenantChanged } from "./helpers/config";
import { withDb } from "./helpers/db";
import { createOutboundFixture, createRoutingFixture, voiceBody, webhookInit, type RoutingFixture } from "./helpers/routing-fixture";

const VOICE = "https://router.test/api/webhooks/voice-application";
const HANGUP = '<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>';
const REJECT = '<?xml version="1.0" encoding="UTF-8"?><Response><Reject reason="rejected"/></Response>';

let fixturePromise: Promise<RoutingFixture> | undefined;
const fixture = () => (fixturePromise ??= createRoutingFixture());

async function send(init: RequestInit, url = VOICE) {
  const res = await exports.default.fetch(url, init);
  return { status: res.status, type: res.headers.get("content-type"), code: res.headers.get("x-error-code"), message: res.headers.get("x-error-message"), xml: await res.text() };
}

/** The call's parameters in the query string, as Cloudonix sends them to a GET application. */
function getInit(f: Pick<RoutingFixture, "requestKey">, params: Record<string, unknown>): [RequestInit, string] {
  const query = new URLSearchParams(Object.entries(params).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])));
  return [{ method: "GET", headers: { Authorization: `Bearer ${f.requestKey}` } }, `${VOICE}?${query}`];
}

/** The single <Dial> of a well-formed CXML answer (parseXml throws on anything malformed). */
function dialOf(xml: string): XmlElement {
  const { root } = parseXml(xml);
  const [dial, ...rest] = elementsOf(root);
  if (root.name !== "Response" || dial?.name !== "Dial" || rest.length) throw new Error(`expected <Response><Dial/></Response>, got ${xml}`);
  return dial;
}

const HOSTILE = `&<>"' &amp; ]]> <!-- x`;

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

  it.for([
    ["no From", (f: RoutingFixture) => voiceBody(f, { From: undefined }), /^From: is required/],
    ["no To", (f: RoutingFixture) => voiceBody(f, { To: undefined }), /^To: is required/],
    ["an empty To", (f: RoutingFixture) => voiceBody(f, { To: "" }), /^To: must not be empty/],
  ] as const)("refuses a request with %s with 400 naming the parameter", async ([, build, message], { expect }) => {
    const f = await fixture();
    const res = await send(webhookInit(f, build(f)));
    expect([res.status, res.code, res.xml]).toEqual([400, "INVALID_PARAMETERS", HANGUP]);
    expect(res.message).toMatch(message);
  });

  it("routes a withheld caller (an empty From)", async ({ expect }) => {
    const f = await fixture();
    const res = await send(webhookInit(f, voiceBody(f, { From: "" })));
    expect(res.status).toBe(200);
    expect(dialOf(res.xml).attrs.action).toContain("dial-result");
  });

  it("finds the tenant by AccountSid alone, and by the X-CX-Domain header alone", async ({ expect }) => {
    const f = await fixture();
    const byAccountSid = await send(webhookInit(f, voiceBody(f, { Domain: undefined, AccountSid: f.domain })));
    const byHeader = await send(webhookInit(f, voiceBody(f, { Domain: undefined, AccountSid: undefined }), { "X-CX-Domain": f.domain }));
    for (const res of [byAccountSid, byHeader]) {
      expect(res.status).toBe(200);
      expect(f.agents.map((a) => a.serviceValue)).toContain(textOf(elementsOf(dialOf(res.xml))[0]!));
    }
    // The header names a tenant only when the body does not: a wrong body domain is not rescued by it.
    const conflicting = await send(webhookInit(f, voiceBody(f, { Domain: "nobody.example", AccountSid: undefined }), { "X-CX-Domain": f.domain }));
    expect([conflicting.status, conflicting.code]).toEqual([404, "UNKNOWN_DOMAIN"]);
  });

  it("refuses bad input sent over GET, in the query string, the same way", async ({ expect }) => {
    const f = await fixture();
    const ok = await send(...getInit(f, voiceBody(f)));
    expect(ok.status).toBe(200);
    expect(dialOf(ok.xml).attrs.action).toContain("dial-result");
    for (const [params, status, code] of [
      [voiceBody(f, { Session: undefined, CallSid: undefined }), 400, "INVALID_PARAMETERS"],
      [voiceBody(f, { To: "1".repeat(500) }), 400, "INVALID_PARAMETERS"],
      [voiceBody(f, { From: undefined }), 400, "INVALID_PARAMETERS"],
      [voiceBody(f, { Domain: undefined, AccountSid: undefined }), 400, "DOMAIN_REQUIRED"],
      [voiceBody(f, { Domain: "nobody.example", AccountSid: undefined }), 404, "UNKNOWN_DOMAIN"],
    ] as const) {
      const res = await send(...getInit(f, params));
      expect([res.status, res.code, res.type]).toEqual([status, code, "application/xml; charset=utf-8"]);
      expect(res.xml).toBe(status === 404 ? REJECT : HANGUP);
    }
    const [init, url] = getInit(f, voiceBody(f));
    const unauthenticated = await send({ ...init, headers: {} }, url);
    expect([unauthenticated.status, unauthenticated.xml]).toEqual([401, REJECT]);
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

  it("escapes a hostile caller number where it is rendered (an outbound callerId) and never lets it add verbs", async ({ expect }) => {
    const f = await createOutboundFixture();
    const From = '"><Hangup/><Dial>+666</Dial>';
    const res = await send(webhookInit(f, voiceBody(f, { Direction: "subscriber", From, CallerName: "</Response>\u0000💥", To: "+33612345678" })));
    expect(res.status).toBe(200);
    const dial = dialOf(res.xml);
    expect(dial.attrs).toMatchObject({ trunks: "carrier-a", callerId: From });
    expect(elementsOf(dial).map((e) => [e.name, textOf(e)])).toEqual([["Number", "+33612345678"]]);
  });

  it("escapes XML-special characters in an agent's number, username and password, end to end", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 2, pattern: "*" });
    const agents = [
      { id: f.agents[0]!.id, serviceValue: `+1212${HOSTILE}`, username: `u${HOSTILE}`, password: `p${HOSTILE}` },
      { id: f.agents[1]!.id, serviceValue: `sip:a${HOSTILE}@sip.example;x="<&>"`, username: `su${HOSTILE}`, password: `sp${HOSTILE}` },
    ];
    await withDb(async (db) => {
      for (const a of agents) {
        await db
          .update(voiceAgents)
          // The second is a SIP agent: its kind (from the provider) makes it a <Sip>.
          .set({ ...(a.serviceValue.startsWith("sip:") ? { provider: "sip" } : {}), serviceValue: a.serviceValue, username: a.username, passwordEnc: await encryptSecret(a.password, env.ENCRYPTION_KEY) })
          .where(eq(voiceAgents.id, a.id));
      }
    });
    await markTenantChanged(f.tenantId);
    // Round robin: two calls dial both agents, one by <Service>, one by <Sip>.
    const nouns = [];
    for (let i = 0; i < 2; i++) {
      const res = await send(webhookInit(f, voiceBody(f)));
      expect(res.status).toBe(200);
      nouns.push(...elementsOf(dialOf(res.xml)));
    }
    const service = nouns.find((n) => n.name === "Service");
    const sip = nouns.find((n) => n.name === "Sip");
    expect(service?.attrs).toEqual({ provider: "retell", username: agents[0]!.username, password: agents[0]!.password });
    expect(textOf(service!)).toBe(agents[0]!.serviceValue);
    expect(sip?.attrs).toEqual({ username: agents[1]!.username, password: agents[1]!.password });
    expect(textOf(sip!)).toBe(agents[1]!.serviceValue);
  });

  it("escapes XML-special characters in a trunk's name, end to end", async ({ expect }) => {
    const f = await createOutboundFixture();
    const name = `carrier "a" ${HOSTILE}`;
    await withDb((db) => db.update(trunks).set({ name }).where(eq(trunks.id, f.trunks["carrier-a"]!)));
    await markTenantChanged(f.tenantId);
    const res = await send(webhookInit(f, voiceBody(f, { Direction: "subscriber", From: "1004", To: "+33612345678" })));
    expect(res.status).toBe(200);
    expect(dialOf(res.xml).attrs).toMatchObject({ trunks: name, callerId: "1004" });
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
