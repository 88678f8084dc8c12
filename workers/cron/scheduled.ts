import type { Env } from "../env";
import { connectDb } from "../db/client";
import { cleanExports } from "../exports/cleanup";
import { runRetention } from "./retention";
import { purgeStaleSessions } from "./sessions";

/** Hourly housekeeping: expire exports, delete what is past each tenant's retention, and ended sign-in sessions. */
export async function handleScheduled(controller: ScheduledController, env: Env, _ctx: ExecutionContext): Promise<void> {
  const handle = await connectDb(env.HYPERDRIVE);
  try {
    const exports = await cleanExports(env, handle.db, controller.scheduledTime);
    const retention = await runRetention(handle.db, { now: controller.scheduledTime });
    const sessions = await purgeStaleSessions(handle.db, new Date(controller.scheduledTime));
    console.log(`cron ${controller.cron}: exports ${JSON.stringify(exports)}, retention ${JSON.stringify(retention)}, stale sessions ${sessions}`);
  } finally {
    await handle.close();
  }
}
