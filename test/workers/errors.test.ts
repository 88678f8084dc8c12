import { exports } from "cloudflare:workers";
import { describe, it } from "vitest";

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
});
