import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { jobCursors } from "../db/schema";

/** Where a long job stopped, so its next run goes on from there ("" before its first run). */
export async function loadCursor(db: Db, name: string): Promise<string> {
  const [row] = await db.select({ cursor: jobCursors.cursor }).from(jobCursors).where(eq(jobCursors.name, name)).limit(1);
  return row?.cursor ?? "";
}

export async function saveCursor(db: Db, name: string, cursor: string): Promise<void> {
  await db.insert(jobCursors).values({ name, cursor }).onDuplicateKeyUpdate({ set: { cursor } });
}
