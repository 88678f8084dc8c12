import { sql } from "drizzle-orm";
import type { Executor } from "../executor";
import { doNotCall } from "../schema";
import { doNotCallAmong } from "./campaigns";

/**
 * Puts the entries on the tenant's list, 1,000 rows a statement. Numbers already there stay as
 * they are (their note and date too): adding one again is not an error, so a file can be
 * uploaded twice. The counts come from looking first, not from MySQL's affected rows, which
 * count a matched duplicate too.
 */
export async function addDoNotCallEntries(db: Executor, tenantId: string, entries: readonly { number: string; note: string }[]): Promise<{ added: number; alreadyListed: number }> {
  const listed = await doNotCallAmong(
    db,
    tenantId,
    entries.map((e) => e.number),
  );
  const fresh = entries.filter((e) => !listed.has(e.number));
  for (let i = 0; i < fresh.length; i += 1_000) {
    await db
      .insert(doNotCall)
      .values(fresh.slice(i, i + 1_000).map((e) => ({ tenantId, number: e.number, note: e.note })))
      // Another upload may have added one since the look: it stays as that one left it.
      .onDuplicateKeyUpdate({ set: { number: sql`number` } });
  }
  return { added: fresh.length, alreadyListed: listed.size };
}
