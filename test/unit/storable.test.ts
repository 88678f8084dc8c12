import { describe, expect, it } from "vitest";
import { cappedText, DEPTH_MARKER, jsonNestsDeeperThan, storableJson, storableJsonText, wellFormed } from "../../workers/lib/storable";
import { REDACTED, storedRequest, storedResponse, STORED_BODY_CHARS } from "../../workers/webhooks/stored-request";

describe("storable text", () => {
  it("replaces lone surrogates, keeps pairs, strips NUL", () => {
    expect(wellFormed("a\udfffb\ud800")).toBe("a\ufffdb\ufffd");
    expect(wellFormed("😀\u0000x")).toBe("😀x");
  });

  it("caps without cutting a surrogate pair, and says it cut", () => {
    expect(cappedText("ab😀", 3)).toEqual({ text: "ab", truncated: true });
    expect(cappedText("ab😀", 4)).toEqual({ text: "ab😀", truncated: false });
  });
});

describe("storable JSON", () => {
  it("bounds depth with a marker and cleans keys and strings", () => {
    let deep: unknown = "\udc00";
    for (let i = 0; i < 40; i++) deep = { "k\u0000": deep };
    const copy = storableJson(deep, 4) as Record<string, Record<string, Record<string, Record<string, unknown>>>>;
    expect(copy.k!.k!.k!.k).toBe(DEPTH_MARKER);
    expect(storableJson({ s: "\ud800" })).toEqual({ s: "\ufffd" });
  });

  it("turns what JSON.stringify refuses into text: cycles, BigInt, non-finite numbers", () => {
    const cyclic: Record<string, unknown> = { n: 1n, inf: Infinity };
    cyclic.me = cyclic;
    expect(JSON.parse(storableJsonText(cyclic, 1_000).text)).toEqual({ n: "1", inf: null, me: null });
  });

  it("counts nesting without parsing, ignoring brackets inside strings", () => {
    expect(jsonNestsDeeperThan(`${'{"a":'.repeat(33)}1${"}".repeat(33)}`, 32)).toBe(true);
    expect(jsonNestsDeeperThan(`${'{"a":'.repeat(32)}1${"}".repeat(32)}`, 32)).toBe(false);
    expect(jsonNestsDeeperThan(JSON.stringify({ s: '[[[[[[[[[[\\"{{{{{{' }), 2)).toBe(false);
  });
});

describe("what a delivery keeps of its request", () => {
  it("redacts secret-looking fields in the query and the body, and Dial passwords in our answer", () => {
    const kept = storedRequest({ query: "attempt=1&api_key=XI123&password=p", body: '{"From":"1","apiKey":"XI9","nested":{"Cloudonix-Signature":"sig"}}' });
    expect(kept.query).toBe(`attempt=1&api_key=${REDACTED}&password=${REDACTED}`);
    expect(JSON.parse(kept.body)).toEqual({ From: "1", apiKey: REDACTED, nested: { "Cloudonix-Signature": REDACTED } });
    expect(storedResponse('<Service provider="retell" username="u" password="s3cret">1</Service>')).toBe(`<Service provider="retell" username="u" password="${REDACTED}">1</Service>`);
  });

  it("caps a long body and marks it cut", () => {
    const kept = storedRequest({ query: "", body: "x".repeat(STORED_BODY_CHARS + 10) });
    expect(kept).toMatchObject({ truncated: true });
    expect(kept.body).toHaveLength(STORED_BODY_CHARS);
  });
});
