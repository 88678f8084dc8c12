import { emptySnapshot, testAgent as agent } from "./helpers/snapshot";
import { describe, it } from "vitest";
import { boundedCarrierHeaders, conditionKey, headerLookup, headerNumber, MAX_CARRIER_HEADERS } from "../../workers/domain/carrier-headers";
import { buildInboundIndex, matchInbound } from "../../workers/domain/matching";
import { findInboundConflict, type InboundRuleRef } from "../../workers/domain/rule-conflicts";
import { planRoute } from "../../workers/routing/decide";
import { carrierHeadersOf } from "../../workers/webhooks/carrier-headers";
import { parseVoiceParams } from "../../workers/webhooks/params";
import type { RoutingSnapshot, SnapshotInboundRule } from "../../workers/routing/snapshot-types";

/*
 * Carrier SIP headers in routing: bounding what a call brings, header conditions on inbound
 * rules (matching and save-time conflicts), and the tenant's routing-number header.
 */

describe("boundedCarrierHeaders", () => {
  it("keeps string headers as sent, dropping what is not one", ({ expect }) => {
    const raw = { "A2B-DNID": "18005550123", "X-Tenant": "42", Count: 3, Nested: { a: "b" }, Empty: "", Nothing: null, "bad name": "x", ["N".repeat(65)]: "long name", Long: "v".repeat(257) };
    expect(boundedCarrierHeaders(raw)).toEqual({ "A2B-DNID": "18005550123", "X-Tenant": "42", Empty: "" });
  });

  it.for([null, undefined, "X-Tenant: 42", 42, [["X-Tenant", "42"]], ["X-Tenant"], {}])("is null for %j", (raw, { expect }) => {
    expect(boundedCarrierHeaders(raw)).toBeNull();
  });

  it("keeps at most 50 headers of a 10,000-header object, the first ones, one per name whatever its case", ({ expect }) => {
    const raw: Record<string, string> = { "X-A": "first", "x-a": "second" };
    for (let i = 0; i < 10_000; i++) raw[`H-${i}`] = String(i);
    const kept = boundedCarrierHeaders(raw)!;
    expect(Object.keys(kept)).toHaveLength(MAX_CARRIER_HEADERS);
    expect(kept["X-A"]).toBe("first");
    expect(kept).not.toHaveProperty("x-a");
    expect(kept[`H-${MAX_CARRIER_HEADERS - 2}`]).toBe(String(MAX_CARRIER_HEADERS - 2));
    expect(kept).not.toHaveProperty(`H-${MAX_CARRIER_HEADERS - 1}`);
  });

  it("reads a voice request's SessionData with a 10,000-header object without refusing it (past the body limit in a real request)", ({ expect }) => {
    const headers: Record<string, string> = {};
    for (let i = 0; i < 10_000; i++) headers[`H-${i}`] = String(i);
    const params = parseVoiceParams({ Session: "s1", From: "1", To: "2", SessionData: { id: 1, profile: { "trunk-sip-headers": headers } } });
    expect(Object.keys(carrierHeadersOf(params)!)).toHaveLength(MAX_CARRIER_HEADERS);
    for (const SessionData of [null, "x", [], { profile: null }, { profile: { "trunk-sip-headers": [["X-Tenant", "42"]] } }]) {
      expect(carrierHeadersOf(parseVoiceParams({ Session: "s1", From: "1", To: "2", SessionData }))).toBeNull();
    }
  });

  it("keeps a header named __proto__ as a header, not as the object's prototype", ({ expect }) => {
    const kept = boundedCarrierHeaders(JSON.parse('{"__proto__": "x", "X-Tenant": "42"}'))!;
    expect(Object.getPrototypeOf(kept)).toBe(Object.prototype);
    expect(Object.keys(kept)).toEqual(["__proto__", "X-Tenant"]);
  });
});

describe("headerNumber and conditionKey", () => {
  it.for([
    ["18005550123", "18005550123"],
    [" +1 (800) 555-0123 ", "18005550123"],
    ["", null],
    ["anonymous", null],
    ["sip:1800@carrier", null],
    ["1".repeat(21), null],
  ] as const)("reads %j as %j", ([raw, expected], { expect }) => {
    expect(headerNumber(raw)).toBe(expected);
  });

  it("keys a condition by its lower-cased name and its value", ({ expect }) => {
    expect(conditionKey(null)).toBe("");
    expect(conditionKey({ name: "X-Tenant", value: "42" })).toBe("x-tenant\n42");
  });
});

