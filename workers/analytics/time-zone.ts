import { SLOT_MS, floorSlot } from "./slots";

/*
 * Local-time buckets for the analytics series, from IANA zone names with Intl only (Workers
 * have the full ICU data). Offsets are found at a few sampled instants and the transitions
 * between them pinned by bisection; bucket boundaries are then pure arithmetic over 15-minute
 * slots, so a 30-day hourly series costs ~120 Intl calls, not thousands.
 */

export type Interval = "hour" | "day";

export interface Bucket {
  /** UTC epoch ms of the bucket's first instant. */
  start: number;
  /** UTC epoch ms of the next bucket's start. */
  end: number;
  /** The local start with its offset, e.g. "2026-03-08T00:00:00-05:00". */
  label: string;
  /** The local end (the next bucket's start) with its offset. */
  endLabel: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isTimeZone(name: string): boolean {
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at `ms`, in milliseconds (local = utc + offset). */
export function offsetAt(ms: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  const local = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour! % 24, parts.minute!, parts.second!);
  return local - Math.floor(ms / 1000) * 1000;
}

const SAMPLE_MS = 6 * 3_600_000;

/** Offset segments covering [from, to): each from its start until the next one's. */
export function offsetSegments(fromMs: number, to: number, timeZone: string): { start: number; offset: number }[] {
  // Whole seconds, so bisection lands exactly on the transition instant.
  const from = Math.floor(fromMs / 1000) * 1000;
  const segments = [{ start: from, offset: offsetAt(from, timeZone) }];
  let previous = from;
  for (let t = Math.min(from + SAMPLE_MS, to); t <= to; t = t === to ? to + 1 : Math.min(t + SAMPLE_MS, to)) {
    const offset = offsetAt(t, timeZone);
    const last = segments[segments.length - 1]!;
    if (offset !== last.offset) {
      // Bisect to the second at which the offset changes.
      let lo = previous;
      let hi = t;
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (offsetAt(mid, timeZone) === last.offset) lo = mid;
        else hi = mid;
      }
      segments.push({ start: hi, offset });
    }
    previous = t;
  }
  return segments;
}

function offsetIn(segments: { start: number; offset: number }[], ms: number): number {
  let offset = segments[0]!.offset;
  for (const segment of segments) {
    if (segment.start > ms) break;
    offset = segment.offset;
  }
  return offset;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;

function keyOf(interval: Interval, wall: number, offset: number): string {
  // Hours carry the offset: the repeated hour of a DST fall-back is two buckets, not one.
  return interval === "day" ? String(Math.floor(wall / DAY)) : `${Math.floor(wall / HOUR)}@${offset}`;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

export function localLabel(utcMs: number, offset: number): string {
  const d = new Date(utcMs + offset);
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset) / 60_000;
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` + `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` + `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * The local hours or days that cover [from, to): the first starts at or before `from`, the last
 * ends at or after `to`. Days of 23 or 25 hours and half-hour zones come out right.
 */
export function localBuckets(from: number, to: number, interval: Interval, timeZone: string): Bucket[] {
  if (!(to > from)) return [];
  // Look a day past each end so the first and last buckets' true bounds are known.
  const lo = floorSlot(from) - DAY - SLOT_MS;
  const hi = floorSlot(to) + DAY + SLOT_MS;
  const segments = offsetSegments(lo, hi, timeZone);
  const buckets: Bucket[] = [];
  let currentKey: string | null = null;
  let currentStart = lo;
  let currentOffset = 0;
  for (let s = lo; s <= hi; s += SLOT_MS) {
    const offset = offsetIn(segments, s);
    const key = keyOf(interval, s + offset, offset);
    if (key === currentKey) continue;
    if (currentKey !== null && s > from && currentStart < to) {
      buckets.push({ start: currentStart, end: s, label: localLabel(currentStart, currentOffset), endLabel: localLabel(s, offset) });
    }
    if (s >= to) break;
    currentKey = key;
    currentStart = s;
    currentOffset = offset;
  }
  return buckets;
}

/** Index of the bucket holding `ms`, or -1. */
export function bucketIndex(buckets: readonly Bucket[], ms: number): number {
  let lo = 0;
  let hi = buckets.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const b = buckets[mid]!;
    if (ms < b.start) hi = mid - 1;
    else if (ms >= b.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}
