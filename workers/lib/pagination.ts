import { and, asc, desc, eq, gt, lt, or, type AnyColumn, type SQL } from "drizzle-orm";
import { AppError } from "./errors";
import { base64Url, fromBase64Url } from "./ids";

/*
 * Keyset (cursor) pagination: rows are ordered by (sort column, id), and a cursor carries the
 * last row's pair, so pages never repeat or skip a row even while rows are added or removed.
 * The cursor also carries the sort and a fingerprint of the filters: reusing it with other
 * parameters is refused instead of silently returning a wrong page.
 */

export type SortOrder = "asc" | "desc";
type CursorValue = string | number | boolean;

interface CursorState {
  s: string;
  o: SortOrder;
  f: string;
  v: CursorValue;
  d?: 1;
  id: string | number;
}

export { CursorSchema, LimitSchema } from "../schemas/paging";

/** FNV-1a: a short, stable fingerprint of the filters a cursor was issued for. */
function fingerprint(filters: Record<string, unknown>): string {
  const text = JSON.stringify(
    Object.entries(filters)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(36);
}

export interface PageRequest {
  sort: string;
  order: SortOrder;
  limit: number;
  cursor?: string | undefined;
  /** Every filter that shapes the result (not sort, order, limit or cursor). */
  filters: Record<string, unknown>;
}

export interface Keyset {
  sortColumn: AnyColumn;
  idColumn: AnyColumn;
}

function invalidCursor(why: string): AppError {
  return new AppError(400, "INVALID_CURSOR", `The cursor ${why}; request the first page again without a cursor`);
}

function decode(page: PageRequest): CursorState | null {
  if (!page.cursor) return null;
  let state: CursorState;
  try {
    state = JSON.parse(new TextDecoder().decode(fromBase64Url(page.cursor))) as CursorState;
  } catch {
    throw invalidCursor("is not one this API issued");
  }
  if (typeof state !== "object" || state === null || !("v" in state) || !("id" in state)) throw invalidCursor("is not one this API issued");
  if (state.s !== page.sort || state.o !== page.order) throw invalidCursor(`was issued for sort=${state.s}&order=${state.o}`);
  if (state.f !== fingerprint(page.filters)) throw invalidCursor("was issued for different filters");
  return state;
}

/** WHERE condition (after the cursor) and ORDER BY for one page; fetch `limit + 1` rows. */
export function keysetQuery(page: PageRequest, keyset: Keyset): { where: SQL | undefined; orderBy: SQL[]; take: number } {
  const state = decode(page);
  const direction = page.order === "asc" ? asc : desc;
  const after = page.order === "asc" ? gt : lt;
  const orderBy = [direction(keyset.sortColumn), direction(keyset.idColumn)];
  if (!state) return { where: undefined, orderBy, take: page.limit + 1 };
  const value = state.d ? new Date(state.v as string) : state.v;
  const where = or(after(keyset.sortColumn, value), and(eq(keyset.sortColumn, value), after(keyset.idColumn, state.id)));
  return { where, orderBy, take: page.limit + 1 };
}

/** Trims the extra row and mints the cursor for the next page. */
export function pageOf<Row>(rows: Row[], page: PageRequest, keyOf: (row: Row) => { value: CursorValue | Date; id: string | number }): { rows: Row[]; nextCursor: string | null } {
  if (rows.length <= page.limit) return { rows, nextCursor: null };
  const kept = rows.slice(0, page.limit);
  const { value, id } = keyOf(kept[kept.length - 1]!);
  const state: CursorState = {
    s: page.sort,
    o: page.order,
    f: fingerprint(page.filters),
    v: value instanceof Date ? value.toISOString() : value,
    id,
  };
  if (value instanceof Date) state.d = 1;
  return { rows: kept, nextCursor: base64Url(new TextEncoder().encode(JSON.stringify(state))) };
}
