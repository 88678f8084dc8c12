/**
 * How call records are searched by number. "Starts with" and "is" use the stored number's own
 * index; "ends with" uses the reversed normalised number, so that it too is a prefix search on an
 * index ("ends with 0100" is "0010%"); "contains" has no index and is only allowed over a bounded
 * period, so that its cost follows the period's calls and not the table's.
 */
import { normalizeNumber } from "./numbers";

export const NUMBER_MATCHES = ["prefix", "suffix", "exact", "contains"] as const;
export type NumberMatch = (typeof NUMBER_MATCHES)[number];

/** The longest period a "contains" search may scan. */
export const CONTAINS_MAX_DAYS = 31;

/**
 * What call_records.from_number_rev / to_number_rev hold for a stored number, and what a suffix
 * search looks for: the normalised number reversed by code point (as SQL's REVERSE does, which
 * the migration's backfill uses).
 */
export const reversedNumber = (number: string): string => Array.from(normalizeNumber(number)).reverse().join("");

/**
 * Why a "contains" search over this period is refused, or null: it needs a start, and at most
 * CONTAINS_MAX_DAYS from it to its end (now when open).
 */
export function containsPeriodProblem(period: { since?: Date | undefined; until?: Date | undefined }, now: number): string | null {
  if (!period.since) return `a "contains" search scans every call of its period: give since (at most ${CONTAINS_MAX_DAYS} days before until), or search by "prefix" or "suffix"`;
  const end = period.until?.getTime() ?? now;
  if (end - period.since.getTime() > CONTAINS_MAX_DAYS * 86_400_000) return `a "contains" search scans every call of its period: at most ${CONTAINS_MAX_DAYS} days, or search by "prefix" or "suffix"`;
  return null;
}
