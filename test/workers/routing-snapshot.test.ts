import { env, exports } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, it } from "vitest";
import { inboundRoutingRules, voiceAgents, webhookEvents } from "../../workers/db/schema";
import { buildSnapshot } from "../../workers/routing/snapshot-builder";
import { clearSnapshotCache, MAX_AGE_MS, publishSnapshot } from "../../workers/routing/snapshot-store";
import { createRedis } from "../../workers/lib/redis";
import { envWith, requestWithEnv } from "./helpers/app";
import { markTenantChanged } from "./helpers/config";
import { eventually, withDb } from "./helpers/db";
import { createRoutingFixture, voiceBody, webhookInit, type RoutingFixture } from "./helpers/routing-fixture";

const VOICE = "https://router.test/api/webhooks/voice-application";
const route = async (f: RoutingFixture, overrides: Record<string, unknown> = {}) =>
  (await exports.default.fetch(VOICE, webhookInit(f, voiceBody(f, overrides)))).text();
const brokenHyperdrive = { host: "127.0.0.1", port: 1, user: "x", password: "x", database: "x", connectionString: "" };

describe("routing snapshots", () => {
  it("apply a committed change at once in this isolate", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    expect(await route(f)).toContain("<Dial");
    await withDb((db) => db.update(inboundRoutingRules).set({ enabled: false }).where(eq(inboundRoutingRules.id, f.ruleId)));
    await markTenantChanged(f.tenantId);
    expect(await route(f)).toContain("<Hangup/>");
  });

  it("reach an isolate that still caches the old version within 2 s, through Upstash", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    expect(await route(f)).toContain(f.agents[0]!.serviceValue);
    // Another isolate commits a change: MySQL and Upstash move on, this isolate's memory does not.
    const changedAt = Date.now();
    await withDb(async (db) => {
      await db.update(voiceAgents).set({ serviceValue: "+19998887777" }).where(eq(voiceAgents.id, f.agents[0]!.id));
      const { tenants } = await import("../../workers/db/schema");
      const { sql } = await import("drizzle-orm");
      await db.update(tenants).set({ configVersion: sql`config_version + 1` }).where(eq(tenants.id, f.tenantId));
      await publishSnapshot(createRedis({ url: env.UPSTASH_REDIS_REST_URL!, token: env.UPSTASH_REDIS_REST_TOKEN! }), f.domain, (await buildSnapshot(db, f.tenantId))!);
    });
    let seenAt = 0;
    while (Date.now() - changedAt < 5_000) {
      if ((await route(f)).includes("+19998887777")) {
        seenAt = Date.now();
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(seenAt).toBeGreaterThan(0);
    expect(seenAt - changedAt).toBeLessThanOrEqual(MAX_AGE_MS + 250);
  });

  it("come from MySQL when Upstash is down", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    clearSnapshotCache();
    const res = await requestWithEnv(envWith({ UPSTASH_REDIS_REST_URL: "http://127.0.0.1:1" }), "/api/webhooks/voice-application", webhookInit(f, voiceBody(f)));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(f.agents[0]!.serviceValue);
  });

  it("keep routing from the last snapshot when Upstash and MySQL are both down", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    clearSnapshotCache();
    expect(await route(f)).toContain("<Dial");
    await new Promise((resolve) => setTimeout(resolve, MAX_AGE_MS + 50));
    const bothDown = envWith({ UPSTASH_REDIS_REST_URL: "http://127.0.0.1:1", HYPERDRIVE: brokenHyperdrive });
    const res = await requestWithEnv(bothDown, "/api/webhooks/voice-application", webhookInit(f, voiceBody(f)));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(f.agents[0]!.serviceValue);
  });

  it("answer 200 with a congestion Reject when nothing at all is available, and record why", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    clearSnapshotCache();
    const bothDown = envWith({ UPSTASH_REDIS_REST_URL: "http://127.0.0.1:1", HYPERDRIVE: brokenHyperdrive });
    const body = voiceBody(f);
    const res = await requestWithEnv(bothDown, "/api/webhooks/voice-application", webhookInit(f, body));
    expect(res.status).toBe(200);
    expect(res.headers.get("x-error-code")).toBe("ROUTING_UNAVAILABLE");
    expect(await res.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Reject reason="congestion"/></Response>');
    const row = await eventually(async () => (await withDb((db) => db.select().from(webhookEvents).where(eq(webhookEvents.callId, body.Session))))[0], 15_000, "the delivery");
    expect(row).toMatchObject({ kind: "voice-application", tenantId: null, statusCode: 200, outcome: "routing_unavailable" });
  });

  it("answer a session update 503 when nothing at all is available, so Cloudonix sends it again", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    clearSnapshotCache();
    const bothDown = envWith({ UPSTASH_REDIS_REST_URL: "http://127.0.0.1:1", HYPERDRIVE: brokenHyperdrive });
    const res = await requestWithEnv(bothDown, "/api/webhooks/session-update", webhookInit(f, { token: "tok", status: "completed", domain: f.domain }));
    expect(res.status).toBe(503);
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe("ROUTING_UNAVAILABLE");
  });
});
