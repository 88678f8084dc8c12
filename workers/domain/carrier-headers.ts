/*
 * The carrier's SIP headers of a trunk-inbound call (Cloudonix's SessionData.profile
 * ["trunk-sip-headers"]), as routing reads them. Pure: the webhook, explain, the API's schemas
 * and the SPA share it.
 */

/** A call's carrier headers as received (name as the carrier spelled it → value). */
export type CarrierHeaders = Record<string, string>;

export const MAX_CARRIER_HEADERS = 50;
export const MAX_HEADER_NAME = 64;
export const MAX_HEADER_VALUE = 256;

/** RFC 7230 token characters: what a SIP header name may be made of. */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export interface HeaderCondition {
  name: string;
  value: string;
}

/** Header names compare case-insensitively (SIP); one lookup per call, built once. */
export type HeaderLookup = ReadonlyMap<string, string>;

export const NO_HEADERS: HeaderLookup = new Map();

export function headerLookup(headers: CarrierHeaders | null | undefined): HeaderLookup {
  if (!headers) return NO_HEADERS;
  const lookup = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    // The first spelling wins, as in extraction: a header repeated in another case is not a second vote.
    if (typeof value === "string" && !lookup.has(key)) lookup.set(key, value);
  }
  return lookup;
}

/** The unique index's key: "" without a condition, else "name\nvalue" with the name lower-cased. */
export function conditionKey(condition: HeaderCondition | null | undefined): string {
  return condition ? `${condition.name.toLowerCase()}\n${condition.value}` : "";
}

/** Null when the call carries the header with exactly that value (surrounding blanks aside), else why not. */
export function conditionFailure(condition: HeaderCondition, headers: HeaderLookup): string | null {
  const actual = headers.get(condition.name.toLowerCase());
  return actual !== undefined && actual.trim() === condition.value ? null : `header ${condition.name} is not ${condition.value}`;
}

/**
 * Bounds a raw trunk-sip-headers value: at most MAX_CARRIER_HEADERS headers whose name is a
 * token of at most MAX_HEADER_NAME characters and whose value is a string of at most
 * MAX_HEADER_VALUE; anything else is dropped (a truncated value could match a condition it does
 * not hold). Null when nothing usable remains. Never throws: a carrier's odd headers must never
 * cost a call its answer.
 */
export function boundedCarrierHeaders(raw: unknown): CarrierHeaders | null {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return null;
  const kept: [string, string][] = [];
  const seen = new Set<string>();
  for (const name in raw) {
    if (!Object.hasOwn(raw, name)) continue;
    const value = (raw as Record<string, unknown>)[name];
    if (typeof value !== "string" || value.length > MAX_HEADER_VALUE) continue;
    if (name.length > MAX_HEADER_NAME || !HEADER_NAME.test(name)) continue;
    const key = name.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push([name, value]);
    if (kept.length === MAX_CARRIER_HEADERS) break;
  }
  // fromEntries defines own properties, so a header named "__proto__" stays a header.
  return kept.length ? Object.fromEntries(kept) : null;
}

/** The number a header carries, digits only (one leading "+" and separators allowed), else null. */
export function headerNumber(value: string | undefined): string | null {
  if (value === undefined) return null;
  const stripped = value
    .trim()
    .replace(/[\s\-.()]/g, "")
    .replace(/^\+/, "");
  return /^[0-9]{1,20}$/.test(stripped) ? stripped : null;
}
