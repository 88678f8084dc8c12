/*
 * Save-time conflict checks for routing rules: duplicates, and rules that could never win.
 *
 * Inbound matching (domain/matching.ts) is: an exact pattern beats any prefix, a longer prefix
 * beats a shorter one, then priority. So an inbound rule is SHADOWED when no number exists
 * for which it is the best enabled match: every number it matches is also matched by a more
 * specific enabled rule. Only a prefix rule `D*` can be shadowed, and only when an exact rule
 * for D itself exists and every longer number under D is covered by longer prefixes or exact
 * rules (e.g. `1555*` next to `1555` and `15550*` … `15559*`). The catch-all `*` is never
 * shadowed (it alone matches callers that are not digits). Disabled rules neither shadow nor
 * get shadowed: they do not take part in matching.
 *
 * A rule may require a carrier header value (condition). Rules are duplicates only with the same
 * pattern AND the same condition. A conditioned rule covers nothing (a call without the header
 * passes it by), so it never shadows another; next to an unconditioned rule of its own pattern it
 * wins whenever its condition holds, so that rule never makes it unreachable. Only more specific
 * patterns can shadow it, as they would any rule.
 *
 * Outbound matching is: longest destination prefix, then priority (then id), among enabled
 * rules that accept the caller. An outbound rule is SHADOWED when an enabled rule with the
 * same destination prefix ranks before it and accepts every caller it accepts.
 */

export interface InboundRuleRef {
  id: string;
  name: string;
  /** Normalised: digits, with a trailing * for prefixes; "*" is the catch-all. */
  pattern: string;
  matchType: "exact" | "prefix";
  enabled: boolean;
  /** domain/carrier-headers.ts conditionKey: "" (or absent) without a header condition. */
  conditionKey?: string;
}

const conditioned = (rule: InboundRuleRef) => Boolean(rule.conditionKey);

export type ConflictKind = "duplicate" | "shadowed" | "shadows";

export interface Conflict<R> {
  kind: ConflictKind;
  rule: R;
  /** shadowed: the rules that together take every call of the candidate. */
  coveredBy?: R[];
}

const digitsOf = (pattern: string) => (pattern.endsWith("*") ? pattern.slice(0, -1) : pattern);
const DIGITS = "0123456789";

/**
 * Whether the prefix rule `digits*` can never win against `rules` (the candidate excluded),
 * and if so which rules take its calls.
 */
function coverOf(digits: string, rules: InboundRuleRef[]): InboundRuleRef[] | null {
  if (digits === "") return null;
  const exact = new Map<string, InboundRuleRef>();
  const prefix = new Map<string, InboundRuleRef>();
  for (const rule of rules) {
    if (!rule.enabled || conditioned(rule)) continue;
    (rule.matchType === "exact" ? exact : prefix).set(digitsOf(rule.pattern), rule);
  }
  const used: InboundRuleRef[] = [];
  // full(s): every number starting with s is taken by a rule more specific than the candidate.
  const full = (s: string): boolean => {
    const byPrefix = prefix.get(s);
    if (byPrefix) {
      used.push(byPrefix);
      return true;
    }
    const byExact = exact.get(s);
    if (!byExact) return false;
    used.push(byExact);
    for (const digit of DIGITS) if (!full(s + digit)) return false;
    return true;
  };
  const self = exact.get(digits);
  if (!self) return null;
  used.push(self);
  for (const digit of DIGITS) if (!full(digits + digit)) return null;
  return used;
}

/**
 * The first conflict of `candidate` with the tenant's other inbound rules (`others` must not
 * contain the candidate itself), or null. Needs every rule whose pattern starts with the
 * digits of the candidate's shortest enabled prefix ancestor (see inboundConflictScope).
 */
