/*
 * Each publisher's stream position: the last seq the hub took from it, so a resend (a retry
 * after a lost answer) is dropped. A call's position is kept in its live or ended row, saving
 * a row per call; other streams have the streams table.
 */

/** How long a publisher's stream position is remembered, to drop its resends (a call's life and then some). */
const STREAM_MEMORY_MS = 24 * 3_600_000;

/** A stream as a batch sees it: where it stood, whether the batch moved it, and which row holds it. */
export interface StreamPosition {
  seen: number | null;
  changed: boolean;
  row: "live" | "ended" | null;
}

export function streamPosition(sql: SqlStorage, stream: string): StreamPosition {
  const live = sql.exec<{ seq: number | null }>("SELECT stream_seq AS seq FROM live_calls WHERE call_id = ?", stream).toArray()[0];
  if (live) return { seen: live.seq, changed: false, row: "live" };
  const ended = sql.exec<{ seq: number | null }>("SELECT stream_seq AS seq FROM ended_calls WHERE call_id = ?", stream).toArray()[0];
  if (ended) return { seen: ended.seq, changed: false, row: "ended" };
  return { seen: sql.exec<{ seq: number }>("SELECT seq FROM streams WHERE stream = ?", stream).toArray()[0]?.seq ?? null, changed: false, row: null };
}

/** Saves a position the batch moved, where streamPosition found it. */
export function writeStreamPosition(sql: SqlStorage, name: string, stream: StreamPosition, now: number): void {
  if (stream.row === "live") sql.exec("UPDATE live_calls SET stream_seq = ? WHERE call_id = ?", stream.seen, name);
  else if (stream.row === "ended") sql.exec("UPDATE ended_calls SET stream_seq = ? WHERE call_id = ?", stream.seen, name);
  else sql.exec("INSERT INTO streams (stream, seq, at) VALUES (?, ?, ?) ON CONFLICT (stream) DO UPDATE SET seq = excluded.seq, at = excluded.at", name, stream.seen, now);
}

export function forgetOldStreams(sql: SqlStorage, now: number): void {
  sql.exec("DELETE FROM streams WHERE at < ?", now - STREAM_MEMORY_MS);
}
