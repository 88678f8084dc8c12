/*
 * The TenantHub's tables, as an append-only list of migrations (lib/sql-migrations.ts): each
 * statement runs once per object, in order, so objects created by any earlier build catch up.
 */
export const HUB_SCHEMA = [
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
  "CREATE TABLE events (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, body TEXT NOT NULL)",
  "CREATE TABLE live_calls (call_id TEXT PRIMARY KEY, at INTEGER NOT NULL, started_at INTEGER NOT NULL, checked_at INTEGER NOT NULL, body TEXT NOT NULL)",
  "CREATE TABLE ended_calls (call_id TEXT PRIMARY KEY, at INTEGER NOT NULL)",
  "CREATE TABLE used_tickets (nonce TEXT PRIMARY KEY, exp INTEGER NOT NULL)",
  "CREATE TABLE streams (stream TEXT PRIMARY KEY, seq INTEGER NOT NULL, at INTEGER NOT NULL)",
  // Write diet: text-keyed tables WITHOUT ROWID (a new row is one row written, not two), and a
  // call's stream position kept in its live or ended row instead of a table of its own.
  "CREATE TABLE live_calls_v2 (call_id TEXT PRIMARY KEY, at INTEGER NOT NULL, started_at INTEGER NOT NULL, checked_at INTEGER NOT NULL, stream_seq INTEGER, body TEXT NOT NULL) WITHOUT ROWID",
  "INSERT INTO live_calls_v2 (call_id, at, started_at, checked_at, stream_seq, body) SELECT l.call_id, l.at, l.started_at, l.checked_at, s.seq, l.body FROM live_calls l LEFT JOIN streams s ON s.stream = l.call_id",
  "DROP TABLE live_calls",
  "ALTER TABLE live_calls_v2 RENAME TO live_calls",
  "CREATE TABLE ended_calls_v2 (call_id TEXT PRIMARY KEY, at INTEGER NOT NULL, stream_seq INTEGER) WITHOUT ROWID",
  "INSERT INTO ended_calls_v2 (call_id, at, stream_seq) SELECT e.call_id, e.at, s.seq FROM ended_calls e LEFT JOIN streams s ON s.stream = e.call_id",
  "DROP TABLE ended_calls",
  "ALTER TABLE ended_calls_v2 RENAME TO ended_calls",
  "CREATE TABLE used_tickets_v2 (nonce TEXT PRIMARY KEY, exp INTEGER NOT NULL) WITHOUT ROWID",
  "INSERT INTO used_tickets_v2 SELECT nonce, exp FROM used_tickets",
  "DROP TABLE used_tickets",
  "ALTER TABLE used_tickets_v2 RENAME TO used_tickets",
  "CREATE TABLE streams_v2 (stream TEXT PRIMARY KEY, seq INTEGER NOT NULL, at INTEGER NOT NULL) WITHOUT ROWID",
  "INSERT INTO streams_v2 SELECT s.stream, s.seq, s.at FROM streams s WHERE s.stream NOT IN (SELECT call_id FROM live_calls UNION SELECT call_id FROM ended_calls)",
  "DROP TABLE streams",
  "ALTER TABLE streams_v2 RENAME TO streams",
] as const;
