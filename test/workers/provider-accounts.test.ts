import { env, exports } from "cloudflare:workers";
import { describe, it } from "vitest";
import { createAgent, createTenantFixture, type TenantFixture } from "./helpers/fixtures";
import { eventually } from "./helpers/db";

/*
 * Provider accounts: a cap on concurrent calls shared by the agents assigned to it, from any
 * group or rule, held exactly by one ProviderAccount object per account.
 */

const VOICE = "https://router.test/api/webhooks/voice-application";
const dialResult = (attempt: number) => `${VOICE}/dial-result?attempt=${attempt}`;
const dialled = (xml: string) => /<Service[^>]*>(\+\d+)<\/Service>/.exec(xml)?.[1] ?? null;

function voice(t: TenantFixture, to: string, session = crypto.randomUUID().replace(/-/g, "")) {
  return { ApiVersion: "1", CallStatus: "in-progress", CallSid: session, Session: session, From: "14155550100", To: to, Direction: "inbound", Domain: t.domain, AccountSid: t.domain };
}

async function post(t: TenantFixture, url: string, body: Record<string, unknown>): Promise<string> {
  const res = await exports.default.fetch(url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${t.requestKey}` }, body: JSON.stringify(body) });
  if (res.status !== 200) throw new Error(`webhook ${url}: ${res.status} ${await res.text()}`);
  return res.text();
}

/** Two groups of the same tenant; every agent in one account with `cap` slots, plus one agent outside it. */
async function accountWorld(cap: number) {
  const t = await createTenantFixture("acct");
  const account = (await t.asAdmin("POST", "/api/provider-accounts", { name: "Vapi production", maxConcurrentCalls: cap })).body;
  const inAccount = await Promise.all([1, 2, 3, 4].map((i) => createAgent(t, { name: `vapi-${i}`, serviceValue: `+121255510${i}0`, providerAccountId: account.id })));
  const outside = await createAgent(t, { name: "outside", serviceValue: "+12125559990" });
  const g1 = (await t.asAdmin("POST", "/api/agent-groups", { name: "sales", maxAttempts: 3, members: [{ agentId: inAccount[0].id }, { agentId: inAccount[1].id }] })).body;
  const g2 = (await t.asAdmin("POST", "/api/agent-groups", { name: "support", maxAttempts: 3, members: [{ agentId: inAccount[2].id }, { agentId: inAccount[3].id }, { agentId: outside.id }] })).body;
  await t.asAdmin("POST", "/api/inbound-rules", { name: "sales", pattern: "+1800*", target: { type: "group", id: g1.id } });
  await t.asAdmin("POST", "/api/inbound-rules", { name: "support", pattern: "+1888*", target: { type: "group", id: g2.id } });
  return { t, account, inAccount, outside, g1, g2 };
}

describe("provider accounts", () => {
  it("refuses a cap of 0, hostile or duplicate names, and another tenant's account; read-only users cannot write", async ({ expect }) => {
    const t = await createTenantFixture("acct-in");
    const zero = await t.asAdmin("POST", "/api/provider-accounts", { name: "none", maxConcurrentCalls: 0 });
    expect(zero.status).toBe(400);
    expect(zero.body.error.code).toBe("VALIDATION_FAILED");
    expect(JSON.stringify(zero.body.error.details)).toContain("at least 1");
    expect((await t.asAdmin("POST", "/api/provider-accounts", { name: "x".repeat(201), maxConcurrentCalls: 5 })).status).toBe(400);
    expect((await t.asAdmin("POST", "/api/provider-accounts", { name: "a", maxConcurrentCalls: 2.5 })).status).toBe(400);
    expect((await t.asAdmin("POST", "/api/provider-accounts", { name: "a", maxConcurrentCalls: 5, extra: 1 })).status).toBe(400);
    const hostile = await t.asAdmin("POST", "/api/provider-accounts", { name: `<script>alert(1)</script>"><Dial>`, maxConcurrentCalls: 5 });
    expect(hostile.status).toBe(201);
    expect(hostile.body.name).toBe(`<script>alert(1)</script>"><Dial>`);
    expect((await t.asAdmin("POST", "/api/provider-accounts", { name: `<script>alert(1)</script>"><Dial>`, maxConcurrentCalls: 1 })).status).toBe(409);
    expect((await t.asViewer("POST", "/api/provider-accounts", { name: "v", maxConcurrentCalls: 1 })).status).toBe(403);
    expect((await t.asViewer("GET", `/api/provider-accounts/${hostile.body.id}`)).status).toBe(200);

    const other = await createTenantFixture("acct-other");
    expect((await other.asAdmin("GET", `/api/provider-accounts/${hostile.body.id}`)).status).toBe(404);
    expect((await other.asAdmin("GET", `/api/provider-accounts/${hostile.body.id}/status`)).status).toBe(404);
    expect((await other.asAdmin("PUT", `/api/provider-accounts/${hostile.body.id}`, { maxConcurrentCalls: 9 })).status).toBe(404);
    expect((await other.asAdmin("DELETE", `/api/provider-accounts/${hostile.body.id}`)).status).toBe(404);
    expect((await other.asAdmin("GET", "/api/provider-accounts")).body.items).toEqual([]);
    const stolen = await other.asAdmin("POST", "/api/voice-agents", { name: "thief", provider: "vapi", serviceValue: "+12125550101", providerAccountId: hostile.body.id });
    expect(stolen.status).toBe(404);

    const agent = await createAgent(t, { providerAccountId: hostile.body.id });
    expect(agent.providerAccountId).toBe(hostile.body.id);
    expect((await t.asAdmin("GET", `/api/provider-accounts/${hostile.body.id}`)).body.agentCount).toBe(1);
    const inUse = await t.asAdmin("DELETE", `/api/provider-accounts/${hostile.body.id}`);
    expect(inUse.status).toBe(409);
    expect(inUse.body.error.code).toBe("IN_USE");
    expect((await t.asAdmin("PUT", `/api/voice-agents/${agent.id}`, { providerAccountId: null })).body.providerAccountId).toBeNull();
    expect((await t.asAdmin("DELETE", `/api/provider-accounts/${hostile.body.id}`)).status).toBe(204);
  });

  it("counts every pick from any group against the account, never above its cap, and frees the slot when the call ends", async ({ expect }) => {
    const { t, account, inAccount, outside } = await accountWorld(2);
    const vapi = new Set(inAccount.map((a: { serviceValue: string }) => a.serviceValue));
    const a = voice(t, "+18005550001");
    const b = voice(t, "+18885550002");
    const first = dialled(await post(t, VOICE, a));
    const second = dialled(await post(t, VOICE, b));
    expect(vapi.has(first!) && vapi.has(second!)).toBe(true);
    // The account is full: sales (only account agents) has nobody; support goes to its agent outside the account.
    const c = voice(t, "+18005550003");
    expect(await post(t, VOICE, c)).toContain("<Hangup/>");
    const d = voice(t, "+18885550004");
    expect(dialled(await post(t, VOICE, d))).toBe(outside.serviceValue);
    const status = await t.asAdmin("GET", `/api/provider-accounts/${account.id}/status`);
    expect(status.body).toMatchObject({ maxConcurrentCalls: 2, active: 2 });

    // The first call ends: its slot is free for the next call, from either group.
    await post(t, dialResult(1), { ...a, DialCallStatus: "completed", DialCallDuration: "3" });
    await eventually(async () => (await t.asAdmin("GET", `/api/provider-accounts/${account.id}/status`)).body.active === 1, 5_000, "the slot freed");
    const e = voice(t, "+18005550005");
    expect(vapi.has(dialled(await post(t, VOICE, e))!)).toBe(true);
  });

  it("holds the cap exactly under concurrent calls from two groups", async ({ expect }) => {
    const { t, account, outside } = await accountWorld(3);
    const calls = Array.from({ length: 24 }, (_, i) => voice(t, i % 2 ? "+18005550100" : "+18885550100"));
    const answers = await Promise.all(calls.map((call) => post(t, VOICE, call)));
    const targets = answers.map(dialled);
    const toAccount = targets.filter((n) => n !== null && n !== outside.serviceValue);
    expect(toAccount).toHaveLength(3);
    expect((await t.asAdmin("GET", `/api/provider-accounts/${account.id}/status`)).body.active).toBe(3);
    // Raising the cap takes effect with the next call.
    await t.asAdmin("PUT", `/api/provider-accounts/${account.id}`, { maxConcurrentCalls: 4 });
    await eventually(
      async () => {
        const next = dialled(await post(t, VOICE, voice(t, "+18005550100")));
        return next !== null;
      },
      5_000,
      "a call taken under the raised cap",
    );
    expect((await t.asAdmin("GET", `/api/provider-accounts/${account.id}/status`)).body.active).toBe(4);
  });

  it("keeps the call's slot when it fails over to another agent of the same account, and frees it on failover out of the account", async ({ expect }) => {
    const { t, account, outside } = await accountWorld(1);
    const call = voice(t, "+18885550200");
    const first = dialled(await post(t, VOICE, call));
    expect(first).not.toBe(outside.serviceValue);
    // Busy: the next agent of support is the account's other agent, which the call's own slot still covers.
    const second = dialled(await post(t, dialResult(1), { ...call, DialCallStatus: "busy" }));
    expect(second).not.toBe(first);
    expect(second).not.toBe(outside.serviceValue);
    expect((await t.asAdmin("GET", `/api/provider-accounts/${account.id}/status`)).body.active).toBe(1);
    const third = dialled(await post(t, dialResult(2), { ...call, DialCallStatus: "no-answer" }));
    expect(third).toBe(outside.serviceValue);
    expect((await t.asAdmin("GET", `/api/provider-accounts/${account.id}/status`)).body.active).toBe(0);
  });

  it("frees a claim nobody releases once it expires: a call that never reports its end leaks nothing", async ({ expect }) => {
    const stub = env.PROVIDER_ACCOUNT.getByName(`test-${crypto.randomUUID()}`);
    expect(await stub.claim({ callKey: "lost", agentId: "agt_1", cap: 1, claimTtlMs: 150 })).toEqual({ granted: true, active: 1 });
    expect((await stub.claim({ callKey: "next", agentId: "agt_1", cap: 1 })).granted).toBe(false);
    // The same call claiming again keeps its slot, whatever the cap.
    expect((await stub.claim({ callKey: "lost", agentId: "agt_2", cap: 1, claimTtlMs: 150 })).granted).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await stub.claim({ callKey: "next", agentId: "agt_1", cap: 1 })).toEqual({ granted: true, active: 1 });
    expect(await stub.release("next")).toEqual({ released: true });
    expect(await stub.release("next")).toEqual({ released: false });
    expect((await stub.status()).active).toBe(0);
  });
});
