/*
 * The numbered events kept for replay: the newest RING of them, so a dashboard that reconnects
 * after a short gap gets what it missed instead of a fresh snapshot.
 */

/** Events kept for replay to clients that reconnect. */
export const RING = 1_000;

/**
 * Where the numbering stands when the object is constructed. The sequence is the newest
 * event's (the ring always keeps it); builds before this one also wrote it to meta on every
 * publish. The epoch changes only if the storage is lost, which tells clients their seq is void.
 */
export function loadPosition(sql: SqlStorage): { seq: number; epoch: string } {
  const meta = new Map(
    sql
      .exec<{ key: string; value: string }>("SELECT key, value FROM meta")
      .toArray()
      .map((r) => [r.key, r.value]),
  );
  const newest = sql.exec<{ seq: number | null }>("SELECT MAX(seq) AS seq FROM events").one().seq ?? 0;
  const seq = Math.max(newest, Number(meta.get("seq") ?? 0));
  const epoch = meta.get("epoch") ?? crypto.randomUUID().slice(0, 8);
  if (!meta.has("epoch")) sql.exec("INSERT INTO meta (key, value) VALUES ('epoch', ?)", epoch);
  return { seq, epoch };
}

export function appendEvent(sql: SqlStorage, seq: number, at: number, body: string): void {
  sql.exec("INSERT INTO events (seq, at, body) VALUES (?, ?, ?)", seq, at, body);
}

/** Drops what fell out of the ring; returns the seq up to which events are now gone. */
export function trimRing(sql: SqlStorage, seq: number): number {
  sql.exec("DELETE FROM events WHERE seq <= ?", seq - RING);
  return seq - RING;
}

export function oldestBuffered(sql: SqlStorage): number | null {
  return sql.exec<{ seq: number | null }>("SELECT MIN(seq) AS seq FROM events").one().seq;
}

/** The stored bodies after `after`, oldest first, read as they are sent. */
export function* eventsAfter(sql: SqlStorage, after: number): Generator<string> {
  for (const row of sql.exec<{ body: string }>("SELECT body FROM events WHERE seq > ? ORDER BY seq", after)) yield row.body;
}
