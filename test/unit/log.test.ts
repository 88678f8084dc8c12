import { afterEach, describe, expect, it, vi } from "vitest";
import { formatLine, log, sampleWebhook, scrubSecrets, setLogContext, withLogContext } from "../../workers/lib/log";

afterEach(() => vi.restoreAllMocks());

describe("structured log lines", () => {
  it("are one JSON object with level, event, time and the context's request id, tenant and call key", () => {
    const line = withLogContext({ requestId: "req-1", tenantId: "ten_1" }, () => {
      setLogContext({ callKey: "call-9" });
      return JSON.parse(formatLine("warn", "queue.batch_failed", { queue: "call-events", messages: 3 }));
    });
    expect(line).toMatchObject({ level: "warn", event: "queue.batch_failed", requestId: "req-1", tenantId: "ten_1", callKey: "call-9", queue: "call-events", messages: 3 });
    expect(Date.parse(line.time)).not.toBeNaN();
    // Outside a context there are no ids, and setting one is a no-op.
    setLogContext({ tenantId: "nobody" });
    expect(JSON.parse(formatLine("info", "x"))).not.toHaveProperty("tenantId");
  });

  it("write errors as name, message and a short stack, at the console method of their level", () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const info = vi.spyOn(console, "log").mockImplementation(() => {});
    log.error("request.failed", { error: new TypeError("boom") });
    log.info("webhook.answered", { status: 200 });
    const line = JSON.parse(error.mock.calls[0]![0] as string);
    expect(line.error).toMatchObject({ name: "TypeError", message: "boom" });
    expect(line.error.stack.split("\n").length).toBeLessThanOrEqual(8);
    expect(JSON.parse(info.mock.calls[0]![0] as string).level).toBe("info");
  });

  it("redact fields named like secrets and scrub every credential we know the shape of, wherever it is", () => {
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c3IifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
    const line = formatLine("warn", "x", {
      password: "hunter2-hunter2",
      apiKey: "plain-text-key",
      keyHint: "abcd",
      note: `sent Bearer ${jwt} and cxak_${"A".repeat(43)} to /api/webhooks/c/cxcb_${"B".repeat(43)}/cdr with cxrk_${"C".repeat(43)}`,
      url: "/api/realtime?ticket=abc.def&x=1",
      error: new Error(`bad key cxak_${"D".repeat(43)}`),
    });
    for (const secret of ["hunter2", "plain-text-key", jwt, "AAAA", "BBBB", "CCCC", "DDDD", "abc.def"]) expect(line).not.toContain(secret);
    const parsed = JSON.parse(line);
    expect(parsed.password).toBe("[redacted]");
    expect(parsed.keyHint).toBe("abcd");
    expect(parsed.note).toContain("cxak_[redacted]");
    expect(parsed.note).toContain("/c/cxcb_[redacted]/cdr");
    expect(scrubSecrets("Authorization: bearer abc.def-ghi")).toBe("Authorization: bearer [redacted]");
  });

  it("drop a sampled-out request's debug and info lines, never its warnings and errors", () => {
    const info = vi.spyOn(console, "log").mockImplementation(() => {});
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    withLogContext({ requestId: "r", sampled: false }, () => {
      log.info("webhook.answered");
      log.warn("durable_object.call_failed");
    });
    expect(info).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it("sample webhooks in production only, at the configured rate (default one in ten)", () => {
    expect(sampleWebhook("development", 0, () => 0.99)).toBe(true);
    expect(sampleWebhook("test", 0)).toBe(true);
    expect(sampleWebhook("production", undefined, () => 0.05)).toBe(true);
    expect(sampleWebhook("production", undefined, () => 0.15)).toBe(false);
    expect(sampleWebhook("production", 1, () => 0.999)).toBe(true);
    expect(sampleWebhook("production", 0, () => 0)).toBe(false);
  });
});
