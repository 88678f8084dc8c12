import { exports } from "cloudflare:workers";
import { describe, it } from "vitest";
import { call, login } from "./helpers/fixtures";
import { createRoutingFixture, voiceBody, webhookInit, type RoutingFixture } from "./helpers/routing-fixture";

/*
 * Property: for generated configurations (agent kinds, strategies, attempts, capacities,
 * failover outcomes, fallbacks) and generated outcome sequences, a real call dials exactly the
 * chain Explain predicted a moment before from the same counters, attempt by attempt and CXML
 * by CXML, and ends with the CXML Explain predicted when every attempt fails.
 */

const VOICE = "https://router.test/api/webhooks/voice-application";

/** A small deterministic generator (mulberry32), so a failure names its seed. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]! };
}

const KINDS = [
  { provider: "retell", value: (i: number) => `+1212555${String(2000 + i)}` },
  { provider: "vapi", value: (i: number) => `+1212555${String(3000 + i)}` },
  { provider: "sip", value: (i: number) => `sip:agent_${i}@sip.example.com` },
  { provider: "websocket", value: (i: number) => `wss://bot${i}.example.com/media` },
  { provider: "phone", value: (i: number) => `+1646555${String(4000 + i)}` },
] as const;

const FAILURES = ["busy", "no-answer", "failed"] as const;

async function configure(seed: number) {
  const rnd = random(seed);
  const f = await createRoutingFixture({ agentCount: 0 });
  const token = await login(f.adminEmail, f.adminPassword);
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await call(token, method, path, body);
    if (res.status >= 300) throw new Error(`seed ${seed}: ${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const count = 2 + rnd.int(4);
  const agents = [];
  for (let i = 0; i < count; i++) {
    const kind = rnd.pick(KINDS);
    const capacity = rnd.pick([null, null, 1, 2]);
    agents.push(await api("POST", "/api/voice-agents", { name: `A${i}`, provider: kind.provider, serviceValue: kind.value(i), maxConcurrentCalls: capacity, context: rnd.next() < 0.5 ? [{ name: "X-Caller", value: "{caller}" }] : [] }));
  }
  const spare = await api("POST", "/api/voice-agents", { name: "Spare", provider: "ultravox", serviceValue: "+12125559999" });
  const failoverOn = rnd.pick([null, null, ["no-answer", "failed"], ["busy", "no-answer", "failed"]]);
  const group = await api("POST", "/api/agent-groups", {
    name: "G",
    strategy: rnd.pick(["round_robin", "priority", "load_balanced"]),
    maxAttempts: 1 + rnd.pick([1, 2, 2, 3]),
    failoverOn,
    timeLimitSec: rnd.pick([null, 600]),
    members: agents.map((a) => ({ agentId: a.id, priority: rnd.int(2) })),
  });
  const fallback = rnd.pick([null, { type: "number", number: "+12125550000" }, { type: "sip", uri: "sip:desk@pbx.example.com" }, { type: "agent", id: spare.id }, { type: "announcement", text: "Sorry, nobody is free" }, { type: "reject", reason: "busy" }]);
  await api("PUT", `/api/inbound-rules/${f.ruleId}`, { target: { type: "group", id: group.id }, fallback });
  return { f, token, rnd, failoverOn: failoverOn as string[] | null };
}

async function post(f: RoutingFixture, url: string, body: unknown): Promise<string> {
  return (await exports.default.fetch(url, webhookInit(f, body))).text();
}

describe("Explain predicts what real calls do", () => {
  it.for(Array.from({ length: 12 }, (_, i) => 1000 + i * 7919))("seed %i", async (seed, { expect }) => {
    const { f, token, rnd, failoverOn } = await configure(seed);
    for (let n = 0; n < 4; n++) {
      const from = `+1415555${String(1000 + rnd.int(9000))}`;
      const explained = await call(token, "POST", "/api/routing/explain", { from, to: "+18005550199", direction: "inbound" });
      expect(explained.status, `seed ${seed}`).toBe(200);
      const chain = explained.body.chain as { attempts: { cxml: string }[]; end: { cxml: string } };
      // Each call fails some attempts (with outcomes the group fails over on) and may answer one.
      const answerAt = rnd.next() < 0.4 ? rnd.int(chain.attempts.length + 1) : -1;
      const body = voiceBody(f, { From: from, To: "+18005550199", Direction: "inbound" });
      let xml = await post(f, VOICE, body);
      for (let attempt = 1; ; attempt++) {
        const predicted = chain.attempts[attempt - 1];
        if (!predicted) {
          expect(xml, `seed ${seed} call ${n}: the end`).toBe(chain.end.cxml);
          break;
        }
        expect(xml, `seed ${seed} call ${n} attempt ${attempt}`).toBe(predicted.cxml);
        if (attempt - 1 === answerAt) {
          expect(await post(f, `${VOICE}/dial-result?attempt=${attempt}`, { ...body, DialCallStatus: "completed", DialCallDuration: 3 })).toContain("<Hangup/>");
          break;
        }
        // Explain predicts no-answer failures; any outcome the group fails over on takes the same path.
        const status = rnd.pick(FAILURES.filter((o) => failoverOn === null || failoverOn.includes(o)));
        xml = await post(f, `${VOICE}/dial-result?attempt=${attempt}`, { ...body, DialCallStatus: status });
      }
    }
  });
});
