import { describe, it } from "vitest";
import { buildInboundIndex, buildOutboundIndex, matchInbound, matchOutbound, type RuleTrace } from "../../workers/domain/matching";
import { matchesPattern } from "../../workers/domain/numbers";
import type { SnapshotInboundRule, SnapshotOutboundRule } from "../../workers/routing/snapshot-types";
import { randomDigits, randomInt, seededRandom } from "./helpers/random";

function inbound(id: string, pattern: string, extra: Partial<SnapshotInboundRule> = {}): SnapshotInboundRule {
  return {
    id,
    name: id,
    pattern,
    matchType: pattern.endsWith("*") ? "prefix" : "exact",
    priority: 100,
    enabled: true,
    targetType: "agent",
    targetId: `agt_${id}`,
    fallback: null,
    ...extra,
  };
}

function outbound(id: string, destinationPrefix: string, extra: Partial<SnapshotOutboundRule> = {}): SnapshotOutboundRule {
  return {
    id,
    name: id,
    callerPatterns: [],
    destinationPrefix,
    trunkIds: [`trk_${id}`],
    priority: 100,
    enabled: true,
    ...extra,
  };
}

describe("inbound matching", () => {
  it("prefers an exact rule over any prefix rule, whatever the priorities", ({ expect }) => {
    const index = buildInboundIndex([inbound("p", "1555*", { priority: 1 }), inbound("e", "15551234567", { priority: 500 }), inbound("all", "*", { priority: 1 })]);
    const { rule, tried } = matchInbound(index, "+1 (555) 123-4567");
    expect(rule?.id).toBe("e");
    expect(tried).toEqual([
      { ruleId: "e", pattern: "15551234567", result: "matched" },
      { ruleId: "p", pattern: "1555*", result: "shadowed_by_exact" },
      { ruleId: "all", pattern: "*", result: "shadowed_by_exact" },
    ]);
  });

  it("prefers the longer prefix, whatever the priorities", ({ expect }) => {
    const index = buildInboundIndex([inbound("short", "1*", { priority: 1 }), inbound("long", "1555*", { priority: 900 }), inbound("mid", "155*", { priority: 2 })]);
    const { rule, tried } = matchInbound(index, "15559990000");
    expect(rule?.id).toBe("long");
    expect(tried.map((t) => [t.ruleId, t.result])).toEqual([
      ["long", "matched"],
      ["mid", "shadowed_by_longer_prefix"],
      ["short", "shadowed_by_longer_prefix"],
    ]);
  });

  it("breaks ties of the same pattern by priority, then by id", ({ expect }) => {
    const index = buildInboundIndex([inbound("r3", "1555*", { priority: 100 }), inbound("r2", "1555*", { priority: 100 }), inbound("r1", "1555*", { priority: 50 })]);
    const { rule, tried } = matchInbound(index, "15550000000");
    expect(rule?.id).toBe("r1");
    expect(tried.map((t) => [t.ruleId, t.result])).toEqual([
      ["r1", "matched"],
      ["r2", "lower_priority"],
      ["r3", "lower_priority"],
    ]);
  });

  it("orders priority numerically, not as text (1 before 100, 2 before 10)", ({ expect }) => {
    const index = buildInboundIndex([inbound("ten", "44*", { priority: 10 }), inbound("two", "44*", { priority: 2 })]);
    expect(matchInbound(index, "4420").rule?.id).toBe("two");
  });

  it("skips disabled rules but reports them, and falls through to the next candidate", ({ expect }) => {
    const index = buildInboundIndex([inbound("exact-off", "15551234567", { enabled: false }), inbound("long-off", "1555*", { enabled: false }), inbound("short", "1*"), inbound("all-off", "*", { enabled: false })]);
    const { rule, tried } = matchInbound(index, "15551234567");
    expect(rule?.id).toBe("short");
    expect(tried).toEqual([
      { ruleId: "exact-off", pattern: "15551234567", result: "disabled" },
      { ruleId: "long-off", pattern: "1555*", result: "disabled" },
      { ruleId: "short", pattern: "1*", result: "matched" },
      { ruleId: "all-off", pattern: "*", result: "disabled" },
    ]);
  });

  it("returns no rule, and only the matching disabled ones in the trace, when nothing enabled matches", ({ expect }) => {
    const index = buildInboundIndex([inbound("off", "1*", { enabled: false }), inbound("other", "2*")]);
    expect(matchInbound(index, "123")).toEqual({ rule: null, tried: [{ ruleId: "off", pattern: "1*", result: "disabled" }] });
    expect(matchInbound(index, "999")).toEqual({ rule: null, tried: [] });
  });

  it("lists only rules whose pattern matches the number", ({ expect }) => {
    const index = buildInboundIndex([inbound("a", "15551234567"), inbound("b", "15551234568"), inbound("c", "1556*"), inbound("d", "155512345678*"), inbound("e", "1555*")]);
    expect(matchInbound(index, "15551234567").tried.map((t) => t.ruleId)).toEqual(["a", "e"]);
  });

  it("matches numbers with or without +, and patterns stored with a stray +", ({ expect }) => {
    const index = buildInboundIndex([inbound("a", "+15551234567"), inbound("b", "+44*")]);
    expect(matchInbound(index, "15551234567").rule?.id).toBe("a");
    expect(matchInbound(index, "+15551234567").rule?.id).toBe("a");
    expect(matchInbound(index, "442071234567").rule?.id).toBe("b");
  });

  it("sends a non-number (a SIP user) to the catch-all only", ({ expect }) => {
    const index = buildInboundIndex([inbound("a", "1*"), inbound("all", "*")]);
    expect(matchInbound(index, "alice").rule?.id).toBe("all");
    expect(matchInbound(buildInboundIndex([inbound("a", "1*")]), "alice").rule).toBeNull();
  });

  it("does not let a prefix longer than the number match", ({ expect }) => {
    const index = buildInboundIndex([inbound("long", "15551234*")]);
    expect(matchInbound(index, "1555").rule).toBeNull();
  });

  it("matches an exact rule against a number shorter than some prefixes (an extension)", ({ expect }) => {
    const index = buildInboundIndex([inbound("ext", "1004"), inbound("long", "100412345*")]);
    expect(matchInbound(index, "1004").rule?.id).toBe("ext");
  });

  it("works on an empty rule set", ({ expect }) => {
    expect(matchInbound(buildInboundIndex([]), "15551234567")).toEqual({ rule: null, tried: [] });
  });

  it("does not mutate the rules it indexes", ({ expect }) => {
    const rules = [inbound("b", "1*"), inbound("a", "1*")];
    const copy = structuredClone(rules);
    buildInboundIndex(rules);
    expect(rules).toEqual(copy);
  });

  /** The obvious linear implementation, against which the index is checked. */
  function referenceInbound(rules: SnapshotInboundRule[], number: string): { rule: SnapshotInboundRule | null; tried: RuleTrace[] } {
    const digitsOf = (r: SnapshotInboundRule) => r.pattern.replace("*", "");
    const matching = rules.filter((r) => (r.matchType === "exact" ? number === r.pattern : matchesPattern(number, r.pattern)));
    const rank = (r: SnapshotInboundRule): [number, number, number, string] => [r.matchType === "exact" ? 0 : 1, -digitsOf(r).length, r.priority, r.id];
    matching.sort((a, b) => {
      const [x, y] = [rank(a), rank(b)];
      for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
      return x[3] < y[3] ? -1 : x[3] > y[3] ? 1 : 0;
    });
    const winner = matching.find((r) => r.enabled) ?? null;
    const tried = matching.map((r): RuleTrace => {
      let result: RuleTrace["result"];
      if (!r.enabled) result = "disabled";
      else if (r === winner) result = "matched";
      else if (winner && winner.pattern === r.pattern) result = "lower_priority";
      else if (winner?.matchType === "exact") result = "shadowed_by_exact";
      else result = "shadowed_by_longer_prefix";
      return { ruleId: r.id, pattern: r.pattern, result };
    });
    return { rule: winner, tried };
  }

  it("agrees with a linear scan on 10,000 generated rules", ({ expect }) => {
    const random = seededRandom(20261121);
    // A small alphabet so that numbers share prefixes with many rules and ties are common.
    const alphabet = "123";
    const rules: SnapshotInboundRule[] = [];
    for (let i = 0; i < 10_000; i++) {
      const id = `rule_${String(i).padStart(5, "0")}`;
      const extra = { priority: randomInt(random, 1, 4), enabled: random() > 0.15 };
      if (random() < 0.5) rules.push(inbound(id, randomDigits(random, randomInt(random, 6, 8), alphabet), extra));
      else rules.push(inbound(id, `${randomDigits(random, randomInt(random, 0, 7), alphabet)}*`, extra));
    }
    const index = buildInboundIndex(rules);

    const numbers: string[] = [];
    for (let i = 0; i < 300; i++) numbers.push(randomDigits(random, randomInt(random, 6, 8), alphabet));
    for (let i = 0; i < 100; i++) numbers.push(rules[randomInt(random, 0, rules.length - 1)]?.pattern.replace("*", "") ?? "");
    numbers.push("99999999", "alice", "");

    let matched = 0;
    let withExact = 0;
    for (const number of numbers) {
      const got = matchInbound(index, number);
      expect(got).toEqual(referenceInbound(rules, number));
      if (got.rule) matched++;
      if (got.rule?.matchType === "exact") withExact++;
    }
    // The generator really exercised both kinds of winner (a guard against a vacuous test).
    expect(matched).toBeGreaterThan(300);
    expect(withExact).toBeGreaterThan(50);
  });
});

