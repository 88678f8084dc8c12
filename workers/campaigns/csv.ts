/*
 * CSV as RFC 4180 writes it (and spreadsheets export it): fields separated by commas, quoted
 * with double quotes when they hold a comma, a quote ("" inside) or a line break; lines ended by
 * CRLF or LF; a UTF-8 byte-order mark at the start ignored. Pure and streaming-free: a 100,000-row
 * upload is a few megabytes, parsed in one pass.
 */

export interface CsvRow {
  /** The file's line number where the row starts (1 = the header). */
  line: number;
  fields: string[];
}

export type CsvResult = { ok: true; rows: CsvRow[] } | { ok: false; line: number; message: string };

/** Stops at `maxRows` + 1 rows (header included), so an oversized file costs no more than that to refuse. */
export function parseCsv(text: string, maxRows = Number.POSITIVE_INFINITY): CsvResult {
  const rows: CsvRow[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
  while (i < n && rows.length <= maxRows) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let value = "";
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) return { ok: false, line: start, message: "a quoted field is never closed" };
          const ch = text[i]!;
          if (ch === '"') {
            if (text[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (ch === "\n") line++;
          value += ch;
          i++;
        }
        if (i < n && text[i] !== "," && text[i] !== "\n" && text[i] !== "\r") return { ok: false, line, message: "text after a closing quote; quote the whole field and double the quotes inside it" };
      } else {
        const from = i;
        while (i < n && text[i] !== "," && text[i] !== "\n" && text[i] !== "\r") i++;
        value = text.slice(from, i);
        if (value.includes('"')) return { ok: false, line, message: "a quote inside an unquoted field; quote the whole field and double the quotes inside it" };
      }
      fields.push(value);
      if (text[i] === ",") {
        i++;
        continue;
      }
      break;
    }
    if (text[i] === "\r") i++;
    if (text[i] === "\n") i++;
    line++;
    // Blank lines (a trailing newline, spacing) carry no row.
    if (!(fields.length === 1 && fields[0] === "")) rows.push({ line: start, fields });
  }
  return { ok: true, rows };
}
