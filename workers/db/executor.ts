import type { MySqlDatabase } from "drizzle-orm/mysql-core";
import type { MySql2PreparedQueryHKT, MySql2QueryResultHKT } from "drizzle-orm/mysql2";
import type * as schema from "./schema";

/** A database or an open transaction: repository functions accept either. */
export type Executor = MySqlDatabase<MySql2QueryResultHKT, MySql2PreparedQueryHKT, typeof schema>;

/** MySQL's duplicate-key error (1062), optionally on one named unique index. */
export function isDuplicateKey(err: unknown, indexName?: string): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const driver = e as Error & { code?: string; errno?: number };
    if (driver.code === "ER_DUP_ENTRY" || driver.errno === 1062) {
      return indexName === undefined || driver.message.includes(indexName);
    }
  }
  return false;
}

/** Rows changed by an UPDATE/DELETE through the mysql2 driver. */
export function affectedRows(result: unknown): number {
  const header = Array.isArray(result) ? result[0] : result;
  return (header as { affectedRows?: number } | undefined)?.affectedRows ?? 0;
}
