/*
 * Cloudonix's REST API, for what the router needs of it: the UUID of a tenant's domain
 * (GET /customers/self/domains/{domain}, authorised by the tenant's API key as a Bearer token).
 * Some CDRs name their domain only by that UUID.
 */

export const CLOUDONIX_API_URL = "https://api.cloudonix.io";
const TIMEOUT_MS = 5_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type DomainUuidResult = { ok: true; uuid: string } | { ok: false; reason: "key_refused" | "domain_not_found" | "unavailable"; message: string };

export interface CloudonixApiOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
}

export async function fetchDomainUuid(domain: string, apiKey: string, options: CloudonixApiOptions = {}): Promise<DomainUuidResult> {
  const url = `${(options.baseUrl ?? CLOUDONIX_API_URL).replace(/\/+$/, "")}/customers/self/domains/${encodeURIComponent(domain)}`;
  let res: Response;
  try {
    res = await (options.fetch ?? fetch)(url, { headers: { Authorization: `Bearer ${apiKey}`, Accept: "application/json" }, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    return { ok: false, reason: "unavailable", message: `Cloudonix's API did not answer: ${(err as Error).message}` };
  }
  const body = await res.text();
  if (res.status === 401 || res.status === 403) return { ok: false, reason: "key_refused", message: `Cloudonix refused the tenant's API key (HTTP ${res.status})` };
  if (res.status === 404) return { ok: false, reason: "domain_not_found", message: `Cloudonix has no domain ${domain} for this API key` };
  if (!res.ok) return { ok: false, reason: "unavailable", message: `Cloudonix's API answered HTTP ${res.status}` };
  let uuid: unknown;
  try {
    uuid = (JSON.parse(body) as { uuid?: unknown }).uuid;
  } catch {
    return { ok: false, reason: "unavailable", message: "Cloudonix's API answered something that is not JSON" };
  }
  if (typeof uuid !== "string" || !UUID.test(uuid)) return { ok: false, reason: "unavailable", message: "Cloudonix's domain object carries no uuid" };
  return { ok: true, uuid: uuid.toLowerCase() };
}
