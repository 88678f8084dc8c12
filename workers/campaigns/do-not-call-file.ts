import { CONTROL, MAX_LISTED_ERRORS, NUMBER_COLUMNS, notANumber, toE164, type RowError } from "./contacts";
import { parseCsv } from "./csv";

/*
 * A do-not-call list from a file: CSV or plain text, one number a line, optionally a note after
 * a comma ("+14155550100,asked by phone"). A first line naming the columns (phone or number,
 * and note or reason) is read as a header; then other columns are ignored, so a spreadsheet's
 * export loads as it is. Numbers are normalised to E.164 as contact lists are (contacts.ts), a
 * number given twice is kept once (its first note, else a later one), and every bad row is
 * listed by line, as for contact lists.
 */

export const MAX_DNC_ROWS = 100_000;
/** The list's note column holds 200 characters. */
export const MAX_DNC_NOTE = 200;

const NOTE_COLUMNS = new Set(["note", "notes", "reason"]);

export interface DncEntry {
  /** The line the number was first given on. */
  line: number;
  number: string;
  note: string;
}

export type DncFileResult = { ok: true; entries: DncEntry[]; errors: RowError[]; errorCount: number; merged: number; rows: number } | { ok: false; code: "TOO_MANY_NUMBERS" | "INVALID_CSV"; message: string; errors: RowError[] };

/** "Phone Number" and "phone_number" name the same column. */
const columnName = (field: string) => field.trim().toLowerCase().replace(/\s+/g, "_");

interface Layout {
  numberAt: number;
  noteAt: number;
  /** Fields a row must have: the header's count, or null without a header (1 or 2). */
  width: number | null;
  numberField: string;
  noteField: string;
}

/** The columns: from the header line when the first line names a number column, else number then note. */
function layoutOf(first: string[] | undefined): Layout | null {
  const names = first?.map(columnName) ?? [];
  const numberAt = names.findIndex((name) => NUMBER_COLUMNS.has(name));
  if (numberAt < 0) return null;
  const noteAt = names.findIndex((name) => NOTE_COLUMNS.has(name));
  return { numberAt, noteAt, width: names.length, numberField: first![numberAt]!.trim(), noteField: noteAt >= 0 ? first![noteAt]!.trim() : "note" };
}

const HEADERLESS: Layout = { numberAt: 0, noteAt: 1, width: null, numberField: "number", noteField: "note" };

export function parseDoNotCallFile(text: string): DncFileResult {
  const csv = parseCsv(text, MAX_DNC_ROWS + 1);
  if (!csv.ok) return { ok: false, code: "INVALID_CSV", message: `Line ${csv.line}: ${csv.message}`, errors: [{ line: csv.line, field: null, message: csv.message }] };
  const header = layoutOf(csv.rows[0]?.fields);
  const layout = header ?? HEADERLESS;
  const rows = header ? csv.rows.slice(1) : csv.rows;
  if (rows.length > MAX_DNC_ROWS) return { ok: false, code: "TOO_MANY_NUMBERS", message: `A do-not-call upload takes at most ${MAX_DNC_ROWS.toLocaleString("en-US")} rows; this file has more. Split it into several files.`, errors: [] };

  const errors: RowError[] = [];
  let errorCount = 0;
  const fail = (line: number, field: string | null, message: string) => {
    errorCount++;
    if (errors.length < MAX_LISTED_ERRORS) errors.push({ line, field, message });
  };
  const byNumber = new Map<string, DncEntry>();
  let merged = 0;
  for (const row of rows) {
    const count = row.fields.length;
    if (layout.width !== null && count !== layout.width) {
      fail(row.line, null, `has ${count} field${count === 1 ? "" : "s"}, the header ${layout.width}`);
      continue;
    }
    if (layout.width === null && count > 2) {
      fail(row.line, null, `has ${count} fields: give one number a line, optionally followed by a note after a comma`);
      continue;
    }
    const raw = row.fields[layout.numberAt]!;
    const number = toE164(raw);
    if (!number) {
      fail(row.line, layout.numberField, notANumber(raw));
      continue;
    }
    const note = layout.noteAt >= 0 ? (row.fields[layout.noteAt] ?? "").trim() : "";
    const problem = note.length > MAX_DNC_NOTE ? `must be at most ${MAX_DNC_NOTE} characters` : CONTROL.test(note) ? "must not contain line breaks or control characters" : null;
    if (problem) {
      fail(row.line, layout.noteField, problem);
      continue;
    }
    const first = byNumber.get(number);
    if (first) {
      merged++;
      first.note ||= note;
      continue;
    }
    byNumber.set(number, { line: row.line, number, note });
  }
  return { ok: true, entries: [...byNumber.values()], errors, errorCount, merged, rows: rows.length };
}
