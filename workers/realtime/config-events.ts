import type { Env } from "../env";
import { log } from "../lib/log";
import type { ConfigChange } from "../routing/config-changed";

/*
 * Configuration changes as live events, so every open dashboard refreshes what changed:
 *   voice_agent deleted → agent.deleted       voice_agent toggled/bulk → agent.status_changed
 *   voice_agent otherwise → agent.updated      inbound_rule/outbound_rule → routing_rule.updated
 *   agent_group → agent_group.updated          trunk → trunk.updated
 *   tenant → tenant.updated                    user → user.updated
 *   schedule → schedule.updated                provider_account → provider_account.updated
 *   campaign → campaign.updated
 * data: { entity, action, ids } (ids of what changed; the client refetches them).
 */

export function configEventType(change: Pick<ConfigChange, "entity" | "action">): string {
  switch (change.entity) {
    case "voice_agent":
      if (change.action === "deleted") return "agent.deleted";
      return change.action === "toggled" || change.action === "bulk" ? "agent.status_changed" : "agent.updated";
    case "inbound_rule":
    case "outbound_rule":
      return "routing_rule.updated";
    case "agent_group":
      return "agent_group.updated";
    case "trunk":
      return "trunk.updated";
    case "schedule":
      return "schedule.updated";
    case "provider_account":
      return "provider_account.updated";
    case "campaign":
      return "campaign.updated";
    case "tenant":
      return "tenant.updated";
    case "user":
      return "user.updated";
  }
}

/** Pauses between attempts; the write has committed, so this only delays the API's answer. */
const RETRY_DELAYS_MS = [50, 250];

/**
 * Tries a few times, with the same key each time, so a publish whose answer was lost is shown
 * once; the configuration write never fails for it.
 */
export async function publishConfigChange(env: Pick<Env, "TENANT_HUB">, tenantId: string, change: ConfigChange): Promise<boolean> {
  const kind = change.entity === "inbound_rule" ? { kind: "inbound" } : change.entity === "outbound_rule" ? { kind: "outbound" } : {};
  const event = {
    type: configEventType(change),
    at: Date.now(),
    data: { entity: change.entity, action: change.action, ids: change.ids.slice(0, 100), ...kind },
    key: { stream: `config:${crypto.randomUUID()}`, seq: 1 },
  };
  for (let attempt = 0; ; attempt++) {
    try {
      await env.TENANT_HUB.getByName(tenantId).publish([event]);
      return true;
    } catch (err) {
      if (attempt >= RETRY_DELAYS_MS.length) {
        log.warn("realtime.config_publish_failed", { tenantId, entity: change.entity, error: err });
        return false;
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[attempt]));
    }
  }
}
