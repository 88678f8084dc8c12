import { exports } from "cloudflare:workers";
import { describe, it } from "vitest";
import { createRoutingFixture, voiceBody, webhookInit } from "./helpers/routing-fixture";

const VOICE = "https://router.test/api/webhooks/voice-application";

describe("POST /api/webhooks/voice-application", () => {
  it("answers a matched call with a Dial to the picked agent and a failover action URL", async ({ expect }) => {
    const fixture = await createRoutingFixture();
    const res = await exports.default.fetch(VOICE, webhookInit(fixture, voiceBody(fixture)));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/xml");
    const xml = await res.text();
    const agent = fixture.agents[0]!;
    expect(xml).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><Response><Dial action="https://router.test/api/webhooks/voice-application/dial-result?attempt=1" method="POST" timeout="30"><Service provider="${agent.provider}">${agent.serviceValue}</Service></Dial></Response>`,
    );
  });

  it("rotates through the group's agents call after call", async ({ expect }) => {
    const fixture = await createRoutingFixture({ agentCount: 3 });
    const dialled: string[] = [];
    for (let i = 0; i < 6; i++) {
      const xml = await (await exports.default.fetch(VOICE, webhookInit(fixture, voiceBody(fixture)))).text();
      dialled.push(/>(\+\d+)<\/Service>/.exec(xml)![1]!);
    }
    const numbers = fixture.agents.map((a) => a.serviceValue);
    expect(dialled).toEqual([...numbers, ...numbers]);
  });

  it("answers a repeated webhook with the same CXML and counts the call once", async ({ expect }) => {
    const fixture = await createRoutingFixture({ agentCount: 2 });
    const body = voiceBody(fixture);
    const first = await (await exports.default.fetch(VOICE, webhookInit(fixture, body))).text();
    const again = await (await exports.default.fetch(VOICE, webhookInit(fixture, body))).text();
    expect(again).toBe(first);
    // The next distinct call goes to the second agent: the duplicate did not advance the rotation.
    const next = await (await exports.default.fetch(VOICE, webhookInit(fixture, voiceBody(fixture)))).text();
    expect(next).toContain(fixture.agents[1]!.serviceValue);
  });

  it("also accepts GET with the parameters in the query string", async ({ expect }) => {
    const fixture = await createRoutingFixture();
    const query = new URLSearchParams(voiceBody(fixture) as Record<string, string>);
    const res = await exports.default.fetch(`${VOICE}?${query}`, { headers: { Authorization: `Bearer ${fixture.requestKey}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("<Dial ");
  });

  it("hangs up cleanly when no rule matches and the tenant has no default", async ({ expect }) => {
    const fixture = await createRoutingFixture();
    const res = await exports.default.fetch(VOICE, webhookInit(fixture, voiceBody(fixture, { To: "+442071234567" })));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>');
  });
});
