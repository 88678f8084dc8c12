/*
 * CSV that is safe to open in a spreadsheet (RFC 4180 quoting plus OWASP's CSV-injection rule):
 * a cell that a spreadsheet would evaluate as a formula (leading =, +, -, @, tab or CR) gets a
 * leading apostrophe, except plain numbers such as "+14155550100" or "-3", which cannot run
 * anything and keep their value.
 */

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = value instanceof Date ? value.toISOString() : typeof value === "object" ? JSON.stringify(value) : String(value);
  if (FORMULA_START.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A UTF-8 byte-order mark: without it Excel reads UTF-8 names as Windows-1252. */
export const CSV_BOM = "\uFEFF";
