import { describe, it } from "vitest";
import { escapeXml, hangupCxml, rejectCxml, renderCxml, type CxmlVerb, type RejectReason } from "../../workers/domain/cxml";
import { elementsOf, parseXml, textOf } from "./helpers/xml";

const DECL = '<?xml version="1.0" encoding="UTF-8"?>';

describe("renderCxml", () => {
  it("renders a Dial to an AI agent with failover action and headers, attributes in a fixed order", ({ expect }) => {
    const xml = renderCxml([
      {
        verb: "Dial",
        // Deliberately listed out of order: the output order must not depend on it.
        attrs: { timeout: 25, method: "POST", action: "https://router.example.com/cx/dial-result?attempt=1", callerId: "+14155550100" },
        nouns: [
          { noun: "Header", name: "X-Tenant-Id", value: "42" },
          { noun: "Service", provider: "retell", number: "+12125550123" },
        ],
      },
    ]);
    expect(xml).toBe(
      `${DECL}<Response><Dial action="https://router.example.com/cx/dial-result?attempt=1" method="POST" callerId="+14155550100" timeout="25"><Header name="X-Tenant-Id" value="42"/><Service provider="retell">+12125550123</Service></Dial></Response>`,
    );
  });

  it("renders every Dial attribute, in the documented order", ({ expect }) => {
    const xml = renderCxml([
      {
        verb: "Dial",
        attrs: {
          record: "record-from-answer",
          timeLimit: 3600,
          trunks: "carrier-a",
          timeout: 45,
          callerName: "Acme",
          callerId: "+14155550100",
          method: "GET",
          action: "https://r.example/a",
        },
        nouns: [{ noun: "Number", number: "+442071234567" }],
      },
    ]);
    expect(xml).toBe(`${DECL}<Response><Dial action="https://r.example/a" method="GET" callerId="+14155550100" callerName="Acme" timeout="45" trunks="carrier-a" timeLimit="3600" record="record-from-answer"><Number>+442071234567</Number></Dial></Response>`);
  });

  it("omits undefined attributes and stringifies booleans", ({ expect }) => {
    expect(renderCxml([{ verb: "Dial", attrs: { record: true, callerId: undefined }, nouns: [{ noun: "Number", number: "1004" }] }])).toBe(`${DECL}<Response><Dial record="true"><Number>1004</Number></Dial></Response>`);
    expect(renderCxml([{ verb: "Dial", nouns: [{ noun: "Number", number: "1004" }] }])).toBe(`${DECL}<Response><Dial><Number>1004</Number></Dial></Response>`);
  });

  it("renders Service credentials and Sip with credentials", ({ expect }) => {
    const xml = renderCxml([
      {
        verb: "Dial",
        nouns: [
          { noun: "Service", provider: "VAPI", number: "+15550001111", username: "u", password: "p" },
          { noun: "Sip", uri: "sip:agent_abc@sip.agent.example;transport=tls", username: "su", password: "sp" },
        ],
      },
    ]);
    expect(xml).toBe(`${DECL}<Response><Dial><Service provider="vapi" username="u" password="p">+15550001111</Service><Sip username="su" password="sp">sip:agent_abc@sip.agent.example;transport=tls</Sip></Dial></Response>`);
  });

  it.for([
    ["11Labs", "elevenlabs"],
    ["xAI", "x"],
    [" Retell ", "retell"],
    ["Not-Yet-Listed", "not-yet-listed"],
  ] as const)("emits provider %j as Cloudonix's id %j", ([provider, expected], { expect }) => {
    expect(renderCxml([{ verb: "Dial", nouns: [{ noun: "Service", provider, number: "+1" }] }])).toContain(`<Service provider="${expected}">+1</Service>`);
  });

  it("renders the other verbs", ({ expect }) => {
    const xml = renderCxml([
      { verb: "Say", text: "All agents are busy.", voice: "woman", language: "en-US", loop: 2 },
      { verb: "Pause", length: 1 },
      { verb: "Pause" },
      { verb: "Redirect", url: "https://r.example/next?a=1&b=2", method: "POST" },
      { verb: "Reject", reason: "busy" },
      { verb: "Reject" },
      { verb: "Hangup" },
    ]);
    expect(xml).toBe(
      `${DECL}<Response><Say voice="woman" language="en-US" loop="2">All agents are busy.</Say><Pause length="1"/><Pause/><Redirect method="POST">https://r.example/next?a=1&amp;b=2</Redirect><Reject reason="busy"/><Reject/><Hangup/></Response>`,
    );
  });

  it("renders an empty response", ({ expect }) => {
    expect(renderCxml([])).toBe(`${DECL}<Response></Response>`);
  });

  it("is one line and starts with the XML declaration", ({ expect }) => {
    const xml = renderCxml([{ verb: "Say", text: "line one\nline two\r\n\tend" }, { verb: "Hangup" }]);
    expect(xml.startsWith(DECL)).toBe(true);
    expect(xml).not.toMatch(/[\r\n]/);
    // Each tab or line break becomes one space.
    expect(xml).toContain("<Say>line one line two   end</Say>");
  });

  it("refuses Header names that do not start with X- or are not SIP tokens", ({ expect }) => {
    for (const name of ["Tenant", "x-lower", "X-", "X-Bad: injected", "X-A\r\nVia", "P-Asserted-Identity"]) {
      expect(() => renderCxml([{ verb: "Dial", nouns: [{ noun: "Header", name, value: "v" }] }])).toThrow(/must be "X-"/);
    }
  });

  it("refuses numbers that are not finite", ({ expect }) => {
    expect(() => renderCxml([{ verb: "Pause", length: Number.NaN }])).toThrow(RangeError);
    expect(() => renderCxml([{ verb: "Say", text: "x", loop: Infinity }])).toThrow(RangeError);
  });
});

