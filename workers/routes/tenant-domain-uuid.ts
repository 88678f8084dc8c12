import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { fetchDomainUuid } from "../cloudonix/domains";
import { findTenant, updateTenant } from "../db/repos/tenants";
import { commitChange } from "../lib/change";
import { uniqueOr409 } from "../lib/db-conflicts";
import { AppError, notFound } from "../lib/errors";
import { decryptSecret } from "../lib/secrets";
import { forgetDomainUuids } from "../routing/domain-uuid";
import { toTenantDto } from "./tenant-dto";

/** A domain UUID is one tenant's: a second tenant claiming it gets a 409 naming the field. */
export const uniqueDomainUuid = <T>(write: () => Promise<T>, uuid: string | null | undefined) => uniqueOr409(write, "tenants_cloudonix_domain_uuid_uq", `The Cloudonix domain UUID ${uuid} already belongs to another tenant`, { field: "cloudonixDomainUuid" });

const FAILURES = {
  key_refused: { status: 422, code: "CLOUDONIX_KEY_REFUSED" },
  domain_not_found: { status: 422, code: "CLOUDONIX_DOMAIN_NOT_FOUND" },
  unavailable: { status: 502, code: "CLOUDONIX_UNAVAILABLE" },
} as const;

/**
 * POST /api/tenant/cloudonix-domain-uuid: asks Cloudonix for the UUID of the tenant's domain with
 * the tenant's own API key, and keeps it, so CDRs that name their domain only by UUID are matched.
 */
export async function readDomainUuidFromCloudonix(c: Context<AppEnv>): Promise<Response> {
  const { tenantId } = c.get("auth");
  const services = c.get("services");
  const current = await findTenant(await services.db(), tenantId);
  if (!current) throw notFound("Tenant");
  if (!current.cloudonixDomain) throw new AppError(409, "DOMAIN_NOT_SET", "Set the tenant's Cloudonix domain first");
  if (!current.cloudonixApiKeyEnc) throw new AppError(409, "API_KEY_NOT_SET", "Store the tenant's Cloudonix API key first (Settings); it is what Cloudonix's API is asked with");
  const apiKey = await decryptSecret(current.cloudonixApiKeyEnc, c.env.ENCRYPTION_KEY).catch(() => {
    throw new AppError(409, "API_KEY_UNREADABLE", "The stored Cloudonix API key can no longer be decrypted; enter it again");
  });
  const result = await fetchDomainUuid(current.cloudonixDomain, apiKey, { baseUrl: c.env.CLOUDONIX_API_URL });
  if (!result.ok) {
    const failure = FAILURES[result.reason];
    throw new AppError(failure.status, failure.code, result.message);
  }
  const origin = new URL(c.req.url).origin;
  const row = await commitChange(c, { entity: "tenant", action: "updated" }, async (tx, audit) => {
    const before = await findTenant(tx, tenantId, { forUpdate: true });
    if (!before) throw notFound("Tenant");
    await uniqueDomainUuid(() => updateTenant(tx, tenantId, { cloudonixDomainUuid: result.uuid }), result.uuid);
    const after = (await findTenant(tx, tenantId))!;
    audit.record(tenantId, toTenantDto(before, origin), toTenantDto(after, origin));
    return after;
  });
  forgetDomainUuids();
  c.header("Cache-Control", "no-store");
  return c.json(toTenantDto(row, origin));
}
