import { runningCampaigns, targetAccounts } from "../db/repos/campaigns";
import { log } from "../lib/log";
import type { ConfigChange } from "../routing/config-changed";
import type { Services } from "../services";

/** Changes that may move a campaign's target agents into, out of or between provider accounts, or change a cap. */
export const CHANGES_TARGET_ACCOUNTS: ReadonlySet<ConfigChange["entity"]> = new Set(["voice_agent", "agent_group", "provider_account"]);

/**
 * After such a change, each campaign under way learns its target's accounts afresh, so it paces
 * by them from its next dial (its runner holds them in its settings, sent at start). One indexed
 * query when the tenant has no campaign under way; never throws.
 */
export async function refreshCampaignAccounts(services: Services, tenantId: string): Promise<void> {
  try {
    const db = await services.db();
    for (const row of await runningCampaigns(db, tenantId)) {
      const accounts = await targetAccounts(db, tenantId, { type: row.targetType, id: row.targetId });
      await services.env.CAMPAIGN_RUNNER.getByName(`${tenantId}:${row.id}`).setAccounts(accounts);
    }
  } catch (err) {
    log.warn("campaign.accounts_refresh_failed", { tenantId, error: err });
  }
}
