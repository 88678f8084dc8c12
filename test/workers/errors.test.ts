import { exports } from "cloudflare:workers";
import { describe, it, vi } from "vitest";
import { createApp } from "../../workers/app";
import { envWith, requestWithEnv } from "./helpers/app";

/** The real app plus one route that fails the way a bug or a driver would. */
async function requestFailing(environment: string) {
  const app = createApp();
  app.get("/__test/boom", () => {
    throw new Error("connect ECONNREFUSED secret-db.internal:3306");
  });
  const log = vi.spyOn(console, "error").mockImplementation(() => {});
  try {
    const res = await app.request("/__test/boom", { headers: { "X-Request-Id": "req-boom" } }, envWith({ ENVIRONMENT: environment }));
    return { status: res.status, text: await res.text(), logged: log.mock.calls.flat().map(String).join(" ") };
  } finally {
    log.mockRestore();
  }
}

describe("the error envelope", () => {
  it("answers unknown routes with a 404 envelope that names the route and the request id", async ({ expect }) => {
    const res = await exports.default.fetch("https://router.test/api/nope?x=1", { headers: { "X-Request-Id": "req-123" } });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(await res.json()).toEqual({
      error: { code: "NOT_FOUND", message: "No route for GET /api/nope", requestId: "req-123" },
    });
  });

  it("does not echo an unsafe request id", async ({ expect }) => {
    const res = await exports.default.fetch("https://router.test/nope", { headers: { "X-Request-Id": "<script>" } });
    const body = await res.json<any>();
    expect(body.error.requestId).not.toContain("<");
    expect(res.headers.get("x-request-id")).toBe(body.error.requestId);
  });

  it.for(["test", "production"])("answers an unexpected error with 500 INTERNAL, no stack and no driver message (%s)", async (environment, { expect }) => {
    const res = await requestFailing(environment);
    expect(res.status).toBe(500);
    expect(JSON.parse(res.text)).toEqual({
      error: { code: "INTERNAL", message: "Something went wrong on our side; the request id identifies it in the logs", requestId: "req-boom" },
    });
    expect(res.text).not.toContain("secret-db");
    // The log keeps what the answer leaves out, in a structured line with the request id.
    expect(res.logged).toContain("secret-db.internal");
    expect(JSON.parse(res.logged)).toMatchObject({ level: "error", event: "request.failed", requestId: "req-boom", path: "/__test/boom" });
  });

  it("adds the stack for a developer running the Worker locally", async ({ expect }) => {
    const res = await requestFailing("development");
    expect(res.status).toBe(500);
    const body = JSON.parse(res.text);
    expect(body.error.code).toBe("INTERNAL");
    expect(body.error.details.stack).toContain("secret-db.internal");
  });
});

describe("the benchmarks' routes", () => {
  it("do not exist in production", async ({ expect }) => {
    const production = envWith({ ENVIRONMENT: "production" });
    for (const [method, path] of [
      ["POST", "/__bench/enqueue"],
      ["GET", "/__bench/static-xml"],
    ] as const) {
      const res = await requestWithEnv(production, path, { method, headers: { "content-type": "application/json" }, body: method === "POST" ? "[]" : undefined });
      expect(res.status, path).toBe(404);
    }
  });
});
