import type { RunnerConfig } from "../../workers/campaigns/runner-types";
import { startCall, type StartCallResult } from "../../workers/cloudonix/calls";
import { log } from "../../workers/lib/log";
import type { CampaignStore, ContactRow } from "./store";

/** What placing calls and looking up sessions at Cloudonix need of the runner. */
export interface CallDeps {
  store: CampaignStore;
  /** Cloudonix's API (tests and local development point it at the stand-in). */
  apiUrl: string | undefined;
  /** Decrypts one of the tenant's stored secrets. */
  secret(encrypted: string): Promise<string>;
  /** The runner's clock. */
  now(): number;
}

/**
 * Asks Cloudonix to call one attempt's contact (its row already written, state placing), and
 * records the answer: ringing with its session token; back to pending after a 429 (after
 * Retry-After); the whole campaign paused when Cloudonix refuses the key, since every call would
 * be refused the same way; otherwise, perhaps placed, the attempt stands and its callbacks (or its
 * deadline) end it.
 */
export async function placeAttempt(deps: CallDeps, config: RunnerConfig, contact: ContactRow, n: number, now: number): Promise<void> {
  const { store } = deps;
  const query = `campaign=${encodeURIComponent(config.campaignId)}&contact=${contact.id}&contactAttempt=${n}`;
  let result: StartCallResult;
  try {
    const [apiKey, callbackToken] = await Promise.all([deps.secret(config.apiKeyEnc), deps.secret(config.callbackTokenEnc)]);
    result = await startCall(
      config.domain,
      apiKey,
      {
        destination: contact.number,
        callerId: config.callerId,
        url: `${config.baseUrl}/api/webhooks/voice-application?${query}`,
        callback: `${config.baseUrl}/api/webhooks/c/${encodeURIComponent(callbackToken)}/session-update?${query}`,
        timeoutSec: config.ringTimeoutSec,
        trunk: config.trunk,
        profile: { "cxlb-campaign": config.campaignId, "cxlb-contact": String(contact.id), "cxlb-attempt": String(n) },
      },
      { baseUrl: deps.apiUrl },
    );
  } catch (err) {
    // A secret that no longer decrypts: nothing was sent.
    result = { ok: false, reason: "refused", status: 0, message: `the tenant's Cloudonix credentials cannot be read: ${(err as Error).message}` };
  }
  if (result.ok) {
    store.sql.exec("UPDATE attempts SET state = CASE WHEN state = 'placing' THEN 'ringing' ELSE state END, token = COALESCE(token, ?) WHERE contact_id = ? AND n = ?", result.token, contact.id, n);
  } else if (result.reason === "rate_limited") {
    store.undoAttempt(contact.id, n, deps.now() + result.retryAfterSec * 1000);
  } else if (result.reason === "refused") {
    store.undoAttempt(contact.id, n, now);
    if (store.meta<string>("status") === "running") store.setMeta("status", "paused");
    store.setMeta("lastError", result.message);
    log.warn("campaign.paused", { campaignId: config.campaignId, reason: result.message });
  } else {
    store.sql.exec("UPDATE attempts SET detail = ? WHERE contact_id = ? AND n = ?", result.message, contact.id, n);
  }
}
