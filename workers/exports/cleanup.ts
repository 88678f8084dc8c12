import type { Db } from "../db/client";
import { deleteFinishedExports, exportsToClean, updateExport } from "../db/repos/exports";
import type { Env } from "../env";
import { failExport } from "./jobs";

/** Jobs not heard from for this long are given up (their queue message is long gone). */
const ABANDONED_MS = 30 * 60_000;
/** Expired and failed jobs stay listed this long (GET answers "expired", a download 410), then go. */
const KEEP_FINISHED_MS = 7 * 86_400_000;

/**
 * Expires finished exports (their file is deleted), fails jobs abandoned mid-way (their
 * multipart upload is aborted), and deletes the rows of jobs expired or failed long ago.
 * Bounded per run; called from the cron trigger.
 */
export async function cleanExports(env: Env, db: Db, now = Date.now()): Promise<{ expired: number; abandoned: number; deleted: number }> {
  let expired = 0;
  let abandoned = 0;
  let deleted = 0;
  for (let round = 0; round < 20; round++) {
    const jobs = await exportsToClean(db, new Date(now), new Date(now - ABANDONED_MS), 100);
    for (const job of jobs) {
      if (job.status === "done") {
        if (job.objectKey) await env.EXPORTS.delete(job.objectKey);
        await updateExport(db, job.id, { status: "expired", updatedAt: new Date(now) });
        expired++;
      } else {
        await failExport(env, db, job, "the export stopped making progress and was given up");
        abandoned++;
      }
    }
    if (jobs.length < 100) break;
  }
  for (let round = 0; round < 20; round++) {
    const n = await deleteFinishedExports(db, new Date(now - KEEP_FINISHED_MS), 500);
    deleted += n;
    if (n < 500) break;
  }
  return { expired, abandoned, deleted };
}
