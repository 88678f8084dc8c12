import type { Env } from "../env";
import { connectDb } from "../db/client";
import { cleanExports } from "../exports/cleanup";
import { runRetention } from "./retention";

/** Hourly housekeeping: expire exports, then delete what is past each tenant's retention. */
export async function handleScheduled(controller: ScheduledController, env: Env, _ctx: ExecutionContext): Promise<void> {
  const handle = await connectDb(env.HYPERDRIVE);
  try {
    const exports = await cleanExports(env, handle.db, controller.scheduledTime);
    const retention = await runRetention(handle.db, { now: controller.scheduledTime });
    console.log(`cron ${controller.cron}: exports ${JSON.stringify(exports)}, retention ${JSON.stringify(retention)}`);
  } finally {
    await handle.close();
  }
}
