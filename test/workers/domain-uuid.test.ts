import { exports } from "cloudflare:workers";
import { describe, it } from "vitest";
import { mockDomainUuid } from "./helpers/cloudonix-api-mock";
import { call, createTenantFixture, login } from "./helpers/fixtures";
import { callbackInit, callbackUrl, createRoutingFixture, voiceBody, webhookInit, type RoutingFixture } from "./helpers/routing-fixture";

const VOICE = "https://router.test/api/webhooks/voice-application";
const randomUuid = () => crypto.randomUUID();

async function ringing(f: RoutingFixture): Promise<string> {
  const body = voiceBody(f);
  const res = await exports.default.fetch(VOICE, webhookInit(f, body));
  if (res.status !== 200) throw new Error(`not routed: ${res.status}`);
  return body.Session;
}

describe("the tenant's Cloudonix domain UUID", () => {
  it("is entered in Settings, unique across tenants, and validated", async ({ expect }) => {
    const [a, b] = await Promise.all([createTenantFixture("uuid-a"), createTenantFixture("uuid-b")]);
    const uuid = randomUuid();
    const set = await a.asAdmin("PUT", "/api/tenant", { cloudonixDomainUuid: uuid.toUpperCase() });
    expect(set.status).toBe(200);
    expect(set.body.cloudonixDomainUuid).toBe(uuid);
    const taken = await b.asAdmin("PUT", "/api/tenant", { cloudonixDomainUuid: uuid });
    expect(taken.status).toBe(409);
    expect(taken.body.error.details).toEqual({ field: "cloudonixDomainUuid" });
    const bad = await b.asAdmin("PUT", "/api/tenant", { cloudonixDomainUuid: "not-a-uuid" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("cloudonixDomainUuid");
  });

  it("lets a CDR that names its domain only by UUID reach its call; an unknown UUID is a 404", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    const admin = await login(f.adminEmail, f.adminPassword);
    const uuid = randomUuid();
    expect((await call(admin, "PUT", "/api/tenant", { cloudonixDomainUuid: uuid })).status).toBe(200);
    const token = await ringing(f);
    const cdr = { disposition: "NOANSWER", duration: null, billsec: 0, session: { token }, owner: { domain: { uuid } } };
    const res = await exports.default.fetch(callbackUrl(f, "cdr"), callbackInit(cdr));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, applied: true, state: "failed" });
    const stranger = await exports.default.fetch(callbackUrl(f, "cdr"), callbackInit({ ...cdr, owner: { domain: { uuid: randomUuid() } } }));
    expect(stranger.status).toBe(404);
    expect(((await stranger.json()) as any).error.code).toBe("UNKNOWN_DOMAIN");
  });

  it("is read from Cloudonix's API with the tenant's stored key, with a clear error for each way that can fail", async ({ expect }) => {
    const t = await createTenantFixture("uuid-api");
    const domain = `uuid-${crypto.randomUUID().slice(0, 8)}.cloudonix.test`;
    const read = () => t.asAdmin("POST", "/api/tenant/cloudonix-domain-uuid");
    await t.asAdmin("PUT", "/api/tenant", { cloudonixDomain: null });
    expect(await read()).toMatchObject({ status: 409, body: { error: { code: "DOMAIN_NOT_SET" } } });
    await t.asAdmin("PUT", "/api/tenant", { cloudonixDomain: domain });
    expect(await read()).toMatchObject({ status: 409, body: { error: { code: "API_KEY_NOT_SET" } } });

    await t.asAdmin("PUT", "/api/tenant", { cloudonixApiKey: "XIREFUSEDkey0000000000000000000000" });
    expect(await read()).toMatchObject({ status: 422, body: { error: { code: "CLOUDONIX_KEY_REFUSED" } } });

    await t.asAdmin("PUT", "/api/tenant", { cloudonixApiKey: "XIa1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6" });
    const ok = await read();
    expect(ok.status).toBe(200);
    expect(ok.body.cloudonixDomainUuid).toBe(mockDomainUuid(domain));
    expect((await t.asViewer("POST", "/api/tenant/cloudonix-domain-uuid")).status).toBe(403);

    await t.asAdmin("PUT", "/api/tenant", { cloudonixDomain: "missing.cloudonix.test" });
    expect(await read()).toMatchObject({ status: 422, body: { error: { code: "CLOUDONIX_DOMAIN_NOT_FOUND" } } });
  });
});
