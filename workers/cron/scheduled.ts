import type { Env } from "../env";
import { log } from "../lib/log";
import { connectDb } from "../db/client";
import { cleanExports } from "../exports/cleanup";
import { runRetention } from "./retention";
import { purgeStaleSessions } from "./sessions";
import { purgeOldDeliveries, sweepDeliveries } from "../integrations/sweep";
import { evaluateAlertRules } from "../alerts/evaluate";
import { purgeResolvedAlerts } from "../db/repos/alerts";

/** The every-minute trigger (wrangler.toml): alert rules and the event deliveries' safety net. */
export const MINUTE_CRON = "* * * * *";
/** Resolved alerts are kept this long. */
const ALERT_RETENTION_DAYS = 90;

/** Hourly housekeeping: expire exports, delete what is past each tenant's retention, and ended sign-in sessions. */
export async function handleScheduled(controller: ScheduledController, env: Env, _ctx: ExecutionContext): Promise<void> {
  const handle = await connectDb(env.HYPERDRIVE);
  try {
    if (controller.cron === MINUTE_CRON) {
      const now = new Date(controller.scheduledTime);
      const deliveries = await sweepDeliveries(env, handle.db, now);
      const alerts = await evaluateAlertRules(env, handle.db, now);
      if (deliveries.requeued || deliveries.released || alerts.firing || alerts.resolved) log.info("cron.minute", { cron: controller.cron, deliveries, alerts });
      return;
    }
    const exports = await cleanExports(env, handle.db, controller.scheduledTime);
    const retention = await runRetention(handle.db, { now: controller.scheduledTime });
    const sessions = await purgeStaleSessions(handle.db, new Date(controller.scheduledTime));
    const eventDeliveries = await purgeOldDeliveries(handle.db, new Date(controller.scheduledTime));
    const oldAlerts = await purgeResolvedAlerts(handle.db, new Date(controller.scheduledTime - ALERT_RETENTION_DAYS * 86_400_000), 10_000);
    log.info("cron.hourly", { cron: controller.cron, exports, retention, staleSessions: sessions, eventDeliveries, resolvedAlerts: oldAlerts });
  } finally {
    await handle.close();
  }
}
