import { describe, expect, it } from "vitest";
import { escapeLabelValue, MAX_LABEL_VALUE, renderMetrics } from "../../workers/metrics/prometheus";

/** A minimal reader of the text format, independent of the writer: name, labels (unescaped) and value per sample line. */
function parse(text: string): { name: string; labels: Record<string, string>; value: string }[] {
  const samples: { name: string; labels: Record<string, string>; value: string }[] = [];
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    const body = match[3] ?? "";
    const pair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/y;
    let at = 0;
    while (at < body.length) {
      pair.lastIndex = at;
      const m = pair.exec(body);
      if (!m) throw new Error(`bad labels: ${body}`);
      labels[m[1]!] = m[2]!.replace(/\\(.)/g, (_, ch: string) => (ch === "n" ? "\n" : ch));
      at = pair.lastIndex;
    }
    samples.push({ name: match[1]!, labels, value: match[4]! });
  }
  return samples;
}

describe("Prometheus text format", () => {
  it("writes HELP and TYPE once per family, then one line per sample", () => {
    const text = renderMetrics([
      { name: "cxlb_live_calls", help: "Calls live now", type: "gauge", samples: [{ value: 3 }] },
      { name: "cxlb_calls", help: "Calls by outcome", type: "gauge", samples: [{ labels: { outcome: "answered", agent: "Alice" }, value: 7 }] },
    ]);
    expect(text).toBe(["# HELP cxlb_live_calls Calls live now", "# TYPE cxlb_live_calls gauge", "cxlb_live_calls 3", "# HELP cxlb_calls Calls by outcome", "# TYPE cxlb_calls gauge", 'cxlb_calls{outcome="answered",agent="Alice"} 7', ""].join("\n"));
  });

  it("escapes hostile label values so they stay one value on one line", () => {
    const hostile = ['Al"ice', "back\\slash", 'two\nlines} 999\ncxlb_fake{x="y"} 1', "\r\n", 'end\\"', "emoji 🤖 ünïcode"];
    const text = renderMetrics([{ name: "cxlb_calls", help: "h", type: "gauge", samples: hostile.map((agent, i) => ({ labels: { agent }, value: i })) }]);
    const samples = parse(text);
    expect(samples).toHaveLength(hostile.length);
    expect(samples.every((s) => s.name === "cxlb_calls")).toBe(true);
    expect(samples.map((s) => s.labels.agent)).toEqual(hostile.map((h) => h.replace(/\r\n|\r/g, "\n")));
    expect(text.split("\n").filter((l) => l.startsWith("cxlb_fake"))).toEqual([]);
    expect(escapeLabelValue('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
  });

  it("escapes HELP text and bounds long values", () => {
    const text = renderMetrics([{ name: "x", help: "line\nbreak \\ here", type: "counter", samples: [{ labels: { agent: "x".repeat(1000) }, value: 1 }] }]);
    expect(text.split("\n")[0]).toBe("# HELP x line\\nbreak \\\\ here");
    expect(parse(text)[0]!.labels.agent).toHaveLength(MAX_LABEL_VALUE);
  });

  it("writes special values as the format names them and refuses bad names", () => {
    const text = renderMetrics([{ name: "v", help: "h", type: "gauge", samples: [{ value: Number.NaN }, { value: Number.POSITIVE_INFINITY }, { value: 0.25 }] }]);
    expect(parse(text).map((s) => s.value)).toEqual(["NaN", "+Inf", "0.25"]);
    expect(() => renderMetrics([{ name: "bad-name", help: "", type: "gauge", samples: [] }])).toThrow();
    expect(() => renderMetrics([{ name: "ok", help: "", type: "gauge", samples: [{ labels: { "bad-label": "x" }, value: 1 }] }])).toThrow();
    expect(() => renderMetrics([{ name: "ok", help: "", type: "gauge", samples: [{ labels: { __reserved: "x" }, value: 1 }] }])).toThrow();
  });
});
