import { conditionKey } from "../../../../workers/domain/carrier-headers";
import { findInboundConflict, type Conflict, type InboundRuleRef } from "../../../../workers/domain/rule-conflicts";
import type { InboundRule } from "../../api/inbound-rules";
import { patternText } from "../../lib/format";

/** Rules in the order routing considers them: exact, then longer prefixes, then header conditions first, then priority. */
export function inMatchOrder(rules: InboundRule[]): InboundRule[] {
  const digits = (r: InboundRule) => (r.pattern === "*" ? -1 : r.pattern.replace("*", "").length);
  return [...rules].sort((a, b) => Number(b.matchType === "exact") - Number(a.matchType === "exact") || digits(b) - digits(a) || Number(Boolean(b.header)) - Number(Boolean(a.header)) || a.priority - b.priority || a.pattern.localeCompare(b.pattern));
}

const ref = (r: Pick<InboundRule, "id" | "name" | "pattern" | "matchType" | "enabled" | "header">): InboundRuleRef => ({
  id: r.id,
  name: r.name,
  pattern: r.pattern,
  matchType: r.matchType,
  enabled: r.enabled,
  conditionKey: conditionKey(r.header),
});

/**
 * The save-time conflict check (the API's own code), run in the browser as you type. Rules for
 * inbound calls and for calls started through the API never meet (the API scopes it the same way).
 */
export function conflictOf(candidate: InboundRuleRef, rules: InboundRule[], callType: InboundRule["callType"] = "inbound"): Conflict<InboundRuleRef> | null {
  return findInboundConflict(candidate, rules.filter((r) => r.id !== candidate.id && (r.callType ?? "inbound") === callType).map(ref));
}

/** Enabled rules that could never match a call as the configuration stands. */
export function shadowedRules(rules: InboundRule[]): Map<string, Conflict<InboundRuleRef>> {
  const out = new Map<string, Conflict<InboundRuleRef>>();
  for (const rule of rules) {
    if (!rule.enabled || rule.matchType !== "prefix") continue;
    const conflict = conflictOf(ref(rule), rules, rule.callType ?? "inbound");
    if (conflict?.kind === "shadowed") out.set(rule.id, conflict);
  }
  return out;
}

export function describeConflict(conflict: Conflict<InboundRuleRef>): string {
  const other = `${conflict.rule.name || patternText(conflict.rule.pattern)} (${patternText(conflict.rule.pattern)})`;
  if (conflict.kind === "duplicate") return conflict.rule.conditionKey ? `The pattern with this header condition is already used by rule ${other}.` : `The pattern is already used by rule ${other}.`;
  if (conflict.kind === "shadowed") {
    const covered = (conflict.coveredBy ?? [])
      .slice(0, 4)
      .map((r) => patternText(r.pattern))
      .join(", ");
    return `This rule could never match a call: more specific rules take every number it matches (${covered}${(conflict.coveredBy?.length ?? 0) > 4 ? ", …" : ""}).`;
  }
  return `With this rule, rule ${other} could never match a call.`;
}
