/**
 * Versioned schema for a Durable Object's SQLite storage. PRAGMA user_version is not
 * available there, so applied steps are tracked in a table of their own. Call from the
 * constructor inside blockConcurrencyWhile; steps are append-only.
 */
export function migrateSql(sql: SqlStorage, steps: readonly string[]): void {
  sql.exec("CREATE TABLE IF NOT EXISTS _schema_migrations (step INTEGER PRIMARY KEY)");
  const applied = sql.exec<{ step: number }>("SELECT COALESCE(MAX(step), -1) AS step FROM _schema_migrations").one().step;
  for (let step = applied + 1; step < steps.length; step++) {
    sql.exec(steps[step]!);
    sql.exec("INSERT INTO _schema_migrations (step) VALUES (?)", step);
  }
}
