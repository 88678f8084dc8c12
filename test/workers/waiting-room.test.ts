import { env, exports } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, it } from "vitest";
import { callRecords } from "../../workers/db/schema";
import { eventually, withDb } from "./helpers/db";
import { createAgent, createTenantFixture, type TenantFixture } from "./helpers/fixtures";

/*
 * The waiting room through the Worker, the CallSessions, the group's balancer, the hub and
 * MariaDB: callers the full group cannot take hold in line and are served in arrival order as
 * slots free up (a caller who arrives later never jumps the line), a caller who hangs up leaves
 * it, one who waits too long goes on to the fallback; each wait is on the call's record.
 */

const VOICE = "https://router.test/api/webhooks/voice-application";

interface Caller {
  session: string;
  body: Record<string, unknown>;
}

function webhook(t: TenantFixture, url: string, body: unknown): Promise<Response> {
  return exports.default.fetch(url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${t.requestKey}` }, body: JSON.stringify(body) });
}

async function arrive(t: TenantFixture, from: string): Promise<Caller & { xml: string }> {
  const session = crypto.randomUUID().replace(/-/g, "");
  const body = { ApiVersion: "1", CallStatus: "in-progress", CallSid: session, Session: session, From: from, To: "+18005550100", Direction: "inbound", Domain: t.domain, AccountSid: t.domain };
  return { session, body, xml: await (await webhook(t, VOICE, body)).text() };
}

/** The caller comes back through the URL of the Redirect in its last answer. */
async function comeBack(t: TenantFixture, caller: Caller, lastXml: string): Promise<string> {
  const url = /<Redirect method="POST">([^<]+)<\/Redirect>/.exec(lastXml)?.[1]?.replaceAll("&amp;", "&");
  if (!url) throw new Error(`no Redirect in ${lastXml}`);
  return (await webhook(t, url, caller.body)).text();
}

const hangUp = (t: TenantFixture, caller: Caller) => webhook(t, "https://router.test/api/webhooks/session-update", { token: caller.session, status: "completed", domain: t.domain });
const snapshot = (t: TenantFixture, caller: Caller) => env.CALL_SESSION.getByName(`${t.tenantId}:${caller.session}`).snapshot();
const positionIn = (xml: string) => Number(/number (\d+) in line/.exec(xml)?.[1] ?? Number.NaN);

async function setup(label: string, room: Record<string, unknown>) {
  const t = await createTenantFixture(label);
  const agent = await createAgent(t, { maxConcurrentCalls: 1, serviceValue: "+12125557001" });
  const group = (await t.asAdmin("POST", "/api/agent-groups", { name: "desk", members: [{ agentId: agent.id }], overflow: { type: "wait", text: "All agents are busy. You are number {position} in line.", ...room } })).body;
  const rule = await t.asAdmin("POST", "/api/inbound-rules", { name: "main", pattern: "+1800*", target: { type: "group", id: group.id }, fallback: { type: "announcement", text: "Sorry, nobody is free; please call back." } });
  if (rule.status !== 201) throw new Error(JSON.stringify(rule.body));
  return { t, agent, group };
}

describe("waiting room", () => {
  it("serves waiting callers first come first served as the slot frees, and a caller who hangs up leaves the line", async ({ expect }) => {
    const { t, group } = await setup("wait-fcfs", { retrySec: 3, maxWaitSec: 600 });
    expect(group.overflow).toEqual({ type: "wait", text: "All agents are busy. You are number {position} in line.", retrySec: 3, maxWaitSec: 600 });
    const first = await arrive(t, "+14155550001");
    expect(first.xml).toContain("<Service");
    const [b, c, d] = [await arrive(t, "+14155550002"), await arrive(t, "+14155550003"), await arrive(t, "+14155550004")];
    expect([b, c, d].map((x) => positionIn(x.xml))).toEqual([1, 2, 3]);
    expect(b.xml).toMatch(/<Say>All agents are busy\. You are number 1 in line\.<\/Say><Pause length="3"\/><Redirect method="POST">https:\/\/router\.test\/api\/webhooks\/voice-application\/wait\?poll=1<\/Redirect><\/Response>$/);

    // The live dashboard shows who waits, in order.
    const live = await env.TENANT_HUB.getByName(t.tenantId).liveCalls();
    const waiting = live.calls.filter((call) => call.waiting).map((call) => [call.from, call.waiting?.position]);
    expect(waiting.sort()).toEqual([
      ["+14155550002", 1],
      ["+14155550003", 2],
      ["+14155550004", 3],
    ]);

    // Nothing free yet: a try keeps the place, without the message again.
    let bXml = await comeBack(t, b, b.xml);
    expect(bXml).not.toContain("<Say>");
    expect(bXml).toContain("wait?poll=2");

    // The first call ends; its slot is owed to b. A newcomer and the callers behind b cannot take it.
    await hangUp(t, first);
    const late = await arrive(t, "+14155550005");
    expect(positionIn(late.xml)).toBe(4);
    const dXml = await comeBack(t, d, d.xml);
    const cXml = await comeBack(t, c, c.xml);
    expect(dXml).not.toContain("<Service");
    expect(cXml).not.toContain("<Service");
    bXml = await comeBack(t, b, bXml);
    expect(bXml).toContain("<Service");
    // Cloudonix may repeat a request: the same try gets the same answer and changes nothing.
    const bUrl = "https://router.test/api/webhooks/voice-application/wait?poll=2";
    expect(await (await webhook(t, bUrl, b.body)).text()).toBe(bXml);

    // c hangs up while waiting: it leaves the line, and d moves up to first.
    await hangUp(t, c);
    expect(await snapshot(t, c)).toMatchObject({ state: "completed", record: { wait: { position: 2, outcome: "abandoned" } } });
    await hangUp(t, b);
    const dNext = await comeBack(t, d, dXml);
    expect(dNext).toContain("<Service");
    const lateXml = await comeBack(t, late, late.xml);
    expect(lateXml).not.toContain("<Service");

    const bSnap = await snapshot(t, b);
    expect(bSnap?.record.wait).toMatchObject({ groupId: group.id, position: 1, lastPosition: 1, polls: 2, outcome: "connected" });
    expect(bSnap?.record.attempts).toHaveLength(1);
    // The records reach MySQL with the wait; the API and exports read them from there.
    const stored = await eventually(
      () =>
        withDb(async (db) => {
          const rows = await db
            .select()
            .from(callRecords)
            .where(and(eq(callRecords.tenantId, t.tenantId), eq(callRecords.callId, c.session)));
          return rows[0]?.waitOutcome === "abandoned" ? rows[0] : null;
        }),
      10_000,
      "c's record",
    );
    expect(stored).toMatchObject({ waitPosition: 2, waitOutcome: "abandoned", status: "completed" });
    expect(stored.waitSec).toBeGreaterThanOrEqual(0);
    const listed = await t.asViewer("GET", `/api/call-records?caller=${encodeURIComponent("+14155550003")}`);
    expect(listed.body.items[0].wait).toEqual({ position: 2, waitSec: stored.waitSec, outcome: "abandoned" });
  });

  it("sends a caller who waited the longest allowed on to the rule's fallback, out of line", async ({ expect }) => {
    const { t } = await setup("wait-max", { retrySec: 3, maxWaitSec: 10, playUrl: "https://cdn.example/hold.mp3" });
    const first = await arrive(t, "+14155550011");
    expect(first.xml).toContain("<Service");
    const b = await arrive(t, "+14155550012");
    expect(b.xml).toContain("<Play>https://cdn.example/hold.mp3</Play><Redirect");
    await new Promise((resolve) => setTimeout(resolve, 10_050));
    const after = await comeBack(t, b, b.xml);
    expect(after).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Say>Sorry, nobody is free; please call back.</Say><Hangup/></Response>');
    expect(await snapshot(t, b)).toMatchObject({ record: { wait: { outcome: "timeout", polls: 1 } } });
    // Out of line: the next caller is first.
    const c = await arrive(t, "+14155550013");
    expect(positionIn(c.xml)).toBe(1);
  }, 30_000);

  it("keeps the line fair when a provider account is what is full, and Explain predicts the wait from the account", async ({ expect }) => {
    const t = await createTenantFixture("wait-acct");
    const account = (await t.asAdmin("POST", "/api/provider-accounts", { name: "Vapi", maxConcurrentCalls: 1 })).body;
    const agent = await createAgent(t, { serviceValue: "+12125557101", providerAccountId: account.id });
    const group = (await t.asAdmin("POST", "/api/agent-groups", { name: "acct", members: [{ agentId: agent.id }], overflow: { type: "wait", text: "You are number {position} in line.", retrySec: 3, maxWaitSec: 600 } })).body;
    await t.asAdmin("POST", "/api/inbound-rules", { name: "main", pattern: "+1800*", target: { type: "group", id: group.id } });
    const explain = async () => (await t.asAdmin("POST", "/api/routing/explain", { from: "+14155550199", to: "+18005550100" })).body;

    const first = await arrive(t, "+14155550031");
    expect(first.xml).toContain("+12125557101");
    const predicted = await explain();
    expect(predicted.decision).toMatchObject({ action: "wait", wait: { position: 1, maxWaitSec: 600 } });
    expect(predicted.decision.cxml).toContain("<Say>You are number 1 in line.</Say>");
    expect(predicted.trace.stages[0]).toMatchObject({ chosen: null, skipped: [{ agentId: agent.id, reason: "account_full" }], line: { ahead: 0, position: 1 } });
    expect(predicted.chain.waits).toMatchObject([{ position: 1, beforeAttempt: 1, maxWaitSec: 600, retrySec: 3 }]);

    const b = await arrive(t, "+14155550032");
    expect(positionIn(b.xml)).toBe(1);
    expect((await explain()).trace.stages[0].line).toEqual({ ahead: 1, position: 2 });
    // The account's slot frees: the newcomer may not take it from b, who gets it on its next try.
    await hangUp(t, first);
    const c = await arrive(t, "+14155550033");
    expect(positionIn(c.xml)).toBe(2);
    expect(await comeBack(t, b, b.xml)).toContain("+12125557101");
    expect(await comeBack(t, c, c.xml)).not.toContain("+12125557101");
  });

  it("answers a try it did not ask for with a clean hang-up, and a malformed one with a 400", async ({ expect }) => {
    const { t } = await setup("wait-bad", { retrySec: 3, maxWaitSec: 60 });
    const first = await arrive(t, "+14155550021");
    const b = await arrive(t, "+14155550022");
    expect(positionIn(b.xml)).toBe(1);
    // A try numbered out of turn is refused (and noted); the call keeps its place.
    const forged = await (await webhook(t, `${VOICE}/wait?poll=7`, b.body)).text();
    expect(forged).toContain("<Hangup/>");
    expect((await snapshot(t, b))?.trace.refused.at(-1)).toContain("wait try 7 ignored (expected try 1");
    const bad = await webhook(t, `${VOICE}/wait?poll=zero`, b.body);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("<Hangup/>");
    // A try for a call that is not waiting (the first one, talking) does not disturb it.
    expect(await (await webhook(t, `${VOICE}/wait?poll=1`, first.body)).text()).toContain("<Hangup/>");
    expect((await snapshot(t, first))?.state).not.toBe("completed");
    // The refused tries left b in line, first, on its own next try.
    const next = await comeBack(t, b, b.xml);
    expect(next).not.toContain("<Service");
    expect(next).toContain("wait?poll=2");
    expect((await snapshot(t, b))?.record.wait).toMatchObject({ position: 1, lastPosition: 1, polls: 1, outcome: "waiting" });
  });
});
