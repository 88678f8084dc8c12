import { exports } from "cloudflare:workers";
import { describe, it } from "vitest";
import { envWith, requestWithEnv } from "./helpers/app";

describe("GET /api/health", () => {
  it("reports MySQL and Redis up with 200 when both answer", async ({ expect }) => {
    const res = await exports.default.fetch("https://router.test/api/health");
    expect(res.status).toBe(200);
    const body = await res.json<any>();
    expect(body.status).toBe("ok");
    expect(body.checks.mysql.status).toBe("up");
    expect(body.checks.redis.status).toBe("up");
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  const refusedMysql = { host: "127.0.0.1", port: 1, user: "cxlb", password: "x", database: "cxlb_test", connectionString: "" };

  it("answers 503 and names MySQL when its connection is refused, without the driver's message", async ({ expect }) => {
    const res = await requestWithEnv(envWith({ HYPERDRIVE: refusedMysql }), "/api/health");
    expect(res.status).toBe(503);
    const body = await res.json<any>();
    expect(body.status).toBe("degraded");
    expect(body.checks.mysql).toMatchObject({ status: "down", error: "MySQL did not answer; the Worker's log says why" });
    expect(body.checks.redis.status).toBe("up");
  });

  it("shows the driver's message to a developer running the Worker locally", async ({ expect }) => {
    const res = await requestWithEnv(envWith({ HYPERDRIVE: refusedMysql, ENVIRONMENT: "development" }), "/api/health");
    const body = await res.json<any>();
    expect(body.checks.mysql.status).toBe("down");
    expect(body.checks.mysql.error).toBeTruthy();
    expect(body.checks.mysql.error).not.toMatch(/did not answer; the Worker's log/);
  });

  it("answers 503 and names Redis when Upstash is unreachable", async ({ expect }) => {
    const res = await requestWithEnv(envWith({ UPSTASH_REDIS_REST_URL: "http://127.0.0.1:1" }), "/api/health");
    expect(res.status).toBe(503);
    const body = await res.json<any>();
    expect(body.checks.redis.status).toBe("down");
    expect(body.checks.mysql.status).toBe("up");
  });

  it("answers 503 when the Upstash token is wrong", async ({ expect }) => {
    const res = await requestWithEnv(envWith({ UPSTASH_REDIS_REST_TOKEN: "wrong" }), "/api/health");
    expect(res.status).toBe(503);
    expect((await res.json<any>()).checks.redis.status).toBe("down");
  });

  it("stays healthy without Upstash and says Redis is not configured", async ({ expect }) => {
    const res = await requestWithEnv(
      envWith({ UPSTASH_REDIS_REST_URL: undefined, UPSTASH_REDIS_REST_TOKEN: undefined }),
      "/api/health",
    );
    expect(res.status).toBe(200);
    const body = await res.json<any>();
    expect(body.checks.redis.status).toBe("not_configured");
  });
});
