import { env, exports } from "cloudflare:workers";
import { describe, it } from "vitest";
import { envWith, requestWithEnv } from "./helpers/app";

const refusedMysql = { host: "127.0.0.1", port: 1, user: "cxlb", password: "x", database: "cxlb_test", connectionString: "" };

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
    const res = await requestWithEnv(envWith({ UPSTASH_REDIS_REST_URL: undefined, UPSTASH_REDIS_REST_TOKEN: undefined }), "/api/health");
    expect(res.status).toBe(200);
    const body = await res.json<any>();
    expect(body.checks.redis.status).toBe("not_configured");
  });
});

describe("GET /api/health/live", () => {
  it("answers ok with no I/O: not even a binding or secret is read", async ({ expect }) => {
    const untouchable = new Proxy(
      {},
      {
        get: () => {
          throw new Error("liveness touched a binding");
        },
      },
    );
    const res = await requestWithEnv(envWith({ HYPERDRIVE: untouchable, UPSTASH_REDIS_REST_URL: "http://127.0.0.1:1", ENCRYPTION_KEY: undefined }), "/api/health/live");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });
});

describe("GET /api/health/ready", () => {
  /**
   * The test database, behind a binding that counts the MySQL connections opened: the driver
   * reads the password once per connection, and nothing else does (the configuration check
   * looks at host, port, user and database).
   */
  function countingEnv() {
    let connections = 0;
    const real = env.HYPERDRIVE;
    const hyperdrive = {
      host: real.host,
      port: real.port,
      user: real.user,
      get password() {
        connections++;
        return real.password;
      },
      database: real.database,
      connectionString: real.connectionString,
    };
    return { env: envWith({ HYPERDRIVE: hyperdrive }), connections: () => connections };
  }

  it("checks MySQL, Upstash and the queues, and /api/health gives the same answer", async ({ expect }) => {
    const e = envWith({});
    const res = await requestWithEnv(e, "/api/health/ready");
    expect(res.status).toBe(200);
    const body = await res.json<any>();
    expect(body).toMatchObject({ status: "ok", checks: { mysql: { status: "up" }, redis: { status: "up" }, queues: { status: "up" } } });
    expect(await (await requestWithEnv(e, "/api/health")).json()).toEqual(body);
  });

  it("serves one check to every probe within its window: MySQL is asked once", async ({ expect }) => {
    const counted = countingEnv();
    const first = await requestWithEnv(counted.env, "/api/health/ready");
    expect(first.status).toBe(200);
    expect(counted.connections()).toBe(1);
    const more = await Promise.all([1, 2, 3].map(() => requestWithEnv(counted.env, "/api/health/ready")));
    expect(more.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(counted.connections()).toBe(1);
    const bodies = await Promise.all([first, ...more].map((r) => r.json<any>()));
    expect(new Set(bodies.map((b) => b.checkedAt)).size).toBe(1);
  });

  it("shares one check among probes that arrive together, before any answer exists", async ({ expect }) => {
    const counted = countingEnv();
    const answers = await Promise.all([1, 2, 3, 4].map(() => requestWithEnv(counted.env, "/api/health/ready")));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(counted.connections()).toBe(1);
  });

  it("answers 503 degraded when MySQL is down", async ({ expect }) => {
    const res = await requestWithEnv(envWith({ HYPERDRIVE: refusedMysql }), "/api/health/ready");
    expect(res.status).toBe(503);
    const body = await res.json<any>();
    expect(body.status).toBe("degraded");
    expect(body.checks.mysql.status).toBe("down");
    expect(body.checks.queues.status).toBe("up");
  });
});
