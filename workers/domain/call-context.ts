import { headerLookup, type CarrierHeaders } from "./carrier-headers";

/*
 * Call context for the agent: SIP headers (or, for a WebSocket agent, stream parameters) that
 * an agent, a group or a rule adds to the call. A value is literal text with placeholders taken
 * from the call: {caller} {called} {callerName} {ruleId} {ruleName} {groupId} {groupName}
 * {callId} {session} {diverted} {assertedIdentity} and {header:Name} (a carrier SIP header of
 * the call). A placeholder with no value on this call drops the whole entry: an agent must never
 * receive a half-filled header. Pure: the API's schemas, the routing plan and the SPA's preview
 * share it.
 */

export interface ContextEntry {
  /** "X-" followed by SIP token characters (Cloudonix sends only X- headers). */
  name: string;
  value: string;
}

export const MAX_CONTEXT_ENTRIES = 20;
export const MAX_CONTEXT_NAME = 64;
export const MAX_CONTEXT_VALUE = 256;

export const CONTEXT_NAME = /^X-[A-Za-z0-9\-.!%*_+`'~]+$/;

export const CONTEXT_VARIABLES = ["caller", "called", "callerName", "ruleId", "ruleName", "groupId", "groupName", "callId", "session", "diverted", "assertedIdentity"] as const;
export type ContextVariable = (typeof CONTEXT_VARIABLES)[number];

const PLACEHOLDER = /\{([A-Za-z]+)(?::([!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}))?\}/g;
const VARIABLES: ReadonlySet<string> = new Set(CONTEXT_VARIABLES);
// Line breaks and other controls would let a value end its header and start another.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses.
const CONTROL = /[\u0000-\u001F\u007F]/;

/** What is wrong with a template value, or null: unknown placeholders, braces left open, controls. */
export function templateError(value: string): string | null {
  if (value.length > MAX_CONTEXT_VALUE) return `must be at most ${MAX_CONTEXT_VALUE} characters`;
  if (CONTROL.test(value)) return "must not contain line breaks or control characters";
  for (const match of value.matchAll(PLACEHOLDER)) {
    const [whole, variable, argument] = match;
    if (variable === "header") {
      if (!argument) return `${whole}: name the carrier header, e.g. {header:X-Account}`;
    } else if (!VARIABLES.has(variable!) || argument !== undefined) {
      return `${whole} is not a known value; use one of ${CONTEXT_VARIABLES.map((v) => `{${v}}`).join(" ")} or {header:Name}`;
    }
  }
  if (/[{}]/.test(value.replace(PLACEHOLDER, ""))) return "has a brace that opens no known placeholder; use {caller}, {header:Name}, …";
  return null;
}

/** The call's values a template can use; a missing one is absent or null. */
export type CallValues = Partial<Record<ContextVariable, string | null>> & { headers?: CarrierHeaders | null };

/**
 * The entries this call sends, in order, later entries of the same name (case-insensitive)
 * replacing earlier ones: pass the rule's, then the group's, then the agent's, so the most
 * specific wins. Entries whose placeholders have no value on this call are left out.
 */
export function renderContext(layers: readonly (readonly ContextEntry[] | null | undefined)[], values: CallValues): ContextEntry[] {
  const merged = new Map<string, ContextEntry>();
  for (const layer of layers) for (const entry of layer ?? []) merged.set(entry.name.toLowerCase(), entry);
  if (merged.size === 0) return [];
  const headers = values.headers ? headerLookup(values.headers) : null;
  const out: ContextEntry[] = [];
  for (const entry of merged.values()) {
    let missing = false;
    const value = entry.value.replace(PLACEHOLDER, (_whole, variable: string, argument?: string) => {
      const found = variable === "header" ? headers?.get(argument!.toLowerCase()) : values[variable as ContextVariable];
      if (found === undefined || found === null || found === "") missing = true;
      return found ?? "";
    });
    // A carrier header could smuggle a line break in; such a value is not sent at all.
    if (!missing && !CONTROL.test(value)) out.push({ name: entry.name, value: value.slice(0, MAX_CONTEXT_VALUE * 4) });
  }
  return out;
}
