import { env } from "cloudflare:workers";
import { loadConfig } from "../../../workers/env";
import { markConfigChanged } from "../../../workers/routing/config-changed";
import { Services } from "../../../workers/services";

/** What the configuration API does after a committed change, for tests that write MySQL directly. */
export async function markTenantChanged(tenantId: string): Promise<void> {
  const services = new Services(env, loadConfig(env));
  try {
    await markConfigChanged(services, tenantId, { entity: "inbound_rule", action: "updated", ids: [] });
  } finally {
    await services.close();
  }
}
