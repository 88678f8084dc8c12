import { eq } from "drizzle-orm";
import { describe, it } from "vitest";
import * as schema from "../../workers/db/schema";
import { decryptSecret, verifyRequestKey } from "../../workers/lib/secrets";
import { env } from "cloudflare:workers";
import { createAgent, createTenantFixture, withDb } from "./helpers/fixtures";

const tenantRow = (id: string) => withDb((db) => db.select().from(schema.tenants).where(eq(schema.tenants.id, id))).then((rows) => rows[0]!);

describe("tenant settings", () => {
  it("returns the settings without secrets: flags and a key hint instead", async ({ expect }) => {
    const t = await createTenantFixture("ten");
    const res = await t.asViewer("GET", "/api/tenant");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: t.tenantId,
      name: t.name,
      timezone: "UTC",
      cloudonixDomain: t.domain,
      hasCloudonixApiKey: false,
      requestKey: { hint: t.requestKey.slice(-4) },
      webhookUrl: "https://router.test/api/webhooks/voice-application",
      defaultFallback: null,
      retentionDays: 90,
      outboundCallerPatterns: [],
      version: 1,
    });
    expect(JSON.stringify(res.body)).not.toContain(t.requestKey);
  });

  it("changes name, time zone, retention, caller patterns and the default fallback", async ({ expect }) => {
    const t = await createTenantFixture("ten");
    const agent = await createAgent(t);
    const res = await t.asAdmin("PUT", "/api/tenant", {
      name: "Renamed",
      timezone: "europe/london",
      retentionDays: 30,
      outboundCallerPatterns: ["+1 415 555 0100", "+1555*", "1555*"],
      defaultFallback: { type: "agent", id: agent.id },
      version: 1,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: "Renamed", timezone: "Europe/London", retentionDays: 30, outboundCallerPatterns: ["14155550100", "1555*"], defaultFallback: { type: "agent", id: agent.id }, version: 2 });
    const before = (await tenantRow(t.tenantId)).configVersion;
    await t.asAdmin("PUT", "/api/tenant", { defaultFallback: { type: "hangup" } });
    expect((await tenantRow(t.tenantId)).configVersion).toBeGreaterThan(before);
    expect((await t.asAdmin("PUT", "/api/tenant", { retentionDays: 7, version: 1 })).status).toBe(409);
  });

  it.for([
    ["an unknown time zone", { timezone: "Mars/Olympus" }, "timezone", /IANA time zone/],
    ["a retention of 0 days", { retentionDays: 0 }, "retentionDays", /at least 1/],
    ["a domain that is not one", { cloudonixDomain: "not a domain" }, "cloudonixDomain", /domain name/],
    ["a bad caller pattern", { outboundCallerPatterns: ["+1555", "abc"] }, "outboundCallerPatterns.1", /contains "a"/],
    ["an API key with spaces", { cloudonixApiKey: "has spaces in it" }, "cloudonixApiKey", /API key/],
    ["an empty name", { name: "" }, "name", /empty/],
    ["a fallback without type", { defaultFallback: { id: "x" } }, "defaultFallback.type", /type must be/],
  ] as const)("refuses %s with a 400 saying what to fix", async ([, body, path, message], { expect }) => {
    const t = await createTenantFixture("ten");
    const res = await t.asAdmin("PUT", "/api/tenant", body);
    expect(res.status).toBe(400);
    const detail = res.body.error.details.find((d: any) => d.path === path);
    expect(detail?.message).toMatch(message);
  });

  it("answers 404 for a default fallback outside the tenant", async ({ expect }) => {
    const [a, b] = await Promise.all([createTenantFixture("ten"), createTenantFixture("ten")]);
    const foreign = await createAgent(b);
    const res = await a.asAdmin("PUT", "/api/tenant", { defaultFallback: { type: "agent", id: foreign.id } });
    expect(res.status).toBe(404);
    const group = await a.asAdmin("PUT", "/api/tenant", { defaultFallback: { type: "group", id: "grp_missing" } });
    expect(group.status).toBe(404);
  });

  it("keeps each Cloudonix domain unique across tenants (409)", async ({ expect }) => {
    const [a, b] = await Promise.all([createTenantFixture("ten"), createTenantFixture("ten")]);
    const res = await a.asAdmin("PUT", "/api/tenant", { cloudonixDomain: b.domain.toUpperCase() });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain(b.domain);
    const own = await a.asAdmin("PUT", "/api/tenant", { cloudonixDomain: `new-${a.domain}` });
    expect(own.body.cloudonixDomain).toBe(`new-${a.domain}`);
    expect((await a.asAdmin("PUT", "/api/tenant", { cloudonixDomain: null })).body.cloudonixDomain).toBeNull();
  });

  it("stores the Cloudonix API key encrypted and never returns it", async ({ expect }) => {
    const t = await createTenantFixture("ten");
    const key = "XI0123456789abcdefghijklmnopqrstuv";
    const res = await t.asAdmin("PUT", "/api/tenant", { cloudonixApiKey: key });
    expect(res.body.hasCloudonixApiKey).toBe(true);
    expect(JSON.stringify(res.body)).not.toContain(key);
    const row = await tenantRow(t.tenantId);
    expect(row.cloudonixApiKeyEnc).not.toContain(key);
    expect(row.cloudonixApiKeyEnc).toMatch(/^v1\./);
    expect(await decryptSecret(row.cloudonixApiKeyEnc!, env.ENCRYPTION_KEY)).toBe(key);
    const audit = await t.asAdmin("GET", "/api/audit-log?entityType=tenant");
    expect(JSON.stringify(audit.body)).not.toContain(key);
    expect((await t.asAdmin("PUT", "/api/tenant", { cloudonixApiKey: null })).body.hasCloudonixApiKey).toBe(false);
  });

  it("rotates the webhook request key: shown once, stored only as a hash, the old one stops matching", async ({ expect }) => {
    const t = await createTenantFixture("ten");
    const res = await t.asAdmin("POST", "/api/tenant/request-key");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const { requestKey, hint, rotatedAt } = res.body;
    expect(requestKey).toMatch(/^cxrk_[A-Za-z0-9_-]{43}$/);
    expect(hint).toBe(requestKey.slice(-4));
    const row = await tenantRow(t.tenantId);
    expect(row.requestKeyHash).not.toContain(requestKey);
    expect(await verifyRequestKey(requestKey, row.requestKeyHash!)).toBe(true);
    expect(await verifyRequestKey(t.requestKey, row.requestKeyHash!)).toBe(false);
    const settings = await t.asAdmin("GET", "/api/tenant");
    expect(settings.body.requestKey).toEqual({ hint, rotatedAt });
    expect(JSON.stringify(settings.body)).not.toContain(requestKey);
    const audit = await t.asAdmin("GET", "/api/audit-log?action=tenant.request_key_rotated");
    expect(audit.body.items).toHaveLength(1);
    expect(JSON.stringify(audit.body)).not.toContain(requestKey);
  });
});
