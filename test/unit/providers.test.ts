import { describe, it } from "vitest";
import { PROVIDERS, canonicalProviderId, cxmlProviderId, normaliseServiceValue, validateServiceValue } from "../../workers/domain/providers";

describe("the provider catalog", () => {
  it("lists every Cloudonix service-provider id once, lower-case, with a name and help", ({ expect }) => {
    const ids = PROVIDERS.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of [
      "retell",
      "retell-udp",
      "retell-tcp",
      "retell-tls",
      "vapi",
      "vapi-udp",
      "vapi-noproxy",
      "elevenlabs",
      "synthflow",
      "dasha",
      "superdash.ai",
      "ultravox",
      "deepvox",
      "deepvox-sandbox",
      "relayhawk",
      "voicehub",
      "fonio",
      "sigmamind",
      "modon",
      "modon-sandbox",
      "puretalk",
      "puretalk-tcp",
      "millis-us",
      "millis-eu",
      "rapida",
      "smallest",
      "call2me",
      "call2me-tcp",
      "call2me-tls",
      "revring",
      "x",
      "openai",
      "vogent",
      "omnidim.im",
      "ringg",
      "ringg-tcp",
      "ringg-tls",
      "vomyra",
      "telnyx",
      "telnyx-udp",
      "telnyx-tcp",
      "telnyx-tls",
    ]) {
      expect(ids).toContain(id);
    }
    // The 42 services, then the three kinds that are not a Cloudonix service.
    expect(ids).toHaveLength(45);
    expect(PROVIDERS.filter((p) => p.kind !== "service").map((p) => [p.id, p.kind, p.valueKind])).toEqual([
      ["sip", "sip", "sip_uri"],
      ["websocket", "stream", "wss_url"],
      ["phone", "number", "phone"],
    ]);
    for (const p of PROVIDERS) {
      expect(p.id).toBe(p.id.toLowerCase());
      expect(p.name.length).toBeGreaterThan(0);
      expect(p.help.length).toBeGreaterThan(10);
    }
    expect(ids).not.toContain("11labs");
  });

  it.for([
    ["retell", "retell"],
    ["Retell", "retell"],
    [" VAPI ", "vapi"],
    ["11labs", "elevenlabs"],
    ["11Labs", "elevenlabs"],
    ["elevenlabs", "elevenlabs"],
    ["superdash.ai", "superdash.ai"],
    ["twilio", null],
    ["", null],
    ["retell-", null],
  ] as const)("canonicalProviderId(%j) is %j", ([input, expected], { expect }) => {
    expect(canonicalProviderId(input)).toBe(expected);
  });

  it.for([
    ["11LABS", "elevenlabs"],
    ["xai", "x"],
    [" Deepvox ", "deepvox"],
    ["Brand-New", "brand-new"],
  ] as const)("cxmlProviderId(%j) is %j: aliases resolved, unknown ids passed on lower-cased", ([input, expected], { expect }) => {
    expect(cxmlProviderId(input)).toBe(expected);
  });

  it.for([
    ["+12125550123", "+12125550123"],
    ["12125550123", "+12125550123"],
    ["+1 (212) 555-0123", "+12125550123"],
    ["+44 20 7123 4567", "+442071234567"],
    ["0044 20 7123 4567", "+442071234567"],
  ] as const)("normalises the E.164 number %j", ([input, expected], { expect }) => {
    expect(normaliseServiceValue("retell", input)).toEqual({ ok: true, value: expected });
  });

  it.for(["+0123456789", "+12", "sip:agent@example.com", "+1234567890123456", "call me", ""])("explains why %j is not a number", (input, { expect }) => {
    expect(validateServiceValue("vapi", input)).toMatch(/E\.164/);
  });

  it("names an unknown provider", ({ expect }) => {
    expect(validateServiceValue("nope", "+12125550123")).toMatch(/unknown provider "nope"/);
    expect(validateServiceValue("11labs", "+12125550123")).toBeNull();
  });
});
