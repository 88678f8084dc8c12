import { createApp } from "./app";
import { ConfigError, loadConfig, type Env } from "./env";
import { handleQueue } from "./queue/consumer";
import { handleScheduled } from "./cron/scheduled";
import { log, withLogContext } from "./lib/log";

export { GroupBalancer } from "../durable-objects/group-balancer";
export { CallSession } from "../durable-objects/call-session";
export { TenantHub } from "../durable-objects/tenant-hub";
export { ProviderAccount } from "../durable-objects/provider-account";
export { CampaignRunner } from "../durable-objects/campaign-runner";

const app = createApp();

/**
 * Checks the bindings and secrets before a queue batch or a cron run touches them (once per env
 * object), so a broken deployment fails there with the same message a request gets, not with
 * a TypeError deep in a handler. Requests are checked by the services middleware, which answers
 * with the CONFIG_INVALID envelope.
 */
function withConfig<Input>(source: string, handler: (input: Input, env: Env, ctx: ExecutionContext) => Promise<void>) {
  // Each invocation logs under an id of its own, as a request does under its request id.
  return (input: Input, env: Env, ctx: ExecutionContext): Promise<void> =>
    withLogContext({ requestId: `${source}-${crypto.randomUUID()}` }, async () => {
      try {
        loadConfig(env);
      } catch (err) {
        if (err instanceof ConfigError) log.error("config.invalid", { message: err.message });
        throw err;
      }
      await handler(input, env, ctx);
    });
}

export default {
  fetch: app.fetch,
  queue: withConfig("queue", handleQueue),
  scheduled: withConfig("cron", handleScheduled),
} satisfies ExportedHandler<Env>;