function inbound(id: string, pattern: string, extra: Partial<SnapshotInboundRule> = {}): SnapshotInboundRule {
  return { id, name: id, pattern, matchType: pattern.endsWith("*") ? "prefix" : "exact", priority: 100, enabled: true, targetType: "agent", targetId: `agt_${id}`, fallback: null, ...extra };
}
const tenant42 = { name: "X-Tenant", value: "42" };

describe("inbound matching with carrier-header conditions", () => {
  const index = buildInboundIndex([inbound("plain", "1800*", { priority: 1 }), inbound("t42", "1800*", { priority: 500, header: tenant42 }), inbound("t43", "1800*", { priority: 200, header: { name: "X-Tenant", value: "43" } }), inbound("short", "1*")]);

  it("prefers the rule whose condition holds over the rule without one, whatever the priorities; the header name in any case", ({ expect }) => {
    const { rule, tried } = matchInbound(index, "18005550199", headerLookup({ "x-tenant": "42" }));
    expect(rule?.id).toBe("t42");
    expect(tried).toEqual([
      { ruleId: "t43", pattern: "1800*", result: "header_not_matched", detail: "header X-Tenant is not 43" },
      { ruleId: "t42", pattern: "1800*", result: "matched" },
      { ruleId: "plain", pattern: "1800*", result: "lower_priority" },
      { ruleId: "short", pattern: "1*", result: "shadowed_by_longer_prefix" },
    ]);
  });

  it.for([
    ["without the header", null],
    ["with another value", { "X-Tenant": "7" }],
    ["with the value only as a prefix", { "X-Tenant": "421" }],
  ] as const)("skips conditioned rules %s, saying why, and takes the plain rule", ([, headers], { expect }) => {
    const { rule, tried } = matchInbound(index, "18005550199", headerLookup(headers));
    expect(rule?.id).toBe("plain");
    expect(tried.filter((t) => t.result === "header_not_matched").map((t) => t.detail)).toEqual(["header X-Tenant is not 43", "header X-Tenant is not 42"]);
  });

  it("goes on to a shorter prefix when the only rule of the longer one has a failing condition", ({ expect }) => {
    const only = buildInboundIndex([inbound("t42", "1800*", { header: tenant42 }), inbound("short", "1*"), inbound("exact", "18005550199", { header: tenant42 })]);
    const { rule, tried } = matchInbound(only, "18005550199", headerLookup({ "X-Tenant": "41" }));
    expect(rule?.id).toBe("short");
    expect(tried.map((t) => [t.ruleId, t.result])).toEqual([
      ["exact", "header_not_matched"],
      ["t42", "header_not_matched"],
      ["short", "matched"],
    ]);
    // The exact rule's condition holding makes it win over every prefix.
    expect(matchInbound(only, "18005550199", headerLookup({ "X-Tenant": " 42 " })).rule?.id).toBe("exact");
  });

  it("reports a disabled conditioned rule as disabled, not as a header mismatch", ({ expect }) => {
    const off = buildInboundIndex([inbound("t42", "1800*", { header: tenant42, enabled: false }), inbound("plain", "1800*")]);
    const { rule, tried } = matchInbound(off, "18005550199", headerLookup({ "X-Tenant": "42" }));
    expect(rule?.id).toBe("plain");
    expect(tried[0]).toEqual({ ruleId: "t42", pattern: "1800*", result: "disabled" });
  });
});

let seq = 0;
const ref = (pattern: string, header: { name: string; value: string } | null = null, enabled = true): InboundRuleRef => ({
  id: `irl_${String(++seq).padStart(4, "0")}`,
  name: `rule ${pattern}`,
  pattern,
  matchType: pattern.endsWith("*") ? "prefix" : "exact",
  enabled,
  conditionKey: conditionKey(header),
});
const children = (digits: string, header: { name: string; value: string } | null = null) => [..."0123456789"].map((d) => ref(`${digits}${d}*`, header));

