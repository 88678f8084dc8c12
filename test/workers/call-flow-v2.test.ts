import { env, exports } from "cloudflare:workers";
import { describe, it } from "vitest";
import { call, login } from "./helpers/fixtures";
import { createRoutingFixture, voiceBody, webhookInit, type RoutingFixture } from "./helpers/routing-fixture";

/*
 * Call flow v2 through the Worker, MariaDB and the Durable Objects: every kind of agent, as
 * configured through the admin API, answered with the CXML Cloudonix needs; escalation to a
 * person; call context; failover outcomes; API-originated calls; unmatched calls.
 */

const VOICE = "https://router.test/api/webhooks/voice-application";

async function setup(options: Parameters<typeof createRoutingFixture>[0] = {}) {
  const f = await createRoutingFixture({ agentCount: 0, ...options });
  const token = await login(f.adminEmail, f.adminPassword);
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await call(token, method, path, body);
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  return { f, token, api };
}

async function ring(f: RoutingFixture, overrides: Record<string, unknown> = {}) {
  const body = voiceBody(f, { To: "+18005550199", ...overrides });
  const xml = await (await exports.default.fetch(VOICE, webhookInit(f, body))).text();
  return { body, xml };
}

async function dialResult(f: RoutingFixture, body: Record<string, unknown>, attempt: number, status: string) {
  return (await exports.default.fetch(`${VOICE}/dial-result?attempt=${attempt}`, webhookInit(f, { ...body, DialCallStatus: status }))).text();
}

/** Points the fixture's rule "1800*" at a new group of these agents, with group settings. */
async function groupOf(api: Awaited<ReturnType<typeof setup>>["api"], f: RoutingFixture, agentIds: string[], settings: Record<string, unknown> = {}, rule: Record<string, unknown> = {}) {
  const group = await api("POST", "/api/agent-groups", { name: `G ${crypto.randomUUID().slice(0, 6)}`, strategy: "priority", maxAttempts: 3, members: agentIds.map((agentId, priority) => ({ agentId, priority })), ...settings });
  await api("PUT", `/api/inbound-rules/${f.ruleId}`, { target: { type: "group", id: group.id }, ...rule });
  return group;
}

