/**
 * Makes what callers send storable and inert before it reaches MySQL. A row MariaDB refuses
 * for its content (a lone surrogate, a NUL in some paths, JSON nested past its limit of 32
 * levels) would fail its whole batch; these helpers make such content impossible.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is the character this strips (MySQL text cannot store it).
const NUL = /\u0000/g;

/** Lone surrogates become U+FFFD, NUL characters go. */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, "\uFFFD").replace(NUL, "");
}

export interface CappedText {
  text: string;
  truncated: boolean;
}

/** Well-formed text of at most `max` characters, never cut inside a surrogate pair. */
export function cappedText(text: string, max: number): CappedText {
  const clean = wellFormed(text);
  if (clean.length <= max) return { text: clean, truncated: false };
  let end = max;
  const last = clean.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return { text: clean.slice(0, end), truncated: true };
}

/** `cappedText`, nullable, for a column of `max` characters. */
export function storableString(text: string | null | undefined, max: number): string | null {
  return text === null || text === undefined ? null : cappedText(text, max).text;
}

/** Parsed JSON with every string and key made well formed; nothing else changes. */
export function wellFormedDeep<T>(value: T): T {
  if (typeof value === "string") return wellFormed(value) as T;
  if (Array.isArray(value)) return value.map(wellFormedDeep) as T;
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [wellFormed(key), wellFormedDeep(item)])) as T;
  }
  return value;
}

/** MariaDB refuses JSON nested deeper than 32; stay well inside it. */
export const MAX_STORED_JSON_DEPTH = 16;
const MAX_STORED_JSON_NODES = 20_000;
export const DEPTH_MARKER = "[nested too deep]";
export const SIZE_MARKER = "[cut: too many values]";

/**
 * A copy of `value` that MySQL's JSON columns always accept: strings well formed, depth bounded
 * (deeper values replaced by a marker), at most 20,000 values, no functions, no cycles.
 */
export function storableJson(value: unknown, maxDepth = MAX_STORED_JSON_DEPTH): unknown {
  let budget = MAX_STORED_JSON_NODES;
  const seen = new Set<object>();
  const copy = (v: unknown, depth: number): unknown => {
    if (--budget < 0) return SIZE_MARKER;
    if (typeof v === "string") return wellFormed(v);
    if (typeof v === "number") return Number.isFinite(v) ? v : null;
    if (typeof v === "boolean" || v === null) return v;
    if (typeof v === "bigint") return v.toString();
    if (typeof v !== "object") return null;
    if (depth >= maxDepth) return DEPTH_MARKER;
    if (seen.has(v)) return null;
    seen.add(v);
    try {
      if (Array.isArray(v)) return v.map((item) => copy(item, depth + 1));
      if (v instanceof Date) return v.toISOString();
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(v)) {
        if (budget < 0) break;
        if (item !== undefined) out[wellFormed(key)] = copy(item, depth + 1);
      }
      return out;
    } finally {
      seen.delete(v);
    }
  };
  return copy(value, 0);
}

/** JSON text of anything, even what JSON.stringify cannot take (cycles, depth, BigInt), capped. */
export function storableJsonText(value: unknown, max: number): CappedText {
  if (typeof value === "string") return cappedText(value, max);
  let text: string;
  try {
    text = JSON.stringify(storableJson(value, 64)) ?? "null";
  } catch (err) {
    text = `[unserialisable: ${(err as Error).message}]`;
  }
  return cappedText(text, max);
}

/**
 * Whether JSON text nests deeper than `max` (objects and arrays), counted without parsing, so a
 * hostile body is refused before JSON.parse builds it.
 */
export function jsonNestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c)
        i++; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x7b || ch === 0x5b) {
      if (++depth > max) return true;
    } else if (ch === 0x7d || ch === 0x5d) depth--;
  }
  return false;
}
