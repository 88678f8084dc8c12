import { describe, it } from "vitest";
import { dialCxml, type DialTarget } from "../../workers/routing/dial-cxml";
import { parseXml, type XmlElement } from "./helpers/xml";

const ACTION = "https://r.example/api/webhooks/voice-application/dial-result?attempt=1";
const none = { actionUrl: ACTION, timeLimitSec: null, context: [] };

function verbOf(xml: string, name = "Dial"): XmlElement {
  const verb = parseXml(xml).root.children[0];
  if (typeof verb !== "object" || verb.name !== name) throw new Error(`no <${name}> in ${xml}`);
  return verb;
}

const trunk = (number: string, name: string, callerId: string | null): DialTarget => ({ kind: "number", number, trunk: name, callerId });

describe("dialCxml: trunks (outbound calls)", () => {
  it("dials the destination as planned: an extension gets no + in front", ({ expect }) => {
    expect(verbOf(dialCxml(trunk("3000", "carrier-a", "1004"), none)).children).toEqual([{ name: "Number", attrs: {}, children: ["3000"] }]);
  });

  it("presents the caller ID given and names the trunk", ({ expect }) => {
    const dial = verbOf(dialCxml(trunk("+442071234567", "carrier-a", "+14155550100"), none));
    expect(dial.attrs).toMatchObject({ trunks: "carrier-a", callerId: "+14155550100", action: ACTION, method: "POST", timeout: "30" });
  });

  it("leaves callerId and trunks out when there are none", ({ expect }) => {
    const dial = verbOf(dialCxml({ kind: "number", number: "+4420", trunk: null }, none));
    expect(dial.attrs).not.toHaveProperty("callerId");
    expect(dial.attrs).not.toHaveProperty("trunks");
  });

  it("escapes a trunk name and caller ID that contain XML-special characters", ({ expect }) => {
    const name = `carrier "a" & <b>'s`;
    expect(verbOf(dialCxml(trunk("+4420", name, `<x&"y'>`), none)).attrs).toMatchObject({ trunks: name, callerId: `<x&"y'>` });
  });
});

describe("dialCxml: every kind of agent", () => {
  const context = [
    { name: "X-Caller", value: "+14155550100" },
    { name: "X-Note", value: `a "quoted" <value> & more` },
  ];

  it("a provider service: <Service provider> with its number, headers first", ({ expect }) => {
    const dial = verbOf(dialCxml({ kind: "service", provider: "11labs", number: "+12125550123", username: "u" }, { ...none, password: "p&w", context }));
    expect(dial.children).toEqual([
      { name: "Header", attrs: { name: "X-Caller", value: "+14155550100" }, children: [] },
      { name: "Header", attrs: { name: "X-Note", value: `a "quoted" <value> & more` }, children: [] },
      { name: "Service", attrs: { provider: "elevenlabs", username: "u", password: "p&w" }, children: ["+12125550123"] },
    ]);
  });

  it("a SIP URI: <Sip> with optional credentials", ({ expect }) => {
    const dial = verbOf(dialCxml({ kind: "sip", uri: "sip:agent_1@sip.example.com;transport=tls", username: null }, none));
    expect(dial.children).toEqual([{ name: "Sip", attrs: {}, children: ["sip:agent_1@sip.example.com;transport=tls"] }]);
    const withCredentials = verbOf(dialCxml({ kind: "sip", uri: "sip:a@b.example", username: "bob" }, { ...none, password: "s3cret" }));
    expect(withCredentials.children[0]).toMatchObject({ name: "Sip", attrs: { username: "bob", password: "s3cret" } });
  });

  it("a WebSocket agent: <Connect action><Stream url> with the context as <Parameter>s", ({ expect }) => {
    const connect = verbOf(dialCxml({ kind: "stream", url: "wss://agent.example.com/stream?x=1&y=2" }, { ...none, context }), "Connect");
    expect(connect.attrs).toEqual({ action: ACTION, method: "POST" });
    expect(connect.children).toEqual([
      {
        name: "Stream",
        attrs: { url: "wss://agent.example.com/stream?x=1&y=2" },
        children: [
          { name: "Parameter", attrs: { name: "X-Caller", value: "+14155550100" }, children: [] },
          { name: "Parameter", attrs: { name: "X-Note", value: `a "quoted" <value> & more` }, children: [] },
        ],
      },
    ]);
  });

  it("a phone number: <Number> through the agent's trunk, with the time limit", ({ expect }) => {
    const dial = verbOf(dialCxml({ kind: "number", number: "+12125550123", trunk: "pstn" }, { ...none, timeLimitSec: 600 }));
    expect(dial.attrs).toMatchObject({ trunks: "pstn", timeLimit: "600" });
    expect(dial.children).toEqual([{ name: "Number", attrs: {}, children: ["+12125550123"] }]);
  });

  it("never lets a stored value add verbs: the output stays one Dial", ({ expect }) => {
    const hostile = `"><Dial><Number>+1900</Number></Dial><x a="`;
    const xml = dialCxml({ kind: "sip", uri: hostile, username: hostile }, { ...none, context: [{ name: "X-A", value: hostile }] });
    const root = parseXml(xml).root;
    expect(root.children).toHaveLength(1);
    expect((root.children[0] as XmlElement).children.map((c) => (c as XmlElement).name)).toEqual(["Header", "Sip"]);
  });
});
