/**
 * Rollups are kept per 15-minute UTC slot: every time zone in use today is offset from UTC by a
 * multiple of 15 minutes, so every local hour and local day is a whole number of slots.
 */
export const SLOT_MS = 15 * 60_000;

export const floorSlot = (ms: number): number => Math.floor(ms / SLOT_MS) * SLOT_MS;
export const ceilSlot = (ms: number): number => Math.ceil(ms / SLOT_MS) * SLOT_MS;

/**
 * Splits [from, to) into the whole slots the rollups answer and the ragged edges that must be
 * read from the records themselves. `interior` is null when no whole slot fits.
 */
export function splitRange(from: number, to: number): { interior: [number, number] | null; edges: [number, number][] } {
  const start = ceilSlot(from);
  const end = floorSlot(to);
  if (start >= end) return { interior: null, edges: from < to ? [[from, to]] : [] };
  const edges: [number, number][] = [];
  if (from < start) edges.push([from, start]);
  if (end < to) edges.push([end, to]);
  return { interior: [start, end], edges };
}

export const DAY_MS = 86_400_000;
export const floorDay = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;
export const ceilDay = (ms: number): number => Math.ceil(ms / DAY_MS) * DAY_MS;

/**
 * Splits whole slots [from, to) into the whole UTC days the daily rollups answer and the slot
 * ranges around them. `days` is null when no whole day fits.
 */
export function splitDays([from, to]: [number, number]): { days: [number, number] | null; slots: [number, number][] } {
  const start = ceilDay(from);
  const end = floorDay(to);
  if (start >= end) return { days: null, slots: [[from, to]] };
  const slots: [number, number][] = [];
  if (from < start) slots.push([from, start]);
  if (end < to) slots.push([end, to]);
  return { days: [start, end], slots };
}
