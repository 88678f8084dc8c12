import type { SnapshotInboundRule, SnapshotOutboundRule } from "../routing/snapshot-types";
import { conditionFailure, NO_HEADERS, type HeaderLookup } from "./carrier-headers";
import { matchesPattern, normalizeNumber, parsePattern } from "./numbers";

/**
 * Rule matching for the hot path. A tenant may have 10,000 rules, so nothing here scans them:
 * rules are bucketed by their digits once, when the snapshot is indexed, and a lookup costs one
 * probe per distinct prefix length (at most 21), whatever the number of rules.
 */

export interface RuleTrace {
  ruleId: string;
  pattern: string;
  result: "matched" | "disabled" | "lower_priority" | "shadowed_by_exact" | "shadowed_by_longer_prefix" | "caller_not_accepted" | "no_enabled_trunk" | "header_not_matched";
  /** Why, when the result alone does not say it (header_not_matched: "header X-Tenant is not 42"). */
  detail?: string;
}

interface Ranked {
  id: string;
  priority: number;
}

function byPriorityThenId(a: Ranked, b: Ranked): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Buckets sorted best first, and the distinct key lengths longest first. */
interface PrefixBuckets<T> {
  buckets: Map<string, T[]>;
  lengths: number[];
}

function bucketize<T extends Ranked>(entries: [string, T][], order: (a: T, b: T) => number = byPriorityThenId): PrefixBuckets<T> {
  const buckets = new Map<string, T[]>();
  for (const [key, rule] of entries) {
    const list = buckets.get(key);
    if (list) list.push(rule);
    else buckets.set(key, [rule]);
  }
  const lengths = new Set<number>();
  for (const [key, list] of buckets) {
    list.sort(order);
    lengths.add(key.length);
  }
  return { buckets, lengths: [...lengths].sort((a, b) => b - a) };
}

/** The buckets whose key is a prefix of `number`, longest first. */
function prefixBucketsOf<T>(index: PrefixBuckets<T>, number: string): T[][] {
  const found: T[][] = [];
  for (const length of index.lengths) {
    if (length > number.length) continue;
    const list = index.buckets.get(number.slice(0, length));
    if (list) found.push(list);
  }
  return found;
}

/** A stored pattern's digits, tolerant of a stray "+" or "*" whatever matchType says. */
function patternDigits(pattern: string): string {
  let digits = pattern.startsWith("+") ? pattern.slice(1) : pattern;
  if (digits.endsWith("*")) digits = digits.slice(0, -1);
  return digits;
}

// ---------------------------------------------------------------------------------------------
// Inbound

export interface InboundIndex {
  readonly exact: ReadonlyMap<string, SnapshotInboundRule[]>;
  readonly prefix: PrefixBuckets<SnapshotInboundRule>;
}

/** Within one pattern, a rule with a carrier-header condition comes first: when it holds, it is the more specific rule. */
function conditionedFirst(a: SnapshotInboundRule, b: SnapshotInboundRule): number {
  return Number(!a.header) - Number(!b.header) || byPriorityThenId(a, b);
}

export function buildInboundIndex(rules: SnapshotInboundRule[]): InboundIndex {
  const exact: [string, SnapshotInboundRule][] = [];
  const prefix: [string, SnapshotInboundRule][] = [];
  for (const rule of rules) {
    const digits = patternDigits(rule.pattern);
    (rule.matchType === "exact" ? exact : prefix).push([digits, rule]);
  }
  return { exact: bucketize(exact, conditionedFirst).buckets, prefix: bucketize(prefix, conditionedFirst) };
}

/**
 * Exact beats prefix, a longer prefix beats a shorter one; within a pattern, a rule whose
 * carrier-header condition holds beats one without a condition; then lower priority, then id.
 * A rule whose condition fails is passed over ("header_not_matched") and matching goes on.
 * `tried` holds only rules whose pattern matches the number, in the order considered; a
 * disabled rule is always reported as "disabled", whatever else would have beaten it.
 */
