/*
 * The GroupBalancer's tables, as an append-only list of migrations (lib/sql-migrations.ts):
 * each statement runs once per object, in order.
 */
export const BALANCER_SCHEMA = [
  `CREATE TABLE rotation (id INTEGER PRIMARY KEY CHECK (id = 1), state TEXT NOT NULL)`,
  `CREATE TABLE active_calls (call_key TEXT PRIMARY KEY, agent_id TEXT NOT NULL, claimed_at INTEGER NOT NULL, expires_at INTEGER NOT NULL)`,
  `CREATE TABLE window_counts (agent_id TEXT NOT NULL, hour INTEGER NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (agent_id, hour))`,
  `CREATE TABLE health (agent_id TEXT PRIMARY KEY, consecutive_failures INTEGER NOT NULL, unhealthy_until INTEGER NOT NULL)`,
  `CREATE TABLE sticky (caller TEXT PRIMARY KEY, agent_id TEXT NOT NULL, expires_at INTEGER NOT NULL)`,
  `CREATE TABLE totals (agent_id TEXT PRIMARY KEY, picks INTEGER NOT NULL DEFAULT 0, successes INTEGER NOT NULL DEFAULT 0, failures INTEGER NOT NULL DEFAULT 0)`,
  // The provider account a claim also holds a slot of (ProviderAccount), freed with it.
  `ALTER TABLE active_calls ADD COLUMN account_id TEXT`,
  // Write diet: text-keyed tables WITHOUT ROWID (a new row is one row written, not two).
  `CREATE TABLE active_calls_v2 (call_key TEXT PRIMARY KEY, agent_id TEXT NOT NULL, claimed_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, account_id TEXT) WITHOUT ROWID`,
  `INSERT INTO active_calls_v2 SELECT call_key, agent_id, claimed_at, expires_at, account_id FROM active_calls`,
  `DROP TABLE active_calls`,
  `ALTER TABLE active_calls_v2 RENAME TO active_calls`,
  `CREATE TABLE health_v2 (agent_id TEXT PRIMARY KEY, consecutive_failures INTEGER NOT NULL, unhealthy_until INTEGER NOT NULL) WITHOUT ROWID`,
  `INSERT INTO health_v2 SELECT agent_id, consecutive_failures, unhealthy_until FROM health`,
  `DROP TABLE health`,
  `ALTER TABLE health_v2 RENAME TO health`,
  `CREATE TABLE totals_v2 (agent_id TEXT PRIMARY KEY, picks INTEGER NOT NULL DEFAULT 0, successes INTEGER NOT NULL DEFAULT 0, failures INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID`,
  `INSERT INTO totals_v2 SELECT agent_id, picks, successes, failures FROM totals`,
  `DROP TABLE totals`,
  `ALTER TABLE totals_v2 RENAME TO totals`,
  `CREATE TABLE sticky_v2 (caller TEXT PRIMARY KEY, agent_id TEXT NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID`,
  `INSERT INTO sticky_v2 SELECT caller, agent_id, expires_at FROM sticky`,
  `DROP TABLE sticky`,
  `ALTER TABLE sticky_v2 RENAME TO sticky`,
  // Callers in a waiting room, in line order (logic/wait-line.ts).
  `CREATE TABLE waiting (call_key TEXT PRIMARY KEY, joined_at INTEGER NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID`,
] as const;
