import { describe, it } from "vitest";
import { findInboundConflict, findOutboundConflict, type InboundRuleRef, type OutboundRuleRef } from "../../workers/domain/rule-conflicts";

let seq = 0;
const rule = (pattern: string, enabled = true): InboundRuleRef => ({
  id: `irl_${String(++seq).padStart(4, "0")}`,
  name: `rule ${pattern}`,
  pattern,
  matchType: pattern.endsWith("*") ? "prefix" : "exact",
  enabled,
});
const children = (digits: string) => [..."0123456789"].map((d) => rule(`${digits}${d}*`));

describe("inbound conflicts", () => {
  it("finds a duplicate pattern, enabled or not", ({ expect }) => {
    const existing = rule("1555*", false);
    expect(findInboundConflict(rule("1555*"), [existing])).toMatchObject({ kind: "duplicate", rule: existing });
  });

  it.for([
    ["an exact rule next to a prefix with the same digits", "1555", ["1555*"]],
    ["a longer prefix under a shorter one", "15551*", ["1555*"]],
    ["a shorter prefix over longer ones", "1*", ["1555*", "1666*"]],
    ["a prefix with an exact rule for its own digits only", "1555*", ["1555"]],
    ["the catch-all", "*", ["1555*", "1555", ...children("1555").map((r) => r.pattern)]],
  ] as const)("accepts %s", ([, candidate, others], { expect }) => {
    expect(
      findInboundConflict(
        rule(candidate),
        others.map((p) => rule(p)),
      ),
    ).toBeNull();
  });

  it("refuses a prefix rule whose every number is taken by more specific rules, naming them", ({ expect }) => {
    const exact = rule("1555");
    const conflict = findInboundConflict(rule("1555*"), [exact, ...children("1555")]);
    expect(conflict?.kind).toBe("shadowed");
    expect(conflict?.rule).toBe(exact);
    expect(conflict?.coveredBy).toHaveLength(11);
  });

  it("follows the cover through deeper exact rules", ({ expect }) => {
    const others = [rule("1555"), ...children("1555").slice(1), rule("15550"), ...children("15550")];
    expect(findInboundConflict(rule("1555*"), others)?.kind).toBe("shadowed");
    expect(
      findInboundConflict(
        rule("1555*"),
        others.filter((r) => r.pattern !== "155509*"),
      ),
    ).toBeNull();
  });

  it("ignores disabled rules on both sides", ({ expect }) => {
    const others = [rule("1555", false), ...children("1555")];
    expect(findInboundConflict(rule("1555*"), others)).toBeNull();
    expect(findInboundConflict(rule("1555*", false), [rule("1555"), ...children("1555")])).toBeNull();
  });

  it("refuses the rule that would complete the cover of a broader one, naming the broader rule", ({ expect }) => {
    const broad = rule("1555*");
    const others = [broad, rule("1555"), ...children("1555").slice(0, 9)];
    const conflict = findInboundConflict(rule("15559*"), others);
    expect(conflict).toMatchObject({ kind: "shadows", rule: broad });
    // An exact rule can complete a cover too.
    const conflict2 = findInboundConflict(rule("1555"), [broad, ...children("1555")]);
    expect(conflict2).toMatchObject({ kind: "shadows", rule: broad });
  });
});

const out = (destinationPrefix: string, callerPatterns: string[], priority = 100, enabled = true): OutboundRuleRef => ({
  id: `orl_${String(++seq).padStart(4, "0")}`,
  name: `out ${destinationPrefix}`,
  destinationPrefix,
  callerPatterns,
  priority,
  enabled,
});

describe("outbound conflicts", () => {
  it("finds a duplicate: same prefix and the same callers in any order", ({ expect }) => {
    const existing = out("44", ["1555*", "1666*"]);
    expect(findOutboundConflict(out("44", ["1666*", "1555*"]), [existing])?.kind).toBe("duplicate");
    expect(findOutboundConflict(out("44", []), [out("44", [])])?.kind).toBe("duplicate");
    expect(findOutboundConflict(out("441", []), [out("44", [])])).toBeNull();
  });

  it("refuses a rule that an earlier rule for every caller makes unreachable", ({ expect }) => {
    const any = out("44", [], 10);
    expect(findOutboundConflict(out("44", ["1555*"], 20), [any])).toMatchObject({ kind: "shadowed", rule: any });
    expect(findOutboundConflict(out("44", ["1555*"], 5), [any])).toBeNull();
    const broad = out("44", ["1*"], 10);
    expect(findOutboundConflict(out("44", ["15551234567"], 20), [broad])?.kind).toBe("shadowed");
    expect(findOutboundConflict(out("44", ["1555*", "2*"], 20), [broad])).toBeNull();
  });

  it("refuses a rule that would make an existing one unreachable", ({ expect }) => {
    const narrow = out("44", ["1555*"], 50);
    expect(findOutboundConflict(out("44", [], 10), [narrow])).toMatchObject({ kind: "shadows", rule: narrow });
    expect(findOutboundConflict(out("44", [], 10, false), [narrow])).toBeNull();
    expect(findOutboundConflict(out("44", [], 10), [out("44", ["1555*"], 50, false)])).toBeNull();
  });
});
