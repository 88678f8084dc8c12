import { exports } from "cloudflare:workers";
import { describe, it } from "vitest";
import { call, login } from "./helpers/fixtures";
import { createRoutingFixture, voiceBody, webhookInit, type RoutingFixture } from "./helpers/routing-fixture";

const VOICE = "https://router.test/api/webhooks/voice-application";
const routeWith = async (f: RoutingFixture, key: string) => (await exports.default.fetch(VOICE, webhookInit({ requestKey: key }, voiceBody(f)))).status;

describe("rotating the webhook request key", () => {
  it("keeps the previous key working during the grace period, so no call is dropped while Cloudonix is updated", async ({ expect }) => {
    const f = await createRoutingFixture();
    const token = await login(f.adminEmail, f.adminPassword);
    const rotated = await call(token, "POST", "/api/tenant/request-key", { graceSeconds: 600 });
    expect(rotated.status).toBe(200);
    expect(Date.parse(rotated.body.previousKeyValidUntil) - Date.parse(rotated.body.rotatedAt)).toBe(600_000);
    expect(await routeWith(f, f.requestKey)).toBe(200);
    expect(await routeWith(f, rotated.body.requestKey)).toBe(200);
    expect(await routeWith(f, "cxrk_something_else")).toBe(401);
  });

  it("revokes the previous key at once with graceSeconds 0, and only one previous key is ever kept", async ({ expect }) => {
    const f = await createRoutingFixture();
    const token = await login(f.adminEmail, f.adminPassword);
    const first = await call(token, "POST", "/api/tenant/request-key");
    expect(first.body.previousKeyValidUntil).not.toBeNull();
    const second = await call(token, "POST", "/api/tenant/request-key", { graceSeconds: 0 });
    expect(second.body.previousKeyValidUntil).toBeNull();
    expect(await routeWith(f, f.requestKey)).toBe(401);
    expect(await routeWith(f, first.body.requestKey)).toBe(401);
    expect(await routeWith(f, second.body.requestKey)).toBe(200);
  });

  it("refuses a grace period over 7 days", async ({ expect }) => {
    const f = await createRoutingFixture();
    const token = await login(f.adminEmail, f.adminPassword);
    const res = await call(token, "POST", "/api/tenant/request-key", { graceSeconds: 8 * 86_400 });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0]).toMatchObject({ path: "graceSeconds" });
  });
});
