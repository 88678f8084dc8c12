import { isTimeZone } from "../analytics/time-zone";
import { parseCsv } from "./csv";

/*
 * A campaign's contact list from a CSV upload: a header row naming the columns, then one contact
 * per row. `phone` (or `number`) is required and normalised to E.164; `timezone` (an IANA zone)
 * is optional; every other column is a variable sent to the agent as call context (a SIP header
 * X-<column>, or a stream parameter). Each row is checked; problems are listed by line. A number
 * that appears again is merged into its first row (later rows fill the variables it lacks).
 */

export const MAX_CONTACTS = 100_000;
export const MAX_VARIABLES = 16;
export const MAX_VARIABLE_VALUE = 256;
export const MAX_LISTED_ERRORS = 1_000;

export interface Contact {
  /** The CSV line the contact was first given on; its id within the campaign. */
  line: number;
  number: string;
  timezone: string | null;
  variables: Record<string, string>;
}

export interface RowError {
  line: number;
  field: string | null;
  message: string;
}

export type ContactsResult = { ok: true; contacts: Contact[]; errors: RowError[]; errorCount: number; merged: number; rows: number } | { ok: false; code: "TOO_MANY_CONTACTS" | "INVALID_CSV" | "INVALID_HEADER"; message: string; errors: RowError[] };

/** Header names of the column holding the numbers (the do-not-call upload reads the same ones). */
export const NUMBER_COLUMNS = new Set(["phone", "number", "phone_number", "phonenumber", "msisdn"]);
const ZONE_COLUMNS = new Set(["timezone", "time_zone", "tz"]);
/** Header names that become SIP header names (X-<name>): letters, digits, - and _. */
const VARIABLE_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses.
export const CONTROL = /[\u0000-\u001F\u007F]/;

/** A phone number as E.164 ("+" and 7 to 15 digits, no leading 0), from the forms people type; null if it is not one. */
export function toE164(value: string): string | null {
  const compact = value.trim().replace(/[\s().\-/]/g, "");
  const withPlus = compact.startsWith("00") ? `+${compact.slice(2)}` : compact.startsWith("+") ? compact : `+${compact}`;
  return /^\+[1-9]\d{6,14}$/.test(withPlus) ? withPlus : null;
}

/** A row's number that toE164 refused, said the same way by every upload. */
export const notANumber = (raw: string) => `${JSON.stringify(raw.slice(0, 40))} is not a phone number in E.164 form (+ country code and number, e.g. +14155550100)`;

export function parseContacts(text: string): ContactsResult {
  const csv = parseCsv(text, MAX_CONTACTS + 1);
  if (!csv.ok) return { ok: false, code: "INVALID_CSV", message: `Line ${csv.line}: ${csv.message}`, errors: [{ line: csv.line, field: null, message: csv.message }] };
  const [header, ...rows] = csv.rows;
  if (!header) return { ok: false, code: "INVALID_HEADER", message: "The file is empty: the first line must name the columns (phone, optional timezone, then your variables)", errors: [] };
  if (rows.length > MAX_CONTACTS) return { ok: false, code: "TOO_MANY_CONTACTS", message: `A campaign takes at most ${MAX_CONTACTS.toLocaleString("en-US")} contacts; this file has more. Split it into several campaigns.`, errors: [] };

  const headerErrors: RowError[] = [];
  const names = header.fields.map((f) => f.trim());
  const numberAt = names.findIndex((n) => NUMBER_COLUMNS.has(n.toLowerCase()));
  const zoneAt = names.findIndex((n) => ZONE_COLUMNS.has(n.toLowerCase()));
  if (numberAt < 0) headerErrors.push({ line: 1, field: null, message: 'no "phone" column: name the column holding the numbers "phone" (or "number")' });
  const variables: { at: number; name: string }[] = [];
  const seen = new Set<string>();
  names.forEach((name, at) => {
    if (at === numberAt || at === zoneAt) return;
    if (!VARIABLE_NAME.test(name)) headerErrors.push({ line: 1, field: name.slice(0, 60), message: `column ${at + 1}: a variable's name must start with a letter and hold only letters, digits, - and _ (at most 40), got ${JSON.stringify(name.slice(0, 60))}` });
    else if (seen.has(name.toLowerCase())) headerErrors.push({ line: 1, field: name, message: `column ${at + 1}: "${name}" appears twice` });
    else {
      seen.add(name.toLowerCase());
      variables.push({ at, name });
    }
  });
  if (variables.length > MAX_VARIABLES) headerErrors.push({ line: 1, field: null, message: `at most ${MAX_VARIABLES} variable columns, got ${variables.length}` });
  if (headerErrors.length) return { ok: false, code: "INVALID_HEADER", message: `The header line is not usable: ${headerErrors[0]!.message}`, errors: headerErrors };

  const errors: RowError[] = [];
  let errorCount = 0;
  const fail = (line: number, field: string | null, message: string) => {
    errorCount++;
    if (errors.length < MAX_LISTED_ERRORS) errors.push({ line, field, message });
  };
  const zones = new Map<string, boolean>();
  const byNumber = new Map<string, Contact>();
  let merged = 0;
  for (const row of rows) {
    if (row.fields.length !== names.length) {
      fail(row.line, null, `has ${row.fields.length} field${row.fields.length === 1 ? "" : "s"}, the header ${names.length}`);
      continue;
    }
    const raw = row.fields[numberAt]!;
    const number = toE164(raw);
    if (!number) {
      fail(row.line, names[numberAt]!, notANumber(raw));
      continue;
    }
    let timezone: string | null = null;
    if (zoneAt >= 0 && row.fields[zoneAt]!.trim()) {
      timezone = row.fields[zoneAt]!.trim();
      let known = zones.get(timezone);
      if (known === undefined) zones.set(timezone, (known = timezone.length <= 64 && isTimeZone(timezone)));
      if (!known) {
        fail(row.line, names[zoneAt]!, `${JSON.stringify(timezone.slice(0, 64))} is not an IANA time zone (e.g. America/New_York)`);
        continue;
      }
    }
    const values: Record<string, string> = {};
    let bad = false;
    for (const { at, name } of variables) {
      const value = row.fields[at]!.trim();
      if (!value) continue;
      const problem = value.length > MAX_VARIABLE_VALUE ? `must be at most ${MAX_VARIABLE_VALUE} characters` : CONTROL.test(value) ? "must not contain line breaks or control characters" : /[{}]/.test(value) ? "must not contain { or }" : null;
      if (problem) {
        fail(row.line, name, problem);
        bad = true;
        break;
      }
      values[name] = value;
    }
    if (bad) continue;
    const first = byNumber.get(number);
    if (first) {
      merged++;
      for (const [name, value] of Object.entries(values)) first.variables[name] ??= value;
      first.timezone ??= timezone;
      continue;
    }
    byNumber.set(number, { line: row.line, number, timezone, variables: values });
  }
  return { ok: true, contacts: [...byNumber.values()], errors, errorCount, merged, rows: rows.length };
}
