import { verifyRequestKey } from "../lib/secrets";
import type { Services } from "../services";
import { snapshotForDomain } from "../routing/snapshot-store";
import type { RoutingSnapshot } from "../routing/snapshot-types";
import { WebhookError } from "./params";

export function webhookDomain(params: { Domain?: string; AccountSid?: string }, headers: Headers): string | null {
  return params.Domain || params.AccountSid || headers.get("x-cx-domain") || null;
}

/**
 * Finds the tenant by its Cloudonix domain and checks the request key, in constant time. With
 * `keyOptional` (session updates and CDRs, which Cloudonix may send without Authorization) a
 * missing key passes, a wrong one never does; the caller must then only touch known calls.
 * No configuration at all (RoutingUnavailableError) is our failure, not the request's: it is
 * left to the webhook's failure answer.
 */
export async function authenticateWebhook(
  services: Services,
  domain: string | null,
  authorization: string | undefined,
  keyOptional = false,
): Promise<RoutingSnapshot> {
  if (!domain) throw new WebhookError(400, "DOMAIN_REQUIRED", "Domain (or AccountSid, or the X-CX-Domain header) is required to find the tenant");
  const { snapshot } = await snapshotForDomain(domain, { redis: services.redis, db: () => services.db(), waitUntil: (promise) => services.background(promise) });
  if (!snapshot) throw new WebhookError(404, "UNKNOWN_DOMAIN", `No tenant uses the Cloudonix domain ${domain.slice(0, 253)}`);
  if (keyOptional && !authorization) return snapshot;
  const presented = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "")?.[1];
  if (!presented) throw new WebhookError(401, "UNAUTHORIZED", "Authorization: Bearer <request key> is required");
  if (!(await acceptsKey(snapshot, presented))) {
    throw new WebhookError(401, "UNAUTHORIZED", "The request key does not match this domain's key");
  }
  return snapshot;
}

/** The current key, or the previous one during its grace period after a rotation. */
async function acceptsKey(snapshot: RoutingSnapshot, presented: string): Promise<boolean> {
  if (snapshot.requestKeyHash && (await verifyRequestKey(presented, snapshot.requestKeyHash))) return true;
  const previousValid = snapshot.previousRequestKeyHash && (snapshot.previousRequestKeyExpiresAt ?? 0) > Date.now();
  return Boolean(previousValid && (await verifyRequestKey(presented, snapshot.previousRequestKeyHash!)));
}
