import { isTerminal } from "../domain/call-machine";
import { BIN_COUNT, binOf } from "./duration-bins";
import { floorSlot } from "./slots";

/*
 * What one call contributes to call_rollups, as a pure function of its record. The record keeps
 * a signature of the inputs it was counted with (call_records.rollup_sig); when the record
 * changes, the rollups move by contribution(new) − contribution(old). Applying the same record
 * twice is therefore a no-op, whatever order or how often the queue delivers its events.
 */

export const LIVE_STATUSES = ["initiated", "routing", "ringing", "connected"] as const;

/** Measures in call_rollups column order: call measures, attempt measures, duration bins. */
export const MEASURES = ["calls", "answered", "failed", "timedOut", "abandoned", "durationSum", "durationCount", "attempts", "firstAttempts", "attemptsAnswered", "attemptsFailed", ...Array.from({ length: BIN_COUNT }, (_, i) => `h${i}`)] as const;
export type Measure = (typeof MEASURES)[number];
export const MEASURE_COUNT = MEASURES.length;
/** Positions in MEASURES. */
const M = {
  calls: 0,
  answered: 1,
  failed: 2,
  timedOut: 3,
  abandoned: 4,
  durationSum: 5,
  durationCount: 6,
  attempts: 7,
  firstAttempts: 8,
  attemptsAnswered: 9,
  attemptsFailed: 10,
} as const;
export const HIST_OFFSET = 11;

/** The snake_case column of a measure. */
export const measureColumn = (measure: string): string => measure.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`);

export interface RollupRecord {
  startedAt: Date | number;
  direction: "inbound" | "outbound";
  status: string;
  groupId: string | null;
  agentId: string | null;
  answeredAt: Date | number | null;
  durationSec: number | null;
  /** The record's attempts JSON (CallAttempt[]). */
  attempts: unknown;
}

export interface Cell {
  slot: number;
  direction: "inbound" | "outbound";
  groupId: string;
  agentId: string;
  /** Aligned with MEASURES. */
  values: number[];
}

type Outcome = "a" | "f" | "e" | "";
type Sig = [version: 1, slot: number, direction: "i" | "o", groupId: string, agentId: string, status: "c" | "f" | "t", answered: 0 | 1, duration: number, attempts: [string, string, Outcome][]];

const ms = (value: Date | number): number => (typeof value === "number" ? value : value.getTime());

function compactAttempts(attempts: unknown): [string, string, Outcome][] {
  if (!Array.isArray(attempts)) return [];
  const out: [string, string, Outcome][] = [];
  for (const a of attempts as Record<string, unknown>[]) {
    if (a?.kind !== "agent" || typeof a.targetId !== "string") continue;
    const outcome: Outcome = a.outcome === "answered" ? "a" : a.outcome === "failed" ? "f" : a.outcome === "ended" ? "e" : "";
    out.push([typeof a.groupId === "string" ? a.groupId : "", a.targetId, outcome]);
  }
  return out;
}

/** The signature of what a record contributes; null while the call is not over (not counted). */
export function rollupSignature(record: RollupRecord): string | null {
  if (!isTerminal(record.status)) return null;
  const sig: Sig = [
    1,
    floorSlot(ms(record.startedAt)),
    record.direction === "outbound" ? "o" : "i",
    record.groupId ?? "",
    record.agentId ?? "",
    record.status === "completed" ? "c" : record.status === "failed" ? "f" : "t",
    record.answeredAt === null ? 0 : 1,
    record.durationSec ?? -1,
    compactAttempts(record.attempts),
  ];
  return JSON.stringify(sig);
}

export const cellKey = (c: Pick<Cell, "slot" | "direction" | "groupId" | "agentId">): string => `${c.slot}\u0001${c.direction}\u0001${c.groupId}\u0001${c.agentId}`;

function cellIn(cells: Map<string, Cell>, slot: number, direction: Cell["direction"], groupId: string, agentId: string): number[] {
  const key = cellKey({ slot, direction, groupId, agentId });
  let cell = cells.get(key);
  if (!cell) {
    cell = { slot, direction, groupId, agentId, values: new Array<number>(MEASURE_COUNT).fill(0) };
    cells.set(key, cell);
  }
  return cell.values;
}

/** Adds the contribution of `sig` (times `sign`) into `cells`. */
export function addContribution(cells: Map<string, Cell>, sig: string | null, sign: 1 | -1 = 1): void {
  if (!sig) return;
  const [version, slot, d, groupId, agentId, status, answered, duration, attempts] = JSON.parse(sig) as Sig;
  if (version !== 1) throw new Error(`unknown rollup signature version ${String(version)}`);
  const direction = d === "o" ? "outbound" : "inbound";
  const call = cellIn(cells, slot, direction, groupId, agentId);
  call[M.calls]! += sign;
  if (answered) call[M.answered]! += sign;
  if (status === "f") call[M.failed]! += sign;
  if (status === "t") call[M.timedOut]! += sign;
  if (status === "c" && !answered) call[M.abandoned]! += sign;
  if (answered && duration >= 0) {
    call[M.durationSum]! += sign * duration;
    call[M.durationCount]! += sign;
    call[HIST_OFFSET + binOf(duration)]! += sign;
  }
  const seenGroups = new Set<string>();
  for (const [attemptGroup, attemptAgent, outcome] of attempts) {
    const values = cellIn(cells, slot, direction, attemptGroup, attemptAgent);
    values[M.attempts]! += sign;
    if (!seenGroups.has(attemptGroup)) {
      seenGroups.add(attemptGroup);
      values[M.firstAttempts]! += sign;
    }
    if (outcome === "a") values[M.attemptsAnswered]! += sign;
    if (outcome === "f") values[M.attemptsFailed]! += sign;
  }
}

/** The rollup change that moves a call from `before` to `after` (zero cells dropped). */
export function rollupDelta(before: string | null, after: string | null): Cell[] {
  if (before === after) return [];
  const cells = new Map<string, Cell>();
  addContribution(cells, after, 1);
  addContribution(cells, before, -1);
  return [...cells.values()].filter((cell) => cell.values.some((v) => v !== 0));
}

/** Sums many deltas by cell, in a stable key order (so concurrent writers lock rows in one order). */
export function mergeCells(cellLists: Iterable<Cell[]>): Cell[] {
  const merged = new Map<string, Cell>();
  for (const list of cellLists) {
    for (const cell of list) {
      const values = cellIn(merged, cell.slot, cell.direction, cell.groupId, cell.agentId);
      for (let i = 0; i < MEASURE_COUNT; i++) values[i]! += cell.values[i]!;
    }
  }
  return [...merged.entries()]
    .filter(([, cell]) => cell.values.some((v) => v !== 0))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, cell]) => cell);
}

/** Call measures only: what call_rollup_series keeps. */
export const SERIES_MEASURE_COUNT = 7;

/** The same deltas per UTC day (call_rollups_daily). */
export function dailyCells(cells: readonly Cell[]): Cell[] {
  return mergeCells([cells.map((c) => ({ ...c, slot: Math.floor(c.slot / 86_400_000) * 86_400_000 }))]);
}

/** The same deltas per slot and direction only, call measures only (call_rollup_series). */
export function seriesCells(cells: readonly Cell[]): Cell[] {
  return mergeCells([cells.map((c) => ({ ...c, groupId: "", agentId: "", values: c.values.map((v, i) => (i < SERIES_MEASURE_COUNT ? v : 0)) }))]);
}
