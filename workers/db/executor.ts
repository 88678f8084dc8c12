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

/** InnoDB's "try restarting transaction" errors: a deadlock (1213) or a lock wait timeout (1205). */
export function isLockConflict(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const errno = (e as Error & { errno?: number }).errno;
    if (errno === 1213 || errno === 1205) return true;
  }
  return false;
}

/**
 * Runs an idempotent write again when InnoDB picks it as a deadlock victim, as MySQL's manual
 * asks ("try restarting transaction"), with a short jittered pause so the writers drift apart.
 */
export async function retryOnLockConflict<T>(write: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      if (attempt >= attempts || !isLockConflict(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
    }
  }
}

const NETWORK_CODE = /^(ECONN|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|PROTOCOL_|ER_CON_COUNT_ERROR|ER_TOO_MANY_USER_CONNECTIONS)/;

/**
 * An error that says nothing about the rows written: MySQL unreachable or the connection lost,
 * or a lock conflict. Anything else (MySQL refusing a row, our own code throwing on it) is the
 * message's own fault, and retrying it with others would only fail them too.
 */
export function isTransientDbError(err: unknown): boolean {
  if (isLockConflict(err)) return true;
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const driver = e as Error & { code?: string; fatal?: boolean };
    if (driver.fatal === true || (typeof driver.code === "string" && NETWORK_CODE.test(driver.code))) return true;
  }
  return false;
}