describe("outbound matching", () => {
  it("picks the longest destination prefix, whatever the priorities", ({ expect }) => {
    const index = buildOutboundIndex([outbound("any", "", { priority: 1 }), outbound("uk", "44", { priority: 50 }), outbound("london", "4420", { priority: 100 })]);
    const { rule, tried } = matchOutbound(index, "1004", "+44 20 7123 4567");
    expect(rule?.id).toBe("london");
    expect(tried).toEqual([
      { ruleId: "london", pattern: "4420*", result: "matched" },
      { ruleId: "uk", pattern: "44*", result: "shadowed_by_longer_prefix" },
      { ruleId: "any", pattern: "*", result: "shadowed_by_longer_prefix" },
    ]);
  });

  it("breaks ties by priority, then id", ({ expect }) => {
    const index = buildOutboundIndex([outbound("b", "1", { priority: 10 }), outbound("a", "1", { priority: 10 }), outbound("c", "1", { priority: 5 })]);
    const { rule, tried } = matchOutbound(index, "1004", "15551234567");
    expect(rule?.id).toBe("c");
    expect(tried.map((t) => [t.ruleId, t.result])).toEqual([
      ["c", "matched"],
      ["a", "lower_priority"],
      ["b", "lower_priority"],
    ]);
  });

  it("applies a rule only to the callers it accepts, and says so", ({ expect }) => {
    const index = buildOutboundIndex([outbound("sales", "1", { callerPatterns: ["+1 555 100*", "2000"] }), outbound("default", "")]);
    expect(matchOutbound(index, "+15551001234", "18005550199").rule?.id).toBe("sales");
    expect(matchOutbound(index, "2000", "18005550199").rule?.id).toBe("sales");
    const other = matchOutbound(index, "15559990000", "18005550199");
    expect(other.rule?.id).toBe("default");
    expect(other.tried).toEqual([
      { ruleId: "sales", pattern: "1*", result: "caller_not_accepted" },
      { ruleId: "default", pattern: "*", result: "matched" },
    ]);
  });

  it("reports a disabled rule as disabled, even when its caller would also be refused", ({ expect }) => {
    const index = buildOutboundIndex([outbound("off", "1", { enabled: false, callerPatterns: ["9*"] }), outbound("on", "1")]);
    expect(matchOutbound(index, "1004", "1555").tried).toEqual([
      { ruleId: "off", pattern: "1*", result: "disabled" },
      { ruleId: "on", pattern: "1*", result: "matched" },
    ]);
  });

  it("reports a losing rule's own defect before the fact that it lost", ({ expect }) => {
    const index = buildOutboundIndex([outbound("long", "155"), outbound("picky", "1", { callerPatterns: ["9*"] })]);
    expect(matchOutbound(index, "1004", "1555").tried.map((t) => [t.ruleId, t.result])).toEqual([
      ["long", "matched"],
      ["picky", "caller_not_accepted"],
    ]);
  });

  it("never treats a rule whose caller patterns are all invalid as accepting any caller", ({ expect }) => {
    const index = buildOutboundIndex([outbound("broken", "1", { callerPatterns: ["abc"] })]);
    const { rule, tried } = matchOutbound(index, "1004", "1555");
    expect(rule).toBeNull();
    expect(tried).toEqual([{ ruleId: "broken", pattern: "1*", result: "caller_not_accepted" }]);
  });

  it("skips a rule that is not usable (no trunk to dial) for the next matching one, and says so", ({ expect }) => {
    const index = buildOutboundIndex([outbound("london", "4420"), outbound("uk", "44"), outbound("any", "")]);
    const { rule, tried } = matchOutbound(index, "1004", "442071234567", (r) => r.id !== "london");
    expect(rule?.id).toBe("uk");
    expect(tried.map((t) => [t.ruleId, t.result])).toEqual([
      ["london", "no_enabled_trunk"],
      ["uk", "matched"],
      ["any", "shadowed_by_longer_prefix"],
    ]);
  });

  it("returns no rule when no prefix matches", ({ expect }) => {
    const index = buildOutboundIndex([outbound("uk", "44")]);
    expect(matchOutbound(index, "1004", "15551234567")).toEqual({ rule: null, tried: [] });
  });

  function referenceOutbound(rules: SnapshotOutboundRule[], caller: string, destination: string): SnapshotOutboundRule | null {
    const ok = rules.filter((r) => r.enabled && destination.startsWith(r.destinationPrefix) && (r.callerPatterns.length === 0 || r.callerPatterns.some((p) => matchesPattern(caller, p))));
    ok.sort((a, b) => b.destinationPrefix.length - a.destinationPrefix.length || a.priority - b.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return ok[0] ?? null;
  }

  it("agrees with a linear scan on 10,000 generated rules", ({ expect }) => {
    const random = seededRandom(7);
    const alphabet = "12";
    const rules: SnapshotOutboundRule[] = [];
    for (let i = 0; i < 10_000; i++) {
      const callerPatterns: string[] = [];
      const patternCount = randomInt(random, 0, 2);
      for (let p = 0; p < patternCount; p++) callerPatterns.push(`${randomDigits(random, randomInt(random, 1, 3), alphabet)}*`);
      rules.push(
        outbound(`r${String(i).padStart(5, "0")}`, randomDigits(random, randomInt(random, 0, 10), alphabet), {
          callerPatterns,
          priority: randomInt(random, 1, 3),
          enabled: random() > 0.2,
        }),
      );
    }
    const index = buildOutboundIndex(rules);
    let matched = 0;
    for (let i = 0; i < 400; i++) {
      const caller = randomDigits(random, 4, alphabet);
      const destination = randomDigits(random, randomInt(random, 4, 12), alphabet);
      const got = matchOutbound(index, caller, destination);
      expect(got.rule?.id ?? null).toBe(referenceOutbound(rules, caller, destination)?.id ?? null);
      // The trace names exactly the rules whose prefix matched, one "matched" at most.
      expect(got.tried.length).toBe(rules.filter((r) => destination.startsWith(r.destinationPrefix)).length);
      expect(got.tried.filter((t) => t.result === "matched").length).toBe(got.rule ? 1 : 0);
      if (got.rule) matched++;
    }
    expect(matched).toBeGreaterThan(300);
  });
});