export function matchInbound(index: InboundIndex, calledNumber: string, headers: HeaderLookup = NO_HEADERS): { rule: SnapshotInboundRule | null; tried: RuleTrace[] } {
  const number = normalizeNumber(calledNumber);
  const tried: RuleTrace[] = [];
  let winner: SnapshotInboundRule | null = null;
  let winnerWasExact = false;

  const exact = index.exact.get(number);
  const candidates: [readonly SnapshotInboundRule[], boolean][] = exact ? [[exact, true]] : [];
  for (const list of prefixBucketsOf(index.prefix, number)) candidates.push([list, false]);

  for (const [list, isExact] of candidates) {
    let wonHere = false;
    for (const rule of list) {
      let result: RuleTrace["result"];
      const failure = rule.enabled && rule.header ? conditionFailure(rule.header, headers) : null;
      if (!rule.enabled) result = "disabled";
      else if (failure) result = "header_not_matched";
      else if (winner === null) {
        winner = rule;
        winnerWasExact = isExact;
        wonHere = true;
        result = "matched";
      } else if (wonHere) result = "lower_priority";
      else result = winnerWasExact ? "shadowed_by_exact" : "shadowed_by_longer_prefix";
      tried.push(failure ? { ruleId: rule.id, pattern: rule.pattern, result, detail: failure } : { ruleId: rule.id, pattern: rule.pattern, result });
    }
  }
  return { rule: winner, tried };
}

// ---------------------------------------------------------------------------------------------
// Outbound

/** Caller patterns compiled once; an invalid stored pattern can never match (it is not "any"). */
interface CallerFilter {
  any: boolean;
  patterns: string[];
}

interface IndexedOutboundRule extends Ranked {
  rule: SnapshotOutboundRule;
  /** The trace's pattern: the normalised prefix with its "*". */
  pattern: string;
  callers: CallerFilter;
}

export interface OutboundIndex {
  readonly prefix: PrefixBuckets<IndexedOutboundRule>;
}

function compileCallers(patterns: readonly string[]): CallerFilter {
  const compiled: string[] = [];
  for (const raw of patterns) {
    const parsed = parsePattern(raw);
    if (parsed.ok) compiled.push(parsed.pattern);
  }
  return { any: patterns.length === 0, patterns: compiled };
}

function acceptsCaller(filter: CallerFilter, caller: string): boolean {
  if (filter.any) return true;
  for (const pattern of filter.patterns) if (matchesPattern(caller, pattern)) return true;
  return false;
}

export function buildOutboundIndex(rules: SnapshotOutboundRule[]): OutboundIndex {
  const entries = rules.map((rule): [string, IndexedOutboundRule] => {
    const digits = patternDigits(rule.destinationPrefix.trim());
    const callers = compileCallers(rule.callerPatterns);
    return [digits, { id: rule.id, priority: rule.priority, rule, pattern: `${digits}*`, callers }];
  });
  return { prefix: bucketize(entries) };
}

/**
 * Longest destination prefix first, then priority, then id; a rule applies only when enabled,
 * accepting the caller and `usable` (it has a trunk to dial), so a rule that cannot carry the
 * call hands it to the next matching one. Rules that lost report their own defect ("disabled",
 * "caller_not_accepted", "no_enabled_trunk") before the fact that a better rule won.
 */
export function matchOutbound(index: OutboundIndex, caller: string, destination: string, usable: (rule: SnapshotOutboundRule) => boolean = () => true): { rule: SnapshotOutboundRule | null; tried: RuleTrace[] } {
  const from = normalizeNumber(caller);
  const to = normalizeNumber(destination);
  const tried: RuleTrace[] = [];
  let winner: SnapshotOutboundRule | null = null;

  for (const list of prefixBucketsOf(index.prefix, to)) {
    let wonHere = false;
    for (const { rule, pattern, callers } of list) {
      let result: RuleTrace["result"];
      if (!rule.enabled) result = "disabled";
      else if (!acceptsCaller(callers, from)) result = "caller_not_accepted";
      else if (!usable(rule)) result = "no_enabled_trunk";
      else if (winner === null) {
        winner = rule;
        wonHere = true;
        result = "matched";
      } else result = wonHere ? "lower_priority" : "shadowed_by_longer_prefix";
      tried.push({ ruleId: rule.id, pattern, result });
    }
  }
  return { rule: winner, tried };
}
