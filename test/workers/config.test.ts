import { describe, it } from "vitest";
import { ConfigError, loadConfig } from "../../workers/env";
import { envWith, requestWithEnv } from "./helpers/app";

describe("Worker configuration", () => {
  it("accepts the test environment", ({ expect }) => {
    const config = loadConfig(envWith({}));
    expect(config.environment).toBe("test");
    expect(config.upstash?.url).toMatch(/^http/);
  });

  it.for([
    ["ENCRYPTION_KEY", { ENCRYPTION_KEY: undefined }],
    ["ENCRYPTION_KEY", { ENCRYPTION_KEY: "c2hvcnQ=" }],
    ["TOKEN_SIGNING_KEY", { TOKEN_SIGNING_KEY: "short" }],
    ["HYPERDRIVE", { HYPERDRIVE: undefined }],
    ["CALL_SESSION", { CALL_SESSION: undefined }],
    ["CALL_EVENTS", { CALL_EVENTS: {} }],
    ["EXPORTS", { EXPORTS: undefined }],
    ["ENVIRONMENT", { ENVIRONMENT: "staging" }],
    ["UPSTASH_REDIS_REST_TOKEN", { UPSTASH_REDIS_REST_TOKEN: undefined }],
    ["UPSTASH_REDIS_REST_URL", { UPSTASH_REDIS_REST_URL: "not a url" }],
  ] as const)("names %s when it is missing or malformed", ([name, overrides], { expect }) => {
    const attempt = () => loadConfig(envWith(overrides as never));
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(new RegExp(`${name}: `));
  });

  it("reports every problem in one message", ({ expect }) => {
    expect(() => loadConfig(envWith({ ENCRYPTION_KEY: undefined, TOKEN_SIGNING_KEY: undefined }))).toThrow(
      /ENCRYPTION_KEY: .*; TOKEN_SIGNING_KEY: /,
    );
  });

  it("answers requests with a CONFIG_INVALID envelope naming the binding, without a stack", async ({ expect }) => {
    const res = await requestWithEnv(envWith({ EXPORTS: undefined }), "/api/health");
    expect(res.status).toBe(500);
    const body = await res.json<any>();
    expect(body.error.code).toBe("CONFIG_INVALID");
    expect(body.error.message).toContain("EXPORTS");
    expect(JSON.stringify(body)).not.toContain("at ");
  });
});