describe("inbound conflicts with carrier-header conditions", () => {
  it("is a duplicate only with the same pattern and the same condition (header name in any case)", ({ expect }) => {
    const plain = ref("1555*");
    const t42 = ref("1555*", tenant42);
    expect(findInboundConflict(ref("1555*", tenant42), [plain])).toBeNull();
    expect(findInboundConflict(ref("1555*"), [t42])).toBeNull();
    expect(findInboundConflict(ref("1555*", { name: "x-tenant", value: "42" }), [plain, t42])).toMatchObject({ kind: "duplicate", rule: t42 });
    expect(findInboundConflict(ref("1555*", { name: "X-Tenant", value: "43" }), [plain, t42])).toBeNull();
  });

  it("lets conditioned rules cover nothing: a prefix next to conditioned more specific rules can still match", ({ expect }) => {
    expect(findInboundConflict(ref("1555*"), [ref("1555", tenant42), ...children("1555", tenant42)])).toBeNull();
    // … and a conditioned rule never completes the cover of a broader one.
    const broad = ref("1555*");
    expect(findInboundConflict(ref("15559*", tenant42), [broad, ref("1555"), ...children("1555").slice(0, 9)])).toBeNull();
    expect(findInboundConflict(ref("15559*"), [broad, ref("1555"), ...children("1555").slice(0, 9)])).toMatchObject({ kind: "shadows", rule: broad });
  });

  it("still finds a conditioned prefix that more specific plain rules make unreachable", ({ expect }) => {
    const conflict = findInboundConflict(ref("1555*", tenant42), [ref("1555"), ...children("1555")]);
    expect(conflict?.kind).toBe("shadowed");
    // A plain rule of its own pattern does not: the conditioned one wins whenever its header holds.
    expect(findInboundConflict(ref("1555*", tenant42), [ref("1555*"), ref("1555")])).toBeNull();
  });
});

function snapshot(overrides: Partial<RoutingSnapshot> = {}): RoutingSnapshot {
  return emptySnapshot({
    agents: { dnid: agent("dnid"), to: agent("to"), t42: agent("t42") },
    groups: {},
    trunks: {},
    inboundRules: [inbound("r-dnid", "18005550123", { targetId: "dnid" }), inbound("r-to", "18005550199", { targetId: "to" }), inbound("r-t42", "18005550199", { targetId: "t42", header: tenant42 })],
    outboundRules: [],
    routingNumberHeader: "A2B-DNID",
    ...overrides,
  });
}
const call = (headers: Record<string, string> | null) => ({ from: "14155550100", to: "18005550199", cloudonixDirection: "inbound", headers });

describe("planRoute with the tenant's routing-number header", () => {
  it("matches the header's number instead of To, and says so", ({ expect }) => {
    const plan = planRoute(snapshot(), call({ "a2b-dnid": "+1 800 555 0123" }));
    expect(plan.ruleId).toBe("r-dnid");
    expect(plan.trace.called).toBe("18005550199");
    expect(plan.trace.routingNumber).toMatchObject({ number: "18005550123", source: "header", header: "A2B-DNID" });
    expect(plan.trace.notes[0]).toBe("matched 18005550123 from carrier header A2B-DNID (the tenant's routing-number header) instead of To 18005550199");
  });

  it.for([
    ["absent", null, "the call has no carrier header A2B-DNID: matched To 18005550199"],
    ["not a number", { "A2B-DNID": "anonymous" }, 'carrier header A2B-DNID holds no number ("anonymous"): matched To 18005550199'],
    ["empty", { "A2B-DNID": "" }, 'carrier header A2B-DNID holds no number (""): matched To 18005550199'],
  ] as const)("matches To when the header is %s, and says why", ([, headers, note], { expect }) => {
    const plan = planRoute(snapshot(), call(headers));
    expect(plan.ruleId).toBe("r-to");
    expect(plan.trace.routingNumber).toMatchObject({ number: "18005550199", source: "to" });
    expect(plan.trace.notes[0]).toBe(note);
  });

  it("leaves the trace as it was for tenants without one", ({ expect }) => {
    const plan = planRoute(snapshot({ routingNumberHeader: null }), call({ "A2B-DNID": "18005550123" }));
    expect(plan.ruleId).toBe("r-to");
    expect(plan.trace).not.toHaveProperty("routingNumber");
    expect(plan.trace.notes).toEqual([]);
  });

  it("applies header conditions to the routed number's rules, and says which failed", ({ expect }) => {
    expect(planRoute(snapshot({ routingNumberHeader: null }), call({ "X-Tenant": "42" })).ruleId).toBe("r-t42");
    const plan = planRoute(snapshot({ routingNumberHeader: null }), call({ "X-Tenant": "41" }));
    expect(plan.ruleId).toBe("r-to");
    expect(plan.trace.rulesTried[0]).toEqual({ ruleId: "r-t42", pattern: "18005550199", result: "header_not_matched", detail: "header X-Tenant is not 42" });
  });

  it("does not let a carrier header stand in for what a registered endpoint dialled", ({ expect }) => {
    const plan = planRoute(snapshot(), { ...call({ "A2B-DNID": "18005550123" }), cloudonixDirection: "subscriber" });
    expect(plan.ruleId).toBe("r-to");
  });
});
