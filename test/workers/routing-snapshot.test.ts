import { env, exports } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import type { Redis } from "@upstash/redis/cloudflare";
import { describe, it } from "vitest";
import { connectDb, type Db } from "../../workers/db/client";
import { inboundRoutingRules, tenants, voiceAgents, webhookEvents } from "../../workers/db/schema";
import { buildSnapshot } from "../../workers/routing/snapshot-builder";
import { publishSnapshot, readPointer, snapshotKeys } from "../../workers/routing/snapshot-publish";
import { CACHE_CAPACITY, clearSnapshotCache, MAX_AGE_MS, snapshotForDomain, STALE_RETRY_MS, type SnapshotDeps } from "../../workers/routing/snapshot-store";
import { createRedis } from "../../workers/lib/redis";
import { envWith, requestWithEnv } from "./helpers/app";
import { markTenantChanged } from "./helpers/config";
import { eventually, withDb } from "./helpers/db";
import { createAgent, createTenantFixture } from "./helpers/fixtures";
import { createRoutingFixture, voiceBody, webhookInit, type RoutingFixture } from "./helpers/routing-fixture";

const VOICE = "https://router.test/api/webhooks/voice-application";
const route = async (f: RoutingFixture, overrides: Record<string, unknown> = {}) => (await exports.default.fetch(VOICE, webhookInit(f, voiceBody(f, overrides)))).text();
const brokenHyperdrive = { host: "127.0.0.1", port: 1, user: "x", password: "x", database: "x", connectionString: "" };
const upstash = () => createRedis({ url: env.UPSTASH_REDIS_REST_URL!, token: env.UPSTASH_REDIS_REST_TOKEN! });

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
      await db.update(tenants).set({ configVersion: sql`config_version + 1` }).where(eq(tenants.id, f.tenantId));
      await publishSnapshot(upstash(), (await buildSnapshot(db, f.tenantId))!);
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

