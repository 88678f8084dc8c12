/**
 * Phone numbers and number patterns. Cloudonix sends From and To sometimes with a leading "+" and
 * sometimes without (calls captured from a trunk had none), and a subscriber's From is its
 * extension; users type numbers with spaces, dashes and parentheses. So everything is compared in
 * one normalised form: the bare digits.
 */

const SEPARATORS = /[\s\-.()]/g;
const ALL_DIGITS = /^[0-9]+$/;

/** Longer than any E.164 number (15 digits) plus room for national prefixes; guards the index. */
export const MAX_PATTERN_DIGITS = 20;

/**
 * Digits of a phone number, without separators and one leading "+".
 * Anything that is not a number after that (a SIP user, a URI) comes back trimmed and lower-cased:
 * no digit pattern can match it, so routing fails cleanly instead of guessing.
 */
export function normalizeNumber(input: string): string {
  const trimmed = input.trim();
  let stripped = trimmed.replace(SEPARATORS, "");
  if (stripped.startsWith("+")) stripped = stripped.slice(1);
  return ALL_DIGITS.test(stripped) ? stripped : trimmed.toLowerCase();
}

// A full international number: country code and subscriber number, 7 to 15 digits (E.164).
const FULL_NUMBER = /^[1-9][0-9]{6,14}$/;

/**
 * A caller's number as a callerId to present: E.164 with "+" when it is a full number
 * ("1 415 555-0100" → "+14155550100"), otherwise as given (an extension "1004", a national
 * "0201234567", a SIP user), since guessing a country code would present someone else's number.
 * Null when there is none.
 */
export function presentedNumber(input: string): string | null {
  const trimmed = input.trim();
  if (!trimmed) return null;
  const digits = normalizeNumber(trimmed);
  return FULL_NUMBER.test(digits) ? `+${digits}` : trimmed;
}

export type ParsedPattern = { ok: true; pattern: string; matchType: "exact" | "prefix"; digits: string } | { ok: false; error: string };

function isSeparator(ch: string): boolean {
  return ch === "-" || ch === "." || ch === "(" || ch === ")" || /\s/.test(ch);
}

/**
 * Parses a user-entered pattern: `+15551234567` (exact), `+1555*` (prefix), `*` (everything).
 * Errors are sentences meant to be shown to the user as they are.
 */
export function parsePattern(input: string): ParsedPattern {
  const shown = JSON.stringify(input);
  if (input.trim() === "") return { ok: false, error: `${shown} is empty` };

  let digits = "";
  let sawPlus = false;
  let sawStar = false;
  for (const ch of input) {
    if (isSeparator(ch)) continue;
    if (sawStar) return { ok: false, error: `${shown}: "*" may only appear once, at the end` };
    if (ch >= "0" && ch <= "9") {
      digits += ch;
    } else if (ch === "*") {
      sawStar = true;
    } else if (ch === "+") {
      if (sawPlus || digits !== "") return { ok: false, error: `${shown}: "+" must come first` };
      sawPlus = true;
    } else {
      return {
        ok: false,
        error: `${shown} contains ${JSON.stringify(ch)}: only digits, an optional leading +, separators and a trailing * are allowed`,
      };
    }
  }

  if (digits.length > MAX_PATTERN_DIGITS) {
    return {
      ok: false,
      error: `${shown} has ${digits.length} digits: a pattern may have at most ${MAX_PATTERN_DIGITS} digits`,
    };
  }
  if (sawStar) return { ok: true, pattern: `${digits}*`, matchType: "prefix", digits };
  if (digits === "") return { ok: false, error: `${shown} has no digits` };
  return { ok: true, pattern: digits, matchType: "exact", digits };
}

/**
 * Whether a normalised number matches a normalised pattern ("digits" or "digits*").
 * The catch-all "*" matches every number, even one that is not digits (a SIP user).
 */
export function matchesPattern(number: string, pattern: string): boolean {
  if (pattern.endsWith("*")) return number.startsWith(pattern.slice(0, -1));
  return number === pattern;
}
