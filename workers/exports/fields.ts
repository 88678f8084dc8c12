import { sql, type SQL } from "drizzle-orm";
import { CSV_BOM, csvCell } from "../analytics/csv";
import { callRecords } from "../db/schema";
import type { ExportField } from "./field-names";

/*
 * The columns an export may contain, in their default order: the SQL that reads each one
 * (times formatted as ISO 8601 by MySQL, JSON columns read as their text) and how a row of
 * those values becomes a CSV line or a JSON array element. Rows are read as plain arrays,
 * without per-field conversions: an export is mostly parsing, so parsing little matters.
 */

type Kind = "text" | "number" | "iso" | "json";

/** "2026-03-01T12:00:00.123Z", exactly as Date#toISOString writes it. */
const isoOf = (column: SQL) => sql<string>`CONCAT(DATE_FORMAT(${column}, '%Y-%m-%dT%H:%i:%s.'), LPAD(MICROSECOND(${column}) DIV 1000, 3, '0'), 'Z')`;

const field = (kind: Kind, expression: SQL) => ({ kind, expression });

export const EXPORT_FIELDS = {
  id: field("text", sql`${callRecords.id}`),
  callId: field("text", sql`${callRecords.callId}`),
  direction: field("text", sql`${callRecords.direction}`),
  from: field("text", sql`${callRecords.fromNumber}`),
  to: field("text", sql`${callRecords.toNumber}`),
  callerName: field("text", sql`${callRecords.callerName}`),
  status: field("text", sql`${callRecords.status}`),
  disposition: field("text", sql`${callRecords.disposition}`),
  endReason: field("text", sql`${callRecords.endReason}`),
  ruleId: field("text", sql`${callRecords.ruleId}`),
  groupId: field("text", sql`${callRecords.groupId}`),
  agentId: field("text", sql`${callRecords.agentId}`),
  trunkId: field("text", sql`${callRecords.trunkId}`),
  attemptCount: field("number", sql`${callRecords.attemptCount}`),
  startedAt: field("iso", isoOf(sql`${callRecords.startedAt}`)),
  answeredAt: field("iso", isoOf(sql`${callRecords.answeredAt}`)),
  endedAt: field("iso", isoOf(sql`${callRecords.endedAt}`)),
  durationSec: field("number", sql`${callRecords.durationSec}`),
  billableSec: field("number", sql`${callRecords.billableSec}`),
  waitPosition: field("number", sql`${callRecords.waitPosition}`),
  waitSec: field("number", sql`${callRecords.waitSec}`),
  waitOutcome: field("text", sql`${callRecords.waitOutcome}`),
  attempts: field("json", sql`${callRecords.attempts}`),
  routing: field("json", sql`${callRecords.decision}`),
} as const satisfies Record<ExportField, ReturnType<typeof field>>;

export { DEFAULT_EXPORT_FIELDS, EXPORT_FIELD_NAMES, type ExportField } from "./field-names";

export type ExportFormat = "csv" | "json";

export function exportHeader(format: ExportFormat, fields: readonly ExportField[]): string {
  return format === "csv" ? `${CSV_BOM}${fields.map(csvCell).join(",")}\r\n` : "[";
}

/** JSON columns arrive as their text; a JSON value of null or anything unparsable is written as null. */
function jsonText(value: unknown, fallback: string): string {
  if (value === null || value === undefined) return fallback;
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** One row (values in `fields` order) as a CSV line or a JSON array element. */
export function exportLine(format: ExportFormat, fields: readonly ExportField[], values: readonly unknown[], index: number): string {
  if (format === "csv") {
    let line = "";
    for (let i = 0; i < fields.length; i++) {
      const value = values[i];
      const kind = EXPORT_FIELDS[fields[i]!].kind;
      line += (i ? "," : "") + csvCell(kind === "json" ? jsonText(value, kind === "json" && fields[i] === "attempts" ? "[]" : "") : value);
    }
    return `${line}\r\n`;
  }
  let object = "{";
  for (let i = 0; i < fields.length; i++) {
    const value = values[i];
    const kind = EXPORT_FIELDS[fields[i]!].kind;
    const text = kind === "json" ? jsonText(value, fields[i] === "attempts" ? "[]" : "null") : kind === "number" ? (value === null ? "null" : String(Number(value))) : JSON.stringify(value ?? null);
    object += `${i ? "," : ""}"${fields[i]}":${text}`;
  }
  return `${index === 0 ? "\n" : ",\n"}${object}}`;
}

export function exportFooter(format: ExportFormat, rowCount: number): string {
  return format === "csv" ? "" : rowCount === 0 ? "]\n" : "\n]\n";
}

export const contentType = (format: ExportFormat) => (format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8");
