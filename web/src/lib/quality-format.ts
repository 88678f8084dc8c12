/*
 * How call quality and money read on screen. Figures a CDR did not report are "not reported",
 * never 0: a missing MOS is not a bad one, a missing cost is not free.
 */

export const NOT_REPORTED = "not reported";
/** A call's MOS below this sounds poor (the analytics endpoint counts the same). */
export const POOR_MOS = 3.5;

const fixed = (value: number, decimals: number) => String(Number(value.toFixed(decimals)));

export const isPoorMos = (mos: number | null | undefined): boolean => typeof mos === "number" && mos < POOR_MOS;
export const mosText = (mos: number | null | undefined) => (typeof mos === "number" ? mos.toFixed(2) : NOT_REPORTED);
export const jitterText = (ms: number | null | undefined) => (typeof ms === "number" ? `${fixed(ms, 1)} ms` : NOT_REPORTED);
export const lossText = (pct: number | null | undefined) => (typeof pct === "number" ? `${fixed(pct, 2)}%` : NOT_REPORTED);
/** Costs keep up to 6 decimals (the CDR's precision), without trailing zeros. */
export const costText = (cost: number | null | undefined) => (typeof cost === "number" ? fixed(cost, 6) : NOT_REPORTED);
export const perMinuteText = (cost: number | null | undefined) => (typeof cost === "number" ? `${fixed(cost, 4)} / min` : NOT_REPORTED);
