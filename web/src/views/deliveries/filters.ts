import { useMemo } from "react";
import { useSearchParams } from "react-router";

export const RANGES = [
  { value: "15m", label: "Last 15 minutes", ms: 15 * 60_000 },
  { value: "1h", label: "Last hour", ms: 3_600_000 },
  { value: "24h", label: "Last 24 hours", ms: 86_400_000 },
  { value: "7d", label: "Last 7 days", ms: 7 * 86_400_000 },
  { value: "all", label: "All time", ms: 0 },
];

/**
 * A tab's filters, kept in the URL so that a link (the dashboard's alert) can open the screen
 * filtered. `onChange` runs after every change: a cursor only fits the filters it came with.
 */
export function useUrlFilters(onChange: () => void) {
  const [params, setParams] = useSearchParams();
  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
    onChange();
  };
  const range = params.get("range") ?? "24h";
  // The range's start is fixed when the filters change, so that paging stays on one result set.
  // biome-ignore lint/correctness/useExhaustiveDependencies: recomputed on purpose whenever any filter (params) changes.
  const since = useMemo(() => {
    const ms = RANGES.find((r) => r.value === range)?.ms ?? 0;
    return ms ? new Date(Date.now() - ms).toISOString() : undefined;
  }, [range, params.toString()]);
  return { params, set, range, since };
}

/** The value when it is one of `options`, else undefined (a hand-edited URL filters nothing). */
export const oneOf = <T extends string>(options: readonly T[], value: string | null): T | undefined => ((options as readonly string[]).includes(value ?? "") ? (value as T) : undefined);
