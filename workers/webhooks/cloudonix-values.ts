import { z } from "zod";

/*
 * The value shapes Cloudonix sends. A field that may be absent may also be `null` (the answer
 * time of an unanswered call, a CDR's cost): both mean "not reported". Refusing a null would
 * lose the callback for good, since Cloudonix does not resend after a 4xx.
 */

/** Optional, and `null` reads as absent. */
export const absent = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v): z.output<T> | undefined => v ?? undefined);

/** Text, also when a proxy sent it as a number. */
export const text = (max: number) => z.union([z.string(), z.number().transform(String)]).pipe(z.string().max(max));

const finitePositive = (v: number) => (Number.isFinite(v) && v > 0 ? v : undefined);

/** Epoch milliseconds (session times) or an ISO date; anything unparsable is dropped, not refused. */
export const epochMs = z.union([z.number(), z.string()]).transform((v) => finitePositive(typeof v === "number" ? v : Date.parse(v)));

/** Epoch seconds (a CDR's `timestamp`), as a number, a numeric string or an ISO date; read as ms. */
export const epochSeconds = z.union([z.number(), z.string()]).transform((v) => {
  if (typeof v === "number" || /^\s*\d+(\.\d+)?\s*$/.test(v)) return finitePositive(Number(v) * 1000);
  return finitePositive(Date.parse(v));
});

/** Whole seconds of a duration; negative or unparsable values are dropped. */
export const seconds = z.union([z.number(), z.string()]).transform((v) => {
  const n = typeof v === "string" && v.trim() === "" ? NaN : Number(v);
  return Number.isFinite(n) && n >= 0 ? Math.round(n) : undefined;
});

/** A non-negative integer id (Cloudonix's numeric session id), as a number or numeric string. */
export const numericId = z.union([z.number(), z.string()]).transform((v) => {
  const n = typeof v === "string" && !/^\s*\d+\s*$/.test(v) ? NaN : Number(v);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
});