describe("routing snapshot versions", () => {
  it("end at the newest version after concurrent changes, in MySQL and in Upstash", async ({ expect }) => {
    const t = await createTenantFixture("snap");
    const versionOf = () => withDb(async (db) => (await db.select({ v: tenants.configVersion }).from(tenants).where(eq(tenants.id, t.tenantId)))[0]!.v);
    const before = await versionOf();
    const created = await Promise.all(Array.from({ length: 6 }, () => createAgent(t)));
    // Each change bumped the version once, in its own transaction; none was lost to a race.
    const after = await versionOf();
    expect(after).toBe(before + 6);
    // Every republish ran before its answer; whichever order they finished in, the newest won.
    expect(await readPointer(upstash(), t.domain, "pointer")).toEqual({ tenantId: t.tenantId, version: after });
    clearSnapshotCache();
    const { snapshot } = await snapshotForDomain(t.domain, { redis: upstash(), db: failingDb, waitUntil: () => {} });
    expect(snapshot?.version).toBe(after);
    expect(Object.keys(snapshot!.agents).sort()).toEqual(created.map((a) => a.id).sort());
  });

  it("ignore a publish older than what Upstash holds", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    await markTenantChanged(f.tenantId);
    const newest = (await withDb((db) => buildSnapshot(db, f.tenantId)))!;
    const older = { ...newest, version: newest.version - 1, agents: {} };
    expect(await publishSnapshot(upstash(), newest)).toBe(true);
    expect(await publishSnapshot(upstash(), older)).toBe(false);
    expect(await readPointer(upstash(), f.domain, "pointer")).toEqual({ tenantId: f.tenantId, version: newest.version });
    clearSnapshotCache();
    const { snapshot, source } = await snapshotForDomain(f.domain, { redis: upstash(), db: failingDb, waitUntil: () => {} });
    expect(source).toBe("redis");
    expect(snapshot).toMatchObject({ version: newest.version, agents: { [f.agents[0]!.id]: { serviceValue: f.agents[0]!.serviceValue } } });
  });

  it("route a fresh isolate from the last-known snapshot in Upstash when MySQL is down", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    await markTenantChanged(f.tenantId);
    // The short-lived pointer has expired and this isolate has never seen the tenant.
    await upstash().del(snapshotKeys.pointer(f.domain));
    clearSnapshotCache();
    const res = await requestWithEnv(envWith({ HYPERDRIVE: brokenHyperdrive }), "/api/webhooks/voice-application", webhookInit(f, voiceBody(f)));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(f.agents[0]!.serviceValue);
  });

  it("retry a stale domain at most every 2 s, in the background, while Upstash and MySQL fail", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    clearSnapshotCache();
    const t0 = Date.now();
    const healthy = await snapshotForDomain(f.domain, { redis: upstash(), db: realDb, waitUntil: () => {}, now: t0 });
    expect(healthy.source).not.toBe("stale");
    const down = countingDeps();
    const lookup = (at: number) => snapshotForDomain(f.domain, { ...down.deps, now: t0 + at });
    // Too old to use without a refresh: one attempt, which fails, then the last snapshot.
    expect(await lookup(MAX_AGE_MS + 10)).toMatchObject({ source: "stale", snapshot: { tenantId: f.tenantId } });
    const firstAttempt = { ...down.calls };
    expect(firstAttempt.redis).toBeGreaterThan(0);
    for (const at of [MAX_AGE_MS + 20, MAX_AGE_MS + 500, MAX_AGE_MS + STALE_RETRY_MS]) {
      expect((await lookup(at)).source).toBe("stale");
    }
    expect(down.calls).toEqual(firstAttempt);
    expect(down.background).toHaveLength(0);
    // Once the back-off has passed: one retry, in the background; the call is answered at once.
    expect((await lookup(MAX_AGE_MS + 10 + STALE_RETRY_MS)).source).toBe("stale");
    expect((await lookup(MAX_AGE_MS + 20 + STALE_RETRY_MS)).source).toBe("stale");
    expect(down.background).toHaveLength(1);
    await Promise.all(down.background);
    expect(down.calls.redis).toBe(firstAttempt.redis * 2);
  });

  it("are loaded once for a burst of calls that find the cache aged, not once per call", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    clearSnapshotCache();
    let redisGets = 0;
    let dbOpens = 0;
    const real = upstash();
    const redis = { get: (...args: Parameters<Redis["get"]>) => (redisGets++, real.get(...args)) } as unknown as Redis;
    const deps: SnapshotDeps = { redis, db: () => (dbOpens++, realDb()), waitUntil: () => {} };
    const answers = await Promise.all(Array.from({ length: 50 }, () => snapshotForDomain(f.domain, deps)));
    expect(answers.every((a) => a.snapshot?.tenantId === f.tenantId)).toBe(true);
    // One load: a pointer and a blob from Upstash (or a pointer and a MySQL build), not 50 of each.
    expect(redisGets).toBeLessThanOrEqual(3);
    expect(dbOpens).toBeLessThanOrEqual(2);
  });

  it("keep at most CACHE_CAPACITY unknown domains, cost no query each, and never evict a real tenant for them", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    clearSnapshotCache();
    const t0 = Date.now();
    await snapshotForDomain(f.domain, { redis: upstash(), db: realDb, waitUntil: () => {}, now: t0 });
    const flood = Array.from({ length: CACHE_CAPACITY + 500 }, (_, i) => `nobody-${i}-${crypto.randomUUID().slice(0, 8)}.example`);
    let dbOpens = 0;
    const deps: SnapshotDeps = { redis: missingRedis(), db: () => (dbOpens++, realDb()), waitUntil: () => {}, now: t0 + 100 };
    const answers = await Promise.all(flood.map((domain) => snapshotForDomain(domain, deps)));
    expect(answers.every((a) => a.snapshot === null)).toBe(true);
    // Concurrent lookups share IN (…) queries: a handful, not 1,500.
    expect(dbOpens).toBeGreaterThan(0);
    expect(dbOpens).toBeLessThanOrEqual(5);
    // Asked again within 2 s: the newest 1,000 answers come from memory, the oldest were evicted.
    const down = countingDeps();
    for (const domain of flood.slice(-CACHE_CAPACITY)) expect(await snapshotForDomain(domain, { ...down.deps, now: t0 + 200 })).toEqual({ snapshot: null, source: "memory" });
    expect(down.calls).toEqual({ redis: 0, db: 0 });
    await expect(snapshotForDomain(flood[0]!, { ...down.deps, now: t0 + 200 })).rejects.toThrow(/Upstash and MySQL both failed/);
    // The real tenant was not pushed out by the flood.
    expect(await snapshotForDomain(f.domain, { ...down.deps, now: t0 + 300 })).toMatchObject({ source: "memory", snapshot: { tenantId: f.tenantId } });
  });
});

const failingDb = () => Promise.reject(new Error("MySQL is down"));

// One connection for the whole file's direct lookups; the Worker's own requests open theirs.
let sharedDb: Promise<Db> | undefined;
const realDb = () => (sharedDb ??= connectDb(env.HYPERDRIVE).then((handle) => handle.db));

/** An Upstash that has never heard of any domain. */
function missingRedis(): Redis {
  return { get: async () => null } as unknown as Redis;
}

/** Upstash and MySQL both down, counting every attempt, and keeping background work. */
function countingDeps() {
  const calls = { redis: 0, db: 0 };
  const background: Promise<unknown>[] = [];
  const redis = {
    get: async () => {
      calls.redis++;
      throw new Error("Upstash is down");
    },
  } as unknown as Redis;
  const deps: SnapshotDeps = {
    redis,
    db: () => {
      calls.db++;
      return failingDb();
    },
    waitUntil: (promise) => background.push(promise),
  };
  return { calls, background, deps };
}