export function findInboundConflict(candidate: InboundRuleRef, others: InboundRuleRef[]): Conflict<InboundRuleRef> | null {
  const duplicate = others.find((rule) => rule.pattern === candidate.pattern && (rule.conditionKey ?? "") === (candidate.conditionKey ?? ""));
  if (duplicate) return { kind: "duplicate", rule: duplicate };
  if (!candidate.enabled) return null;

  const digits = digitsOf(candidate.pattern);
  if (candidate.matchType === "prefix") {
    const cover = coverOf(digits, others);
    if (cover) return { kind: "shadowed", rule: cover[0]!, coveredBy: cover };
  }
  // Could the candidate complete the cover of a broader prefix rule? Not with a condition.
  if (conditioned(candidate)) return null;
  const withCandidate = [...others, candidate];
  const ancestors = others
    .filter((rule) => rule.enabled && rule.matchType === "prefix")
    .filter((rule) => {
      const ancestor = digitsOf(rule.pattern);
      return ancestor !== "" && digits.startsWith(ancestor) && (candidate.matchType === "exact" || ancestor.length < digits.length);
    })
    .sort((a, b) => b.pattern.length - a.pattern.length);
  for (const ancestor of ancestors) {
    const rest = withCandidate.filter((rule) => rule.id !== ancestor.id);
    if (coverOf(digitsOf(ancestor.pattern), rest)) return { kind: "shadows", rule: ancestor };
  }
  return null;
}

/**
 * What to load for findInboundConflict: the prefix patterns of every ancestor of `digits`
 * (to find the broadest one), then every rule whose pattern starts with `scopeDigits`.
 */
export function ancestorPrefixPatterns(digits: string): string[] {
  const out: string[] = [];
  for (let length = 1; length <= digits.length; length++) out.push(`${digits.slice(0, length)}*`);
  return out;
}

// ---------------------------------------------------------------------------------------

export interface OutboundRuleRef {
  id: string;
  name: string;
  /** Digits only; "" = every destination. */
  destinationPrefix: string;
  /** Normalised caller patterns; empty = any caller. */
  callerPatterns: string[];
  priority: number;
  enabled: boolean;
}

/** Whether pattern `outer` matches every number `inner` matches. */
function patternCovers(outer: string, inner: string): boolean {
  if (outer.endsWith("*")) return digitsOf(inner).startsWith(digitsOf(outer));
  return !inner.endsWith("*") && outer === inner;
}

/** Whether every caller `b` accepts is accepted by `a`. */
function acceptsAllOf(a: string[], b: string[]): boolean {
  if (a.length === 0) return true;
  if (b.length === 0) return false;
  return b.every((inner) => a.some((outer) => patternCovers(outer, inner)));
}

const sameCallers = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join(",") === [...b].sort().join(",");

/** a ranks before b in the same destination bucket. */
const ranksBefore = (a: OutboundRuleRef, b: OutboundRuleRef) => a.priority < b.priority || (a.priority === b.priority && a.id < b.id);

/** `others` = the tenant's other outbound rules with the same destination prefix. */
export function findOutboundConflict(candidate: OutboundRuleRef, others: OutboundRuleRef[]): Conflict<OutboundRuleRef> | null {
  const same = others.filter((rule) => rule.destinationPrefix === candidate.destinationPrefix);
  const duplicate = same.find((rule) => sameCallers(rule.callerPatterns, candidate.callerPatterns));
  if (duplicate) return { kind: "duplicate", rule: duplicate };
  if (!candidate.enabled) return null;
  const enabled = same.filter((rule) => rule.enabled);
  const shadower = enabled.find((rule) => ranksBefore(rule, candidate) && acceptsAllOf(rule.callerPatterns, candidate.callerPatterns));
  if (shadower) return { kind: "shadowed", rule: shadower };
  const shadowed = enabled.find((rule) => ranksBefore(candidate, rule) && acceptsAllOf(candidate.callerPatterns, rule.callerPatterns));
  if (shadowed) return { kind: "shadows", rule: shadowed };
  return null;
}
