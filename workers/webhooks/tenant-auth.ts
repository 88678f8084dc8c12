import { verifyRequestKey } from "../lib/secrets";
import type { Services } from "../services";
import { domainForUuid } from "../routing/domain-uuid";
import { snapshotForDomain } from "../routing/snapshot-store";
import type { RoutingSnapshot } from "../routing/snapshot-types";
import { WebhookError } from "./params";

export function webhookDomain(params: { Domain?: string; AccountSid?: string }, headers: Headers): string | null {
  return params.Domain || params.AccountSid || headers.get("x-cx-domain") || null;
}

/** What a webhook request presents to prove it comes from the tenant's Cloudonix domain. */
export interface WebhookCredentials {
  /** The Authorization header, as sent. */
  authorization: string | undefined;
  /** The capability token in the path of a callback URL (…/api/webhooks/c/{token}/cdr); lifecycle callbacks only. */
  callbackToken?: string | null;
}

const UNAUTHORIZED_LIFECYCLE = "Send Authorization: Bearer <request key>, or post to the tenant's callback URL (Settings)";

/**
 * Finds the tenant by its Cloudonix domain and checks what the request presents, in constant
 * time: the request key (Authorization: Bearer) and, for session updates and CDRs, the
 * capability token of the tenant's callback URLs. At least one is required and every one
 * presented must be right, so a wrong token is refused even next to a right key.
 * Nothing about any call is read before this passes, so an unauthenticated request is refused
 * the same way whether or not the call exists.
 * No configuration at all (RoutingUnavailableError) is our failure, not the request's: it is
 * left to the webhook's failure answer.
 */
export async function authenticateWebhook(
  services: Services,
  domainName: string | null,
  credentials: WebhookCredentials,
  lifecycle = false,
  /** A CDR may name its domain only by its UUID (owner.domain.uuid). */
  domainUuid?: string,
): Promise<RoutingSnapshot> {
  const presentedKey = /^Bearer\s+(\S+)\s*$/i.exec(credentials.authorization ?? "")?.[1];
  const token = lifecycle ? credentials.callbackToken || null : null;
  // Refused before the tenant is even looked up: a request with nothing to check costs nothing.
  if (!presentedKey && !token) {
    throw new WebhookError(401, "UNAUTHORIZED", lifecycle ? UNAUTHORIZED_LIFECYCLE : "Authorization: Bearer <request key> is required");
  }
  if (!domainName && domainUuid) {
    const found = await domainForUuid(services, domainUuid);
    if (!found) throw new WebhookError(404, "UNKNOWN_DOMAIN", `No tenant has the Cloudonix domain UUID ${domainUuid.slice(0, 64)} (set it in Settings)`);
    domainName = found;
  }
  const domain = domainName;
  if (!domain) throw new WebhookError(400, "DOMAIN_REQUIRED", "Domain (or AccountSid, or the X-CX-Domain header) is required to find the tenant");
  const { snapshot } = await snapshotForDomain(domain, { redis: services.redis, db: () => services.db(), waitUntil: (promise) => services.background(promise) });
  if (!snapshot) throw new WebhookError(404, "UNKNOWN_DOMAIN", `No tenant uses the Cloudonix domain ${domain.slice(0, 253)}`);
  // Both checks always run when both are presented, so timing does not say which one failed.
  const [keyOk, tokenOk] = await Promise.all([
    presentedKey ? acceptsRotated(presentedKey, snapshot.requestKeyHash, snapshot.previousRequestKeyHash, snapshot.previousRequestKeyExpiresAt) : true,
    token ? acceptsRotated(token, snapshot.callbackTokenHash, snapshot.previousCallbackTokenHash, snapshot.previousCallbackTokenExpiresAt) : true,
  ]);
  if (!keyOk) throw new WebhookError(401, "UNAUTHORIZED", "The request key does not match this domain's key");
  if (!tokenOk) throw new WebhookError(401, "UNAUTHORIZED", "This callback URL is not (or no longer) the domain's callback URL");
  return snapshot;
}

/** The current secret, or the previous one during its grace period after a rotation. */
async function acceptsRotated(presented: string, hash: string | null | undefined, previousHash: string | null | undefined, previousExpiresAt: number | null | undefined): Promise<boolean> {
  if (hash && (await verifyRequestKey(presented, hash))) return true;
  const previousValid = previousHash && (previousExpiresAt ?? 0) > Date.now();
  return Boolean(previousValid && (await verifyRequestKey(presented, previousHash)));
}
