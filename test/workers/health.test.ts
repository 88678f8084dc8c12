import { env, exports } from "cloudflare:workers";
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

  it("answers 503 and names MySQL when its connection is refused", async ({ expect }) => {
    const broken = envWith({
      HYPERDRIVE: { host: "127.0.0.1", port: 1, user: "cxlb", password: "x", database: "cxlb_test", connectionString: "" },
    });
    const res = await requestWithEnv(broken, "/api/health");
    expect(res.status).toBe(503);
    const body = await res.json<any>();
    expect(body.status).toBe("degraded");
    expect(body.checks.mysql.status).toBe("down");
    expect(body.checks.mysql.error).toBeTruthy();
    expect(body.checks.redis.status).toBe("up");
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
    expect(env.ENVIRONMENT).toBe("test");
  });
});
