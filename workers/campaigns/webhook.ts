import type { Env } from "../env";
import type { CampaignConnect } from "./runner-types";

/*
 * The campaign a Cloudonix request belongs to, read from its URL: the voice application URL and
 * the callback URL a campaign gives Cloudonix carry ?campaign=…&contact=…&contactAttempt=…, and
 * the Dial actions of the call carry them on. The runner is looked up under the tenant the
 * request authenticated as, so a URL can never reach another tenant's campaign.
 */

export interface CampaignCallRef {
  campaignId: string;
  contactId: number;
  attempt: number;
}

const CAMPAIGN_ID = /^cmp_[0-9a-z]{1,40}$/;

/** The campaign named by the query, or null (absent or malformed: the call is not a campaign's). */
export function campaignRef(query: Record<string, string | undefined>): CampaignCallRef | null {
  const { campaign, contact, contactAttempt } = query;
  if (!campaign || !CAMPAIGN_ID.test(campaign)) return null;
  const contactId = Number(contact);
  const attempt = Number(contactAttempt);
  if (!Number.isInteger(contactId) || contactId < 1 || contactId > 1_000_000 || !Number.isInteger(attempt) || attempt < 1 || attempt > 100) return null;
  return { campaignId: campaign, contactId, attempt };
}

export const campaignQuery = (ref: CampaignCallRef) => `campaign=${ref.campaignId}&contact=${ref.contactId}&contactAttempt=${ref.attempt}`;

const runnerOf = (env: Env, tenantId: string, ref: CampaignCallRef) => env.CAMPAIGN_RUNNER.getByName(`${tenantId}:${ref.campaignId}`);

/** The answered contact: who, with which variables, for which agent or group. Idempotent. */
export function connectCampaignCall(env: Env, tenantId: string, ref: CampaignCallRef, callKey: string): Promise<CampaignConnect> {
  return runnerOf(env, tenantId, ref).connectContact({ contactId: ref.contactId, attempt: ref.attempt, callKey });
}

/** A session update of a campaign call, for the campaign's own account of the attempt. */
export function reportCampaignCall(env: Env, tenantId: string, ref: CampaignCallRef, status: string, token: string | null): Promise<{ applied: boolean }> {
  return runnerOf(env, tenantId, ref).report({ contactId: ref.contactId, attempt: ref.attempt, status, token });
}
