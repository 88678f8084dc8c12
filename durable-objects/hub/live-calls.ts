import { log } from "../../workers/lib/log";
import type { Env } from "../../workers/env";
import { isTerminal } from "../../workers/domain/call-machine";
import type { HubEvent, LiveCallSummary } from "../hub-events";
import { liveSummaryOf, registryAction } from "../logic/hub-logic";

/*
 * The registry of live calls in the hub's storage: a row per live call, and a tombstone per
 * recently ended one so that older news arriving late cannot bring it back (logic/hub-logic.ts
 * decides; this reads and writes the rows).
 */

/** How long an ended call's tombstone outlives it. */
const TOMBSTONE_MS = 3_600_000;
/** A live call with no news for this long is checked against its CallSession. */
export const STALE_CALL_MS = 10 * 60_000;

/** A live call as a batch of events leaves it: what writeRegistryEntry then writes, once. */
export interface RegistryEntry {
  current: { at: number } | null;
  tombstoned: boolean;
  write: "end" | "upsert" | null;
  summary: LiveCallSummary | null;
}

/** Applies a call.* event to the batch's view of the registry; the batch writes the outcome. */
export function registerEvent(sql: SqlStorage, calls: Map<string, RegistryEntry>, event: HubEvent, at: number): void {
  const summary = liveSummaryOf(event);
  if (!summary) return;
  let entry = calls.get(summary.callId);
  if (!entry) {
    entry = {
      current: sql.exec<{ at: number }>("SELECT at FROM live_calls WHERE call_id = ?", summary.callId).toArray()[0] ?? null,
      tombstoned: sql.exec("SELECT 1 FROM ended_calls WHERE call_id = ?", summary.callId).toArray().length > 0,
      write: null,
      summary: null,
    };
    calls.set(summary.callId, entry);
  }
  const action = registryAction(summary, event.type, entry.current, entry.tombstoned, at);
  if (action === "end") {
    Object.assign(entry, { current: null, tombstoned: true, write: "end", summary: null });
  } else if (action === "upsert") {
    Object.assign(entry, { current: { at }, write: "upsert", summary });
  }
}

/** Writes a call's outcome of a batch, with its stream position (null: unchanged). */
export function writeRegistryEntry(sql: SqlStorage, callId: string, entry: RegistryEntry, streamSeq: number | null, now: number): void {
  if (entry.write === "end") {
    sql.exec(
      "INSERT INTO ended_calls (call_id, at, stream_seq) VALUES (?, ?, COALESCE(?, (SELECT stream_seq FROM live_calls WHERE call_id = ?))) ON CONFLICT (call_id) DO UPDATE SET at = excluded.at, stream_seq = COALESCE(excluded.stream_seq, stream_seq)",
      callId,
      now,
      streamSeq,
      callId,
    );
    sql.exec("DELETE FROM live_calls WHERE call_id = ?", callId);
  } else if (entry.write === "upsert" && entry.summary) {
    sql.exec(
      "INSERT INTO live_calls (call_id, at, started_at, checked_at, stream_seq, body) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (call_id) DO UPDATE SET at = excluded.at, checked_at = excluded.checked_at, stream_seq = COALESCE(excluded.stream_seq, stream_seq), body = excluded.body",
      callId,
      entry.current!.at,
      entry.summary.startedAt,
      now,
      streamSeq,
      JSON.stringify(entry.summary),
    );
  }
}

/** The live calls, oldest first. */
export function listLiveCalls(sql: SqlStorage): LiveCallSummary[] {
  return sql
    .exec<{ body: string }>("SELECT body FROM live_calls ORDER BY started_at, call_id")
    .toArray()
    .map((row) => JSON.parse(row.body) as LiveCallSummary);
}

export function hasLiveCall(sql: SqlStorage, callId: string): boolean {
  return sql.exec("SELECT 1 FROM live_calls WHERE call_id = ?", callId).toArray().length > 0;
}

export function anyLiveCall(sql: SqlStorage): boolean {
  return sql.exec("SELECT 1 FROM live_calls LIMIT 1").toArray().length > 0;
}

export function forgetOldTombstones(sql: SqlStorage, now: number): void {
  sql.exec("DELETE FROM ended_calls WHERE at < ?", now - TOMBSTONE_MS);
}

/**
 * Calls whose end never reached the hub (a lost publish) are checked with their CallSession;
 * an ended one is published as ended, so dashboards drop it like any other.
 */
export async function reconcileStaleCalls(sql: SqlStorage, env: Env, tenantId: string, now: number, publish: (events: HubEvent[]) => Promise<unknown>): Promise<void> {
  const stale = sql.exec<{ call_id: string; body: string }>("SELECT call_id, body FROM live_calls WHERE checked_at < ? ORDER BY checked_at LIMIT 20", now - STALE_CALL_MS).toArray();
  for (const row of stale) {
    let ended = false;
    try {
      const snapshot = (await env.CALL_SESSION.getByName(`${tenantId}:${row.call_id}`).snapshot()) as { state: string } | null;
      ended = !snapshot || isTerminal(snapshot.state);
    } catch (err) {
      log.warn("hub.call_check_failed", { callId: row.call_id, error: err });
      continue;
    }
    if (!ended) {
      sql.exec("UPDATE live_calls SET checked_at = ? WHERE call_id = ?", now, row.call_id);
      continue;
    }
    const summary = JSON.parse(row.body) as LiveCallSummary;
    await publish([{ type: "call.ended", at: now, data: { ...summary, state: summary.state, endedAt: now, event: "call.ended", detail: { reason: "reconciled" } } }]);
  }
}
