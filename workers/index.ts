import { createApp } from "./app";
import type { Env } from "./env";
import { handleQueue } from "./queue/consumer";
import { handleScheduled } from "./cron/scheduled";

export { GroupBalancer } from "../durable-objects/group-balancer";
export { CallSession } from "../durable-objects/call-session";
export { TenantHub } from "../durable-objects/tenant-hub";

const app = createApp();

export default {
  fetch: app.fetch,
  queue: handleQueue,
  scheduled: handleScheduled,
} satisfies ExportedHandler<Env>;
