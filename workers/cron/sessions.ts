import type { Db } from "../db/client";
import { deleteStaleSessions } from "../db/repos/auth-sessions";

/**
 * Every sign-in adds an auth_sessions row and nothing else removes them: the hourly cron deletes
 * those that ended over a day ago, a batch at a time, up to `maxRows` per run (the next run
 * continues).
 */
export async function purgeStaleSessions(db: Db, now: Date, options: { batchRows?: number; maxRows?: number } = {}): Promise<number> {
  const batch = options.batchRows ?? 5_000;
  const maxRows = options.maxRows ?? 100_000;
  let deleted = 0;
  while (deleted < maxRows) {
    const n = await deleteStaleSessions(db, now, Math.min(batch, maxRows - deleted));
    deleted += n;
    if (n < batch) break;
  }
  return deleted;
}
