import { env } from "cloudflare:workers";
import { loadConfig } from "../../../workers/env";
import { bumpConfigVersion, markConfigChanged } from "../../../workers/routing/config-changed";
import { Services } from "../../../workers/services";

/**
 * What the configuration API does around a change, for tests that write MySQL directly: the
 * version bump (the API's is inside the change's transaction), then the republish.
 */
export async function markTenantChanged(tenantId: string): Promise<void> {
  const services = new Services(env, loadConfig(env));
  try {
    await bumpConfigVersion(await services.db(), tenantId);
    await markConfigChanged(services, tenantId, { entity: "inbound_rule", action: "updated", ids: [] });
  } finally {
    await services.close();
  }
}
