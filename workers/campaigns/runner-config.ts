import { targetAccounts, type CampaignRow } from "../db/repos/campaigns";
import type { Executor } from "../db/executor";
import { findTenant } from "../db/repos/tenants";
import { findTrunk } from "../db/repos/trunks";
import { AppError } from "../lib/errors";
import type { RunnerConfig } from "./runner-types";

/**
 * A campaign's settings as its runner dials by them, with what it needs of the tenant: the
 * Cloudonix domain, the API key and the callback token (both still encrypted), and the provider
 * accounts its answered calls will take slots of. Each missing piece is a 409 that says what to
 * set, and where.
 */
export async function runnerConfig(db: Executor, row: CampaignRow, baseUrl: string): Promise<RunnerConfig> {
  const tenant = await findTenant(db, row.tenantId);
  if (!tenant?.cloudonixDomain) throw new AppError(409, "NO_CLOUDONIX_DOMAIN", "The tenant has no Cloudonix domain; set it in Settings before starting a campaign");
  if (!tenant.cloudonixApiKeyEnc) throw new AppError(409, "NO_CLOUDONIX_KEY", "The tenant has no Cloudonix API key: campaigns start their calls through Cloudonix's API with it. Set it in Settings (Cloudonix API key) first");
  if (!tenant.callbackTokenEnc) throw new AppError(409, "NO_CALLBACK_URL", "The tenant has no callback URLs, which campaign calls report back to; generate them in Settings first");
  let trunk: string | null = null;
  if (row.trunkId) {
    const found = await findTrunk(db, row.tenantId, row.trunkId);
    if (!found) throw new AppError(409, "TRUNK_GONE", "The campaign's trunk no longer exists; choose another (or none) first");
    trunk = found.name;
  }
  const target = { type: row.targetType, id: row.targetId };
  return {
    tenantId: row.tenantId,
    campaignId: row.id,
    name: row.name,
    target,
    callerId: row.callerId,
    trunk,
    timezone: row.timezone,
    window: row.callingWindow,
    maxConcurrent: row.maxConcurrent,
    callsPerMinute: row.callsPerMinute,
    ringTimeoutSec: row.ringTimeoutSec,
    retry: row.retryPolicy,
    domain: tenant.cloudonixDomain,
    apiKeyEnc: tenant.cloudonixApiKeyEnc,
    callbackTokenEnc: tenant.callbackTokenEnc,
    baseUrl,
    accounts: await targetAccounts(db, row.tenantId, target),
  };
}
