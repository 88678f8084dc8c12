import type { Services } from "../services";
import { log } from "../lib/log";
import { emitTenantEvent } from "./outbox";

/**
 * config.changed, after a configuration change has committed (lib/change.ts): what changed
 * (entity, action, ids) and who changed it. Run in the background of the request, so the
 * change's answer never waits for it; a tenant without endpoints costs no query (the endpoint
 * list is cached). Never throws: the change has committed whatever happens here.
 */
export async function emitConfigChanged(services: Services, tenantId: string, change: { entity: string; action: string; ids: string[] }, actor: unknown): Promise<void> {
  try {
    await emitTenantEvent(services.env, await services.db(), tenantId, "config.changed", { entity: change.entity, action: change.action, ids: change.ids.slice(0, 100), actor });
  } catch (err) {
    log.error("event_webhooks.config_changed_not_sent", { tenantId, entity: change.entity, action: change.action, error: err });
  }
}
