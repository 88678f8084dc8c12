import { createExecutionContext, createMessageBatch, createScheduledController } from "cloudflare:test";
import { describe, it, vi } from "vitest";
import worker from "../../workers/index";
import { ConfigError, UPSTASH_ABSENT, loadConfig } from "../../workers/env";
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
    ["EXPORT_JOBS", { EXPORT_JOBS: undefined }],
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
    expect(() => loadConfig(envWith({ ENCRYPTION_KEY: undefined, TOKEN_SIGNING_KEY: undefined }))).toThrow(/ENCRYPTION_KEY: .*; TOKEN_SIGNING_KEY: /);
  });

  it("answers requests with a CONFIG_INVALID envelope naming the binding, without a stack", async ({ expect }) => {
    const res = await requestWithEnv(envWith({ EXPORTS: undefined }), "/api/health");
    expect(res.status).toBe(500);
    const body = await res.json<any>();
    expect(body.error.code).toBe("CONFIG_INVALID");
    expect(body.error.message).toContain("EXPORTS");
    expect(JSON.stringify(body)).not.toContain("at ");
  });

  it("fails the queue and cron handlers before they run, with the message a request gets", async ({ expect }) => {
    const broken = () => envWith({ EXPORT_JOBS: undefined });
    const res = await requestWithEnv(broken(), "/api/health");
    const message = (await res.json<any>()).error.message as string;
    expect(message).toMatch(/^Invalid Worker configuration: EXPORT_JOBS: binding missing/);

    const batch = createMessageBatch("call-events", [{ id: "cfg-1", timestamp: new Date(), attempts: 1, body: { kind: "mystery" } }]);
    await expect(worker.queue(batch, broken(), createExecutionContext())).rejects.toThrow(message);
    const controller = createScheduledController({ scheduledTime: Date.now(), cron: "17 * * * *" });
    await expect(worker.scheduled(controller, broken(), createExecutionContext())).rejects.toThrow(message);
  });

  it("says once per environment that Upstash is absent, and not when it is configured", async ({ expect }) => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const withoutUpstash = envWith({ UPSTASH_REDIS_REST_URL: undefined, UPSTASH_REDIS_REST_TOKEN: undefined });
      for (let i = 0; i < 3; i++) await worker.fetch(new Request("https://router.test/api/nope"), withoutUpstash, createExecutionContext());
      // One structured line (lib/log.ts) that carries the message.
      const absent = () => warn.mock.calls.filter(([text]) => JSON.parse(String(text)).message === UPSTASH_ABSENT);
      expect(absent()).toHaveLength(1);
      expect(JSON.parse(String(absent()[0]![0]))).toMatchObject({ level: "warn", event: "config.upstash_absent" });

      await worker.fetch(new Request("https://router.test/api/nope"), envWith({}), createExecutionContext());
      expect(absent()).toHaveLength(1);
    } finally {
      warn.mockRestore();
    }
  });
});
