import { base64Url, fromBase64Url } from "../lib/ids";

/*
 * Opaque keyset cursors for the call-record list and the export job. A cursor holds the last
 * row's (sort value, id) plus the sort and a fingerprint of the filters it was issued for, so
 * reusing it with other parameters is refused rather than answered with a wrong page. Sort
 * values may be null (durationSec of a live call); the repository orders nulls the way MySQL
 * does (first ascending, last descending) and resumes across them without gaps.
 */

export type SortOrder = "asc" | "desc";

export interface CursorPosition {
  value: number | null;
  id: string;
}

interface CursorBody {
  s: string;
  o: SortOrder;
  f: string;
  v: number | null;
  i: string;
}

export class CursorError extends Error {}

/** FNV-1a over the filters in a canonical order. */
export function filtersFingerprint(filters: Record<string, unknown>): string {
  const canonical = JSON.stringify(
    Object.entries(filters)
      .filter(([, v]) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => [k, Array.isArray(v) ? [...v].sort() : v instanceof Date ? v.toISOString() : v]),
  );
  let hash = 0x811c9dc5;
  for (let i = 0; i < canonical.length; i++) hash = Math.imul(hash ^ canonical.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(36);
}

export function encodeCursor(sort: string, order: SortOrder, filters: Record<string, unknown>, position: CursorPosition): string {
  const body: CursorBody = { s: sort, o: order, f: filtersFingerprint(filters), v: position.value, i: position.id };
  return base64Url(new TextEncoder().encode(JSON.stringify(body)));
}

export function decodeCursor(cursor: string, sort: string, order: SortOrder, filters: Record<string, unknown>): CursorPosition {
  let body: CursorBody;
  try {
    body = JSON.parse(new TextDecoder().decode(fromBase64Url(cursor))) as CursorBody;
  } catch {
    throw new CursorError("is not one this API issued");
  }
  if (typeof body !== "object" || body === null || typeof body.i !== "string" || !(body.v === null || (typeof body.v === "number" && Number.isFinite(body.v)))) {
    throw new CursorError("is not one this API issued");
  }
  if (body.s !== sort || body.o !== order) throw new CursorError(`was issued for sort=${body.s}&order=${body.o}`);
  if (body.f !== filtersFingerprint(filters)) throw new CursorError("was issued for different filters");
  return { value: body.v, id: body.i };
}
