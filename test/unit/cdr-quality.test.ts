import { describe, it } from "vitest";
import { amdOf, cdrQuality, costOf, numberOf, recordingUrlOf, textOf } from "../../workers/webhooks/cdr-quality";
import { cdrInput, CdrSchema, parseLifecycle } from "../../workers/webhooks/lifecycle-params";

const parse = (raw: Record<string, unknown>) => cdrInput(parseLifecycle(CdrSchema, { call_id: "c1", disposition: "ANSWER", ...raw }, "CDR"));

describe("cdrQuality", () => {
  it("reads a real-shaped CDR: qos from session.profile, costs, amd, recording, trunk and route", ({ expect }) => {
    const input = parse({
      rated_cost: "0.0123",
      approx_cost: 0.02,
      sell_cost: 0.05,
      recording_url: "https://recordings.cloudonix.example/r/abc.wav",
      cx_trunk_id: 4711,
      route: "carrier-eu-1",
      subscriber: { id: 12, msisdn: "1004" },
      application: { name: "router", id: 3 },
      session: { token: "tok", profile: { qos: { rx_mos: "4.31", tx_mos: 3.9, jitter: "12.5", loss: 0.4 }, amd: { result: "HUMAN", confidence: 0.9 } } },
    });
    expect(input.quality).toEqual({
      mosRx: 4.31,
      mosTx: 3.9,
      jitterMs: 12.5,
      packetLossPct: 0.4,
      ratedCost: 0.0123,
      sellCost: 0.05,
      amdResult: "HUMAN",
      recordingUrl: "https://recordings.cloudonix.example/r/abc.wav",
      cxTrunkId: "4711",
      cxRoute: "carrier-eu-1",
    });
  });

  it("accepts the other spellings: mos, rx_jitter / jitter_ms, packet_loss / rx_loss, an amd string or status", ({ expect }) => {
    expect(cdrQuality({ profile: { qos: { mos: 3.2, rx_jitter: 7, packet_loss: "1.5" }, amd: "MACHINE" } })).toEqual({ mosRx: 3.2, jitterMs: 7, packetLossPct: 1.5, amdResult: "MACHINE" });
    expect(cdrQuality({ profile: { qos: { jitter_ms: "0", rx_loss: 0 }, amd: { status: "NOTSURE" } } })).toEqual({ jitterMs: 0, packetLossPct: 0, amdResult: "NOTSURE" });
    // rated_cost first; approx_cost only without it.
    expect(cdrQuality({ approx_cost: "0.75" })).toEqual({ ratedCost: 0.75 });
    expect(cdrQuality({ rated_cost: 0, approx_cost: 1 })).toEqual({ ratedCost: 0 });
  });

  it("takes nulls and garbage as not reported, and the CDR still parses", ({ expect }) => {
    const nulls = parse({ rated_cost: null, approx_cost: null, sell_cost: null, recording_url: null, cx_trunk_id: null, route: null, subscriber: null, application: null, session: { token: "t", profile: null } });
    expect(nulls.quality).toBeUndefined();
    const garbage = parse({
      rated_cost: "free",
      sell_cost: -3,
      recording_url: "javascript:alert(1)",
      cx_trunk_id: { nested: true },
      route: ["a"],
      session: { token: "t", profile: { qos: { rx_mos: 7, tx_mos: 0.5, jitter: -1, loss: "lots" }, amd: 42 } },
    });
    // A number is still readable text for AMD; everything else is dropped.
    expect(garbage.quality).toEqual({ amdResult: "42" });
    expect(parse({ session: { token: "t", profile: { qos: "good" } } }).quality).toBeUndefined();
    expect(garbage).toMatchObject({ status: "completed", answered: true });
  });

  it("bounds MOS to 1..5, loss to 0..100, costs to the column (6 decimals), and refuses non-finite numbers", ({ expect }) => {
    expect(cdrQuality({ profile: { qos: { rx_mos: 1, tx_mos: 5, loss: 100 } } })).toEqual({ mosRx: 1, mosTx: 5, packetLossPct: 100 });
    expect(cdrQuality({ profile: { qos: { rx_mos: 0.99, tx_mos: 5.01, loss: 100.1, jitter: "Infinity" } } })).toBeUndefined();
    expect(costOf("0.12345678")).toBe(0.123457);
    expect(costOf(1e9)).toBeUndefined();
    expect(costOf(Number.NaN)).toBeUndefined();
    expect(numberOf(" 2.5 ")).toBe(2.5);
    expect(numberOf("1e3")).toBe(1000);
    expect(numberOf("")).toBeUndefined();
    expect(numberOf("0x10")).toBeUndefined();
    expect(numberOf(true)).toBeUndefined();
  });

  it("keeps a recording URL only when it is http(s) and fits its column", ({ expect }) => {
    expect(recordingUrlOf("http://rec.example/1.mp3")).toBe("http://rec.example/1.mp3");
    expect(recordingUrlOf(" https://rec.example/2.mp3 ")).toBe("https://rec.example/2.mp3");
    expect(recordingUrlOf("ftp://rec.example/1.mp3")).toBeUndefined();
    expect(recordingUrlOf("/relative/path.wav")).toBeUndefined();
    expect(recordingUrlOf(`https://rec.example/${"a".repeat(1_010)}`)).toBeUndefined();
    expect(recordingUrlOf(42)).toBeUndefined();
  });

  it("caps text to its column and drops empty text", ({ expect }) => {
    expect(textOf("x".repeat(300), 200)).toHaveLength(200);
    expect(textOf("   ", 10)).toBeUndefined();
    expect(cdrQuality({ route: { name: "r".repeat(250) }, cx_trunk_id: "t".repeat(80) })).toEqual({ cxRoute: "r".repeat(200), cxTrunkId: "t".repeat(64) });
    expect(amdOf({ result: "M".repeat(50) })).toHaveLength(40);
    // Never cut inside a surrogate pair.
    expect(textOf(`${"a".repeat(39)}😀`, 40)).toBe("a".repeat(39));
  });
});
