import { exports } from "cloudflare:workers";
import { describe, it } from "vitest";
import { call, login } from "./helpers/fixtures";
import { createRoutingFixture, voiceBody, webhookInit } from "./helpers/routing-fixture";

const VOICE = "https://router.test/api/webhooks/voice-application";

describe("live figures from the balancers", () => {
  it("show an agent's live calls and a group's shares as calls are routed and end", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 2 });
    const token = await login(f.adminEmail, f.adminPassword);
    const first = voiceBody(f);
    for (const body of [first, voiceBody(f), voiceBody(f)]) await exports.default.fetch(VOICE, webhookInit(f, body));

    const status = await call(token, "GET", `/api/voice-agents/${f.agents[0]!.id}/status`);
    expect(status.status).toBe(200);
    expect(status.body.live).toMatchObject({ activeCalls: 2, callsLast24h: 2, healthy: true });
    expect(status.body.live.byBalancer).toEqual(expect.arrayContaining([expect.objectContaining({ groupId: f.groupId, activeCalls: 2 }), expect.objectContaining({ balancer: `agent:${f.agents[0]!.id}`, activeCalls: 0 })]));

    const stats = await call(token, "GET", `/api/agent-groups/${f.groupId}/stats`);
    expect(stats.status).toBe(200);
    expect(stats.body.live).toMatchObject({ activeCalls: 3, callsInWindow: 3, windowHours: 24 });
    const shares = Object.fromEntries(stats.body.live.members.map((m: { agentId: string; share: number }) => [m.agentId, m.share]));
    expect(shares).toEqual({ [f.agents[0]!.id]: 2 / 3, [f.agents[1]!.id]: 1 / 3 });

    await exports.default.fetch(`${VOICE}/dial-result?attempt=1`, webhookInit(f, { ...first, DialCallStatus: "completed" }));
    const after = await call(token, "GET", `/api/voice-agents/${f.agents[0]!.id}/status`);
    expect(after.body.live).toMatchObject({ activeCalls: 1, callsLast24h: 2, successes: 1 });
  });
});