describe("call flow v2: every kind of agent", () => {
  it("dials a SIP agent as <Sip> with its credentials, which the API never returns", async ({ expect }) => {
    const { f, api } = await setup();
    const agent = await api("POST", "/api/voice-agents", { name: "Desk SIP", provider: "sip", serviceValue: " sip:agent_7@sip.agent.example;transport=tls ", username: "bob", password: "s3cr3t&<x>" });
    expect(agent).toMatchObject({ kind: "sip", serviceValue: "sip:agent_7@sip.agent.example;transport=tls", username: "bob", hasPassword: true });
    expect(JSON.stringify(agent)).not.toContain("s3cr3t");
    await groupOf(api, f, [agent.id]);
    const { xml } = await ring(f);
    expect(xml).toContain('<Sip username="bob" password="s3cr3t&amp;&lt;x&gt;">sip:agent_7@sip.agent.example;transport=tls</Sip>');
  });

  it("connects a WebSocket agent with <Connect><Stream> and its context as parameters; the stream's end is the end of the talk", async ({ expect }) => {
    const { f, api } = await setup();
    const agent = await api("POST", "/api/voice-agents", {
      name: "Stream bot",
      provider: "websocket",
      serviceValue: "wss://bot.example.com/media?tenant=7",
      context: [
        { name: "X-Caller", value: "{caller}" },
        { name: "X-Call", value: "{callId}" },
      ],
    });
    expect(agent.kind).toBe("stream");
    await groupOf(api, f, [agent.id]);
    const { body, xml } = await ring(f, { From: "+14155550100" });
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?><Response><Connect action="https:\/\/router.test\/api\/webhooks\/voice-application\/dial-result\?attempt=1" method="POST"><Stream url="wss:\/\/bot.example.com\/media\?tenant=7"><Parameter name="X-Caller" value="\+14155550100"\/><Parameter name="X-Call" value="cal_[^"]+"\/><\/Stream><\/Connect><\/Response>$/,
    );
    // Cloudonix calls the Connect action when the stream ends, with the caller's leg still up.
    const after = await (await exports.default.fetch(`${VOICE}/dial-result?attempt=1`, webhookInit(f, { ...body, CallStatus: "in-progress" }))).text();
    expect(after).toContain("<Hangup/>");
    const snap = await env.CALL_SESSION.getByName(`${f.tenantId}:${body.Session}`).snapshot();
    expect(snap).toMatchObject({ state: "completed", record: { attempts: [{ via: "stream", outcome: "answered" }] } });
  });

  it("dials a phone-number agent as <Number> through its trunk, and a deleted trunk is refused while it is in use", async ({ expect }) => {
    const { f, api, token } = await setup();
    const trunk = await api("POST", "/api/trunks", { name: "pstn-out" });
    const human = await api("POST", "/api/voice-agents", { name: "Night desk", provider: "phone", serviceValue: "+1 (212) 555-0199", trunkId: trunk.id });
    expect(human).toMatchObject({ kind: "number", serviceValue: "+12125550199", trunkId: trunk.id });
    await groupOf(api, f, [human.id], { timeLimitSec: 900 });
    const { xml } = await ring(f);
    expect(xml).toContain('trunks="pstn-out" timeLimit="900"><Number>+12125550199</Number></Dial>');
    const refused = await call(token, "DELETE", `/api/trunks/${trunk.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain("Night desk");
  });

  it("refuses hostile and mismatched agent settings with field errors", async ({ expect }) => {
    const { token } = await setup();
    const post = (body: Record<string, unknown>) => call(token, "POST", "/api/voice-agents", { name: `A ${crypto.randomUUID().slice(0, 6)}`, ...body });
    const cases: [Record<string, unknown>, string][] = [
      [{ provider: "sip", serviceValue: 'sip:a@b.example"><Dial><Number>+1900</Number></Dial>' }, "serviceValue"],
      [{ provider: "sip", serviceValue: "http://not-sip.example" }, "serviceValue"],
      [{ provider: "websocket", serviceValue: "ws://insecure.example/stream" }, "serviceValue"],
      [{ provider: "websocket", serviceValue: "wss://bot.example/s", username: "u" }, "username"],
      [{ provider: "phone", serviceValue: "call me" }, "serviceValue"],
      [{ provider: "retell", serviceValue: "+12125550100", trunkId: "trk_x" }, "trunkId"],
      [{ provider: "retell", serviceValue: "+12125550100", context: [{ name: "Caller", value: "x" }] }, "context.0.name"],
      [{ provider: "retell", serviceValue: "+12125550100", context: [{ name: "X-A", value: '"><Dial>' }] }, ""],
      [{ provider: "retell", serviceValue: "+12125550100", context: [{ name: "X-A", value: "x".repeat(10_000) }] }, "context.0.value"],
      [{ provider: "retell", serviceValue: "+12125550100", context: [{ name: "X-A", value: "line\r\nX-Injected: 1" }] }, "context.0.value"],
      [{ provider: "retell", serviceValue: "+12125550100", context: [{ name: "X-A", value: "{password}" }] }, "context.0.value"],
    ];
    for (const [body, path] of cases) {
      const res = await post(body);
      if (path === "") {
        // Quotes and angle brackets are fine in a value: CXML escapes them (the unit tests show the output stays one Dial).
        expect(res.status, JSON.stringify(body)).toBe(201);
        continue;
      }
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(
        res.body.error.details.map((d: { path: string }) => d.path),
        JSON.stringify(body),
      ).toContain(path);
    }
  });
});

describe("call flow v2: escalation, context, failover outcomes", () => {
  it("escalates to a person when every agent fails, with the rule's time limit and the context of rule, group and agent", async ({ expect }) => {
    const { f, api } = await setup();
    const a = await api("POST", "/api/voice-agents", { name: "Bot A", provider: "retell", serviceValue: "+12125550101", context: [{ name: "X-Who", value: "agent" }] });
    const b = await api("POST", "/api/voice-agents", { name: "Bot B", provider: "vapi", serviceValue: "+12125550102" });
    await groupOf(
      api,
      f,
      [a.id, b.id],
      {
        context: [
          { name: "X-Group", value: "{groupName}" },
          { name: "X-Who", value: "group" },
        ],
        timeLimitSec: 1200,
      },
      {
        timeLimitSec: 600,
        context: [
          { name: "X-Rule", value: "{ruleName}" },
          { name: "X-Account", value: "{header:X-Account}" },
        ],
        fallback: { type: "number", number: "+1 212 555 0000" },
      },
    );
    const { body, xml } = await ring(f);
    // The agent's X-Who wins over the group's (in the group's place); X-Account is left out: the call has no such header.
    expect(xml).toMatch(/<Dial [^>]*timeLimit="600"><Header name="X-Rule" value="Sales"\/><Header name="X-Group" value="G [^"]+"\/><Header name="X-Who" value="agent"\/><Service provider="retell">\+12125550101<\/Service><\/Dial>/);
    const second = await dialResult(f, body, 1, "no-answer");
    expect(second).toContain('<Service provider="vapi">+12125550102</Service>');
    expect(second).toContain('<Header name="X-Who" value="group"/>');
    const person = await dialResult(f, body, 2, "busy");
    expect(person).toContain('timeLimit="600"><Header name="X-Rule" value="Sales"/><Number>+12125550000</Number></Dial>');
    expect(await dialResult(f, body, 3, "completed")).toContain("<Hangup/>");
    const snap = await env.CALL_SESSION.getByName(`${f.tenantId}:${body.Session}`).snapshot();
    expect(snap!.record.attempts.map((x: { kind: string; targetName: string; outcome?: string }) => [x.kind, x.targetName, x.outcome])).toEqual([
      ["agent", "Bot A", "failed"],
      ["agent", "Bot B", "failed"],
      ["person", "+12125550000", "answered"],
    ]);
  });

  it("ends the call on an outcome the group does not fail over on (a callee who declined is not dialled again)", async ({ expect }) => {
    const { f, api } = await setup();
    const a = await api("POST", "/api/voice-agents", { name: "Human 1", provider: "phone", serviceValue: "+12125550111" });
    const b = await api("POST", "/api/voice-agents", { name: "Human 2", provider: "phone", serviceValue: "+12125550112" });
    await groupOf(api, f, [a.id, b.id], { failoverOn: ["no-answer", "failed"] }, { fallback: { type: "sip", uri: "sip:desk@pbx.example.com" } });
    const declined = await ring(f);
    expect(await dialResult(f, declined.body, 1, "busy")).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>');
    const snap = await env.CALL_SESSION.getByName(`${f.tenantId}:${declined.body.Session}`).snapshot();
    expect(snap!.record).toMatchObject({ endReason: "busy", attempts: [{ targetName: "Human 1" }] });
    expect(snap!.record.attempts).toHaveLength(1);
    // No answer does fail over, then the SIP escalation.
    const unanswered = await ring(f);
    expect(await dialResult(f, unanswered.body, 1, "no-answer")).toContain("<Number>+12125550112</Number>");
    expect(await dialResult(f, unanswered.body, 2, "failed")).toContain("<Sip>sip:desk@pbx.example.com</Sip>");
    const groupStats = await env.GROUP_BALANCER.getByName((await api("GET", `/api/inbound-rules/${f.ruleId}`)).target.id).stats();
    expect(groupStats.every((s: { active: number }) => s.active === 0)).toBe(true);
  });

  it("refuses a fallback or header that could break the CXML, with field errors", async ({ expect }) => {
    const { f, token } = await setup();
    const put = (body: Record<string, unknown>) => call(token, "PUT", `/api/inbound-rules/${f.ruleId}`, body);
    expect((await put({ fallback: { type: "sip", uri: 'sip:x@y"><Hangup/>' } })).body.error.details[0].path).toBe("fallback.uri");
    expect((await put({ fallback: { type: "number", number: "+1 555 abc" } })).body.error.details[0].path).toBe("fallback.number");
    expect((await put({ fallback: { type: "number", number: "+12125550000", trunkId: "trk_nope" } })).status).toBe(404);
    expect((await put({ context: [{ name: "X-Bad Name", value: "x" }] })).body.error.details[0].path).toBe("context.0.name");
    expect(
      (
        await put({
          context: [
            { name: "X-A", value: "1" },
            { name: "x-a", value: "2" },
          ],
        })
      ).status,
    ).toBe(400);
    expect((await put({ timeLimitSec: 5 })).body.error.details[0].path).toBe("timeLimitSec");
    expect((await call(token, "POST", "/api/agent-groups", { name: "bad", failoverOn: ["busy", "maybe"] })).body.error.details[0].path).toBe("failoverOn.1");
  });
});

describe("call flow v2: API-originated and unmatched calls", () => {
  it("connects an answered outbound-api call to an agent by an API rule, never dialling the person again", async ({ expect }) => {
    const { f, api } = await setup();
    const bot = await api("POST", "/api/voice-agents", { name: "Reminder bot", provider: "retell", serviceValue: "+12125550150" });
    // Without an API rule: no agent, and no trunk dial of the person either.
    const before = await ring(f, { Direction: "outbound-api", From: "+18005550100", To: "+33612345678" });
    expect(before.xml).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>');
    await api("POST", "/api/inbound-rules", { name: "Campaign line", pattern: "+18005550100", target: { type: "agent", id: bot.id }, callType: "api" });
    // The line number may arrive as From or To: both are tried.
    for (const [from, to] of [
      ["+18005550100", "+33612345678"],
      ["+33612345678", "+18005550100"],
    ]) {
      const { xml } = await ring(f, { Direction: "outbound-api", From: from, To: to });
      expect(xml).toContain('<Service provider="retell">+12125550150</Service>');
      expect(xml).not.toContain("33612345678");
    }
    // An inbound call to the same number does not use the API rule.
    expect((await ring(f, { Direction: "inbound", From: "+33612345678", To: "+18005550100" })).xml).toContain("<Hangup/>");
  });

  it("rejects an unmatched inbound call when the tenant chooses to (nothing billed)", async ({ expect }) => {
    const { f, api } = await setup();
    expect((await ring(f, { To: "+4420000000" })).xml).toContain("<Hangup/>");
    const tenant = await api("GET", "/api/tenant");
    await api("PUT", "/api/tenant", { unmatchedAction: "reject", version: tenant.version });
    expect((await ring(f, { To: "+4420000000" })).xml).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Reject/></Response>');
    expect((await call(await login(f.adminEmail, f.adminPassword), "PUT", "/api/tenant", { unmatchedAction: "maybe" })).status).toBe(400);
  });
});
