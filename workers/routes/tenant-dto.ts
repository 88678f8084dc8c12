import type { Context } from "hono";
import { log } from "../lib/log";
import type { AppEnv } from "../app-env";
import type { TenantRow } from "../db/repos/tenants";
import { decryptSecret } from "../lib/secrets";
import type { TenantDto } from "../schemas/tenant";

/** The tenant's callback URLs: the token in the path is what authenticates Cloudonix's callbacks. */
export function callbackUrls(origin: string, token: string) {
  const base = `${origin}/api/webhooks/c/${encodeURIComponent(token)}`;
  return { sessionUpdate: `${base}/session-update`, cdr: `${base}/cdr` };
}

/**
 * The callback token, for admins only (read-only users never see it). A token that no longer
 * decrypts (ENCRYPTION_KEY changed) shows no URLs rather than failing the settings page; a
 * rotation makes new ones.
 */
export async function callbackTokenFor(c: Context<AppEnv>, row: TenantRow): Promise<string | null> {
  if (c.get("auth").role !== "admin" || !row.callbackTokenEnc) return null;
  try {
    return await decryptSecret(row.callbackTokenEnc, c.env.ENCRYPTION_KEY);
  } catch (err) {
    log.warn("tenant.callback_token_undecryptable", { tenantId: row.id, action: "rotate it", error: err });
    return null;
  }
}

/** `callbackToken` only for admins; without it (audit entries, read-only users) callbackUrls is null. */
export function toTenantDto(row: TenantRow, origin: string, callbackToken: string | null = null): TenantDto {
  return {
    id: row.id,
    name: row.name,
    timezone: row.timezone,
    cloudonixDomain: row.cloudonixDomain,
    cloudonixDomainUuid: row.cloudonixDomainUuid ?? null,
    hasCloudonixApiKey: row.cloudonixApiKeyEnc !== null,
    requestKey: row.requestKeyHash ? { hint: row.requestKeyHint ?? "", rotatedAt: row.requestKeyRotatedAt?.toISOString() ?? null } : null,
    webhookUrl: `${origin}/api/webhooks/voice-application`,
    hasCallbackToken: row.callbackTokenHash !== null,
    callbackTokenRotatedAt: row.callbackTokenRotatedAt?.toISOString() ?? null,
    callbackUrls: callbackToken ? callbackUrls(origin, callbackToken) : null,
    defaultFallback: row.defaultFallback ?? null,
    unmatchedAction: row.unmatchedAction,
    retentionDays: row.retentionDays,
    outboundCallerPatterns: row.outboundCallerPatterns,
    routingNumberHeader: row.routingNumberHeader ?? null,
    configVersion: row.configVersion,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
