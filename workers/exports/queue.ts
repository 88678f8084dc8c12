import type { Db } from "../db/client";
import { log } from "../lib/log";
import { findExport } from "../db/repos/exports";
import type { Env } from "../env";
import { failExport, isExportMessage, runExport } from "./jobs";

/** One export message: ack when finished (or nothing is left to do), retry otherwise. */
export async function runExportMessage(env: Env, db: Db, message: Message<unknown>): Promise<void> {
  if (!isExportMessage(message.body)) return;
  try {
    const outcome = await runExport(env, db, message.body);
    if (outcome === "busy") message.retry({ delaySeconds: 60 });
    else message.ack();
  } catch (err) {
    log.error("export.attempt_failed", { exportId: message.body.exportId, action: "retrying", error: err });
    message.retry({ delaySeconds: 10 });
  }
}

/** An export whose message exhausted its retries has failed; say so rather than leave it running. */
export async function failDeadExports(env: Env, db: Db, messages: readonly Message<unknown>[]): Promise<void> {
  for (const message of messages) {
    if (!isExportMessage(message.body)) continue;
    const job = await findExport(db, message.body.tenantId, message.body.exportId);
    if (job && (job.status === "queued" || job.status === "running")) await failExport(env, db, job, "the export job kept failing and was given up");
  }
}