describe("CXML escaping", () => {
  const hostile = [
    '"><Hangup/>',
    "'><Hangup/><x a='",
    "</Number></Dial><Dial><Number>+19005551234</Number></Dial><Dial><Number>",
    "&amp; &lt; & <![CDATA[x]]> <!-- c --> <?pi?>",
    "nul\u0000 bell\u0007 esc\u001b del\u007f c1\u0085 fffe\uFFFE lone\uD800 low\uDC00 end",
    "emoji 🙂 and é and 中文",
  ];

  it.for(hostile)("keeps %j inside the value it was put in", (value, { expect }) => {
    const xml = renderCxml([
      {
        verb: "Dial",
        attrs: { callerId: value, callerName: value, action: `https://r.example/cb?from=${value}` },
        nouns: [
          { noun: "Header", name: "X-From", value },
          { noun: "Number", number: value },
        ],
      },
      { verb: "Say", text: value, voice: value },
    ]);
    const { declaration, root } = parseXml(xml);
    expect(declaration).toBe(DECL);
    expect(root.name).toBe("Response");
    const verbs = elementsOf(root);
    expect(verbs.map((v) => v.name)).toEqual(["Dial", "Say"]);
    const [dial, say] = verbs;
    if (!dial || !say) throw new Error("missing verbs");
    expect(elementsOf(dial).map((n) => n.name)).toEqual(["Header", "Number"]);

    // What the parser reads back is the value minus only the characters XML cannot carry.
    const carried = value
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters XML cannot carry, as cxml.ts removes them.
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/g, "")
      .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "");
    expect(dial.attrs).toEqual({ action: `https://r.example/cb?from=${carried}`, callerId: carried, callerName: carried });
    const [header, number] = elementsOf(dial);
    expect(header?.attrs).toEqual({ name: "X-From", value: carried });
    expect(number && textOf(number)).toBe(carried);
    expect(say.attrs).toEqual({ voice: carried });
    expect(textOf(say)).toBe(carried);
  });

  it("escapes the five special characters", ({ expect }) => {
    expect(escapeXml(`a&b<c>d"e'f`)).toBe("a&amp;b&lt;c&gt;d&quot;e&apos;f");
  });

  it("removes control characters and characters XML 1.0 forbids, keeps valid astral ones", ({ expect }) => {
    expect(escapeXml("a\u0000b\u0001c\u001fd\u007fe\u0080f\u009fg")).toBe("abcdefg");
    expect(escapeXml("x\uFFFEy\uFFFFz")).toBe("xyz");
    expect(escapeXml("a\uD800b\uDFFFc")).toBe("abc");
    expect(escapeXml("🙂")).toBe("🙂");
    expect(escapeXml("a\tb\nc\rd")).toBe("a b c d");
  });

  it("returns clean strings unchanged", ({ expect }) => {
    const clean = "+14155550100 Alice Smith";
    expect(escapeXml(clean)).toBe(clean);
  });

  it("does not double-escape", ({ expect }) => {
    expect(escapeXml("&amp;")).toBe("&amp;amp;");
    const xml = renderCxml([{ verb: "Say", text: "&amp;" }]);
    expect(textOf(elementsOf(parseXml(xml).root)[0] ?? { name: "", attrs: {}, children: [] })).toBe("&amp;");
  });
});

describe("precomputed answers", () => {
  it("hangupCxml is the bare hang-up", ({ expect }) => {
    expect(hangupCxml).toBe(`${DECL}<Response><Hangup/></Response>`);
  });

  it.for([
    [undefined, `${DECL}<Response><Reject/></Response>`],
    ["rejected", `${DECL}<Response><Reject reason="rejected"/></Response>`],
    ["busy", `${DECL}<Response><Reject reason="busy"/></Response>`],
    ["congestion", `${DECL}<Response><Reject reason="congestion"/></Response>`],
    ["failed", `${DECL}<Response><Reject reason="failed"/></Response>`],
  ] as const)("rejectCxml(%s)", ([reason, expected], { expect }) => {
    expect(rejectCxml(reason)).toBe(expected);
    expect(rejectCxml(reason)).toBe(renderCxml([{ verb: "Reject", ...(reason ? { reason } : {}) }]));
  });

  it("falls back to a plain Reject for a reason that slipped past the types", ({ expect }) => {
    expect(rejectCxml("toString" as RejectReason)).toBe(`${DECL}<Response><Reject/></Response>`);
    expect(rejectCxml("nope" as RejectReason)).toBe(`${DECL}<Response><Reject/></Response>`);
  });
});

it("renders every verb well-formed (a type-complete sample parses)", ({ expect }) => {
  const all: CxmlVerb[] = [
    { verb: "Dial", attrs: { action: "a", method: "POST" }, nouns: [{ noun: "Sip", uri: "sip:x@y" }] },
    { verb: "Hangup" },
    { verb: "Reject", reason: "congestion" },
    { verb: "Say", text: "t" },
    { verb: "Pause", length: 3 },
    { verb: "Redirect", url: "https://x" },
  ];
  expect(elementsOf(parseXml(renderCxml(all)).root).map((e) => e.name)).toEqual(["Dial", "Hangup", "Reject", "Say", "Pause", "Redirect"]);
});
