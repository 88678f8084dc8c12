import { env, exports } from "cloudflare:workers";
import { describe, it } from "vitest";
import { envWith, requestWithEnv } from "./helpers/app";
import { createRoutingFixture, voiceBody, webhookInit } from "./helpers/routing-fixture";

/*
 * Every Cloudonix webhook writes one Analytics Engine data point. The local runtime binds
 * ANALYTICS (from wrangler.toml) to a simulator that accepts points and keeps none, so what is
 * written is checked through a recording binding in its place; that a missing or failing
 * binding never costs a webhook its answer is checked the same way.
 */

const VOICE = "https://router.test/api/webhooks/voice-application";

function recorder() {
  const points: AnalyticsEngineDataPoint[] = [];
  return { points, binding: { writeDataPoint: (point?: AnalyticsEngineDataPoint) => void points.push(point!) } };
}

describe("Analytics Engine data points", () => {
  it("the runtime binds the dataset declared in wrangler.toml, and a webhook writes to it without harm", async ({ expect }) => {
    expect(typeof env.ANALYTICS?.writeDataPoint).toBe("function");
    const fixture = await createRoutingFixture();
    const res = await exports.default.fetch(VOICE, webhookInit(fixture, voiceBody(fixture)));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("<Dial");
  });

  it("a routing decision writes tenant, kind, outcome, group, latency and status; a refusal writes its code", async ({ expect }) => {
    const fixture = await createRoutingFixture({ agentCount: 2 });
    const { points, binding } = recorder();
    const custom = envWith({ ANALYTICS: binding });
    const body = voiceBody(fixture);
    const res = await requestWithEnv(custom, VOICE, webhookInit(fixture, body));
    expect(res.status).toBe(200);
    const dial = await requestWithEnv(custom, `${VOICE}/dial-result?attempt=1`, webhookInit(fixture, { ...body, DialCallStatus: "busy" }));
    expect(dial.status).toBe(200);
    const refused = await requestWithEnv(custom, VOICE, webhookInit({ requestKey: "cxrk_wrong" }, voiceBody(fixture)));
    expect(refused.status).toBe(401);

    expect(points).toHaveLength(3);
    const [routed, failedOver, refusal] = points;
    expect(routed).toMatchObject({ indexes: [fixture.tenantId], blobs: [fixture.tenantId, "voice-application", "routed:ringing", fixture.agents[0]!.id, fixture.groupId] });
    expect(routed!.doubles![1]).toBe(200);
    expect(routed!.doubles![0]).toBeGreaterThanOrEqual(0);
    expect(routed!.doubles![0]).toBeLessThan(10_000);
    expect(failedOver).toMatchObject({ blobs: [fixture.tenantId, "dial-result", "dial:busy:ringing", fixture.agents[1]!.id, fixture.groupId], doubles: [expect.any(Number), 200] });
    // Refused before the tenant is known: no tenant, the refusal's code as the outcome.
    expect(refusal).toMatchObject({ indexes: ["none"], blobs: ["", "voice-application", "UNAUTHORIZED", "", ""], doubles: [expect.any(Number), 401] });
  });

  it("never costs a webhook its answer: no binding, or a binding that throws", async ({ expect }) => {
    const fixture = await createRoutingFixture();
    const throwing = {
      writeDataPoint: () => {
        throw new Error("Analytics Engine is down");
      },
    };
    for (const ANALYTICS of [undefined, throwing, {}]) {
      const res = await requestWithEnv(envWith({ ANALYTICS }), VOICE, webhookInit(fixture, voiceBody(fixture)));
      expect(res.status).toBe(200);
      expect(await res.text()).toContain("<Dial");
    }
  });
});
