import { useEffect, useState } from "react";

const DAY_MS = 86_400_000;

/** The current time, updated every `everyMs`: windows computed from it move with the clock. */
export function useNow(everyMs = 60_000): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/**
 * Today so far (up to whenever the API answers), and the same stretch of yesterday: from
 * yesterday's midnight to this time yesterday. Calendar arithmetic, so the days line up across
 * daylight-saving changes.
 */
export function todayRanges(now: number) {
  const midnight = new Date(now);
  midnight.setHours(0, 0, 0, 0);
  const yesterdayMidnight = new Date(midnight);
  yesterdayMidnight.setDate(yesterdayMidnight.getDate() - 1);
  const thisTimeYesterday = new Date(now);
  thisTimeYesterday.setDate(thisTimeYesterday.getDate() - 1);
  return {
    today: { since: midnight.toISOString() },
    yesterday: { since: yesterdayMidnight.toISOString(), until: thisTimeYesterday.toISOString() },
  };
}

/** The start of the last `days` days. */
export const periodSince = (now: number, days: number) => new Date(now - days * DAY_MS).toISOString();
