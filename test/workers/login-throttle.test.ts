import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import type { Env } from "../../workers/env";
import { createRedis } from "../../workers/lib/redis";
import { LOGIN_LIMITS } from "../../workers/lib/login-throttle";
import { envWith, requestWithEnv } from "./helpers/app";
import { call, createTenantFixture, randomIp } from "./helpers/fixtures";

type Send = (body: unknown, ip: string) => Promise<{ status: number; body: any; headers: Headers }>;

const viaWorker: Send = (body, ip) => call(null, "POST", "/api/auth/login", body, { "cf-connecting-ip": ip });

function viaEnv(custom: Env): Send {
  return async (body, ip) => {
    const res = await requestWithEnv(custom, "/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": ip },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.json(), headers: res.headers };
  };
}

const modes: [string, () => Send][] = [
  ["with Upstash", () => viaWorker],
  ["without Upstash (in memory)", () => viaEnv(envWith({ UPSTASH_REDIS_REST_URL: undefined, UPSTASH_REDIS_REST_TOKEN: undefined }))],
  ["with Upstash unreachable (falls back to memory)", () => viaEnv(envWith({ UPSTASH_REDIS_REST_URL: "http://127.0.0.1:1" }))],
];

describe.for(modes)("login throttling %s", ([, makeSend]) => {
  it("locks an account after 5 failures from any addresses, even for the right password, with Retry-After", async ({ expect }) => {
    const send = makeSend();
    const t = await createTenantFixture("thr");
    for (let i = 0; i < LOGIN_LIMITS.account.max; i++) {
      const res = await send({ email: t.viewer.email, password: `wrong-${i}` }, randomIp());
      expect(res.status).toBe(401);
    }
    const locked = await send({ email: t.viewer.email, password: t.viewer.password }, randomIp());
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe("TOO_MANY_ATTEMPTS");
    expect(locked.body.error.message).toMatch(/for this account; try again in 1[45] minutes/);
    const retryAfter = Number(locked.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(800);
    expect(retryAfter).toBeLessThanOrEqual(900);
    // Other accounts are not affected.
    expect((await send({ email: t.admin.email, password: t.admin.password }, randomIp())).status).toBe(200);
  });

  it("locks an address after 20 failures across accounts", async ({ expect }) => {
    const send = makeSend();
    const t = await createTenantFixture("thr");
    const ip = randomIp();
    for (let i = 0; i < LOGIN_LIMITS.address.max; i++) {
      expect((await send({ email: `nobody-${i}-${crypto.randomUUID()}@example.test`, password: "wrong-password" }, ip)).status).toBe(401);
    }
    const locked = await send({ email: t.admin.email, password: t.admin.password }, ip);
    expect(locked.status).toBe(429);
    expect(locked.body.error.message).toMatch(/from your address/);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await send({ email: t.admin.email, password: t.admin.password }, randomIp())).status).toBe(200);
  });

  it("counts parallel wrong passwords before checking them: at most 5 are checked, the rest get 429", async ({ expect }) => {
    const send = makeSend();
    const t = await createTenantFixture("thr");
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => send({ email: t.viewer.email, password: `wrong-${i}` }, randomIp())));
    const checked = answers.filter((a) => a.status === 401);
    const refused = answers.filter((a) => a.status === 429);
    expect(checked.length).toBeGreaterThan(0);
    expect(checked.length).toBeLessThanOrEqual(LOGIN_LIMITS.account.max);
    expect(refused).toHaveLength(answers.length - checked.length);
    for (const answer of refused) {
      expect(answer.body.error.code).toBe("TOO_MANY_ATTEMPTS");
      expect(Number(answer.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    expect((await send({ email: t.viewer.email, password: t.viewer.password }, randomIp())).status).toBe(429);
  });

  it("does not count a correct password against the address", async ({ expect }) => {
    const send = makeSend();
    const t = await createTenantFixture("thr");
    const ip = randomIp();
    for (let i = 0; i < LOGIN_LIMITS.address.max - 1; i++) {
      expect((await send({ email: `nobody-${i}-${crypto.randomUUID()}@example.test`, password: "wrong-password" }, ip)).status).toBe(401);
    }
    for (let i = 0; i < 3; i++) expect((await send({ email: t.admin.email, password: t.admin.password }, ip)).status).toBe(200);
    expect((await send({ email: `nobody-${crypto.randomUUID()}@example.test`, password: "wrong-password" }, ip)).status).toBe(401);
    expect((await send({ email: t.admin.email, password: t.admin.password }, ip)).status).toBe(429);
  });

  it("clears the account's count after a successful sign-in", async ({ expect }) => {
    const send = makeSend();
    const t = await createTenantFixture("thr");
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < LOGIN_LIMITS.account.max - 1; i++) expect((await send({ email: t.viewer.email, password: "wrong" }, randomIp())).status).toBe(401);
      expect((await send({ email: t.viewer.email, password: t.viewer.password }, randomIp())).status).toBe(200);
    }
  });
});

describe("login throttling state", () => {
  it("is shared through Upstash, so every isolate sees the same count", async ({ expect }) => {
    const t = await createTenantFixture("thr");
    await viaWorker({ email: t.viewer.email, password: "wrong" }, randomIp());
    await viaWorker({ email: t.viewer.email, password: "wrong" }, randomIp());
    const redis = createRedis({ url: env.UPSTASH_REDIS_REST_URL!, token: env.UPSTASH_REDIS_REST_TOKEN! });
    const key = `cxlb:login-fail:acct:${t.viewer.email}`;
    expect(Number(await redis.get(key))).toBe(2);
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(14 * 60_000);
  });
});
