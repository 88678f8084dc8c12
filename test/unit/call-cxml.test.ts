import { describe, it } from "vitest";
import { trunkDialCxml } from "../../durable-objects/logic/call-cxml";
import { parseXml } from "./helpers/xml";

const ACTION = "https://r.example/api/webhooks/voice-application/dial-result?attempt=1";

function dialOf(xml: string) {
  const dial = parseXml(xml).root.children[0];
  if (typeof dial !== "object" || dial.name !== "Dial") throw new Error(`no <Dial> in ${xml}`);
  return dial;
}

describe("trunkDialCxml", () => {
  it("dials the destination as planned: an extension gets no + in front", ({ expect }) => {
    const dial = dialOf(trunkDialCxml({ destination: "3000", callerId: "1004" }, { id: "t", name: "carrier-a", callerIdOverride: null }, ACTION));
    expect(dial.children).toEqual([{ name: "Number", attrs: {}, children: ["3000"] }]);
  });

  it("presents the caller's number when the trunk has no override", ({ expect }) => {
    const dial = dialOf(trunkDialCxml({ destination: "+442071234567", callerId: "+14155550100" }, { id: "t", name: "carrier-a", callerIdOverride: null }, ACTION));
    expect(dial.attrs).toMatchObject({ trunks: "carrier-a", callerId: "+14155550100", action: ACTION });
    expect(dial.children).toEqual([{ name: "Number", attrs: {}, children: ["+442071234567"] }]);
  });

  it("prefers the trunk's override", ({ expect }) => {
    const dial = dialOf(trunkDialCxml({ destination: "+4420", callerId: "+14155550100" }, { id: "t", name: "carrier-b", callerIdOverride: "+15550000000" }, ACTION));
    expect(dial.attrs.callerId).toBe("+15550000000");
  });

  it("leaves callerId out when there is no number to present", ({ expect }) => {
    expect(dialOf(trunkDialCxml({ destination: "+4420", callerId: null }, { id: "t", name: "c", callerIdOverride: null }, ACTION)).attrs).not.toHaveProperty("callerId");
  });

  it("escapes a trunk name and caller ID that contain XML-special characters", ({ expect }) => {
    const name = `carrier "a" & <b>'s`;
    const dial = dialOf(trunkDialCxml({ destination: "+4420", callerId: `<x&"y'>` }, { id: "t", name, callerIdOverride: null }, ACTION));
    expect(dial.attrs).toMatchObject({ trunks: name, callerId: `<x&"y'>` });
  });
});
