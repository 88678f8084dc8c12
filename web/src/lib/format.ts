/** 75 → "1:15"; null → "—". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "—";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}

export const dateTime = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : "—");
export const time = (iso: string | number) => new Date(iso).toLocaleTimeString();
export const percent = (ratio: number | null | undefined) => (ratio === null || ratio === undefined ? "—" : `${(ratio * 100).toFixed(1)}%`);
export const bytes = (n: number | null | undefined) => (n == null ? "—" : n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(1)} MB`);
/** A stored number pattern as people write it: "1555*" → "+1555*", "*" stays; missing → "". */
export const patternText = (pattern: string | null | undefined) => (!pattern ? "" : pattern === "*" ? "*" : `+${pattern.replace(/^\+/, "")}`);

export const NOT_REPORTED = "not reported";

/**
 * Talk time as far as it is known. An answered call without a duration, or with 0 (what records
 * stored before durations were reported), has an unknown one: "not reported", never "0:00".
 * A call never answered talked for nothing: "—".
 */
export function talkTime(seconds: number | null | undefined, answered: boolean): string {
  if (!answered) return seconds ? duration(seconds) : "—";
  return seconds ? duration(seconds) : NOT_REPORTED;
}
