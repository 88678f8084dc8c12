import { env, exports } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, it } from "vitest";
import { callEvents, callRecords, inboundRoutingRules, webhookEvents } from "../../workers/db/schema";
import { markTenantChanged } from "./helpers/config";
import { eventually, withDb } from "./helpers/db";
import { createRoutingFixture, voiceBody, webhookInit, type RoutingFixture } from "./helpers/routing-fixture";

const VOICE = "https://router.test/api/webhooks/voice-application";
const dialResult = (attempt: number) => `${VOICE}/dial-result?attempt=${attempt}`;
const dialledNumber = (xml: string) => /<(?:Service[^>]*|Number)>(\+?\d+)<\//.exec(xml)?.[1];

async function post(fixture: RoutingFixture, url: string, body: Record<string, unknown>) {
  const res = await exports.default.fetch(url, webhookInit(fixture, body));
  return { status: res.status, xml: await res.text() };
}

function recordOf(fixture: RoutingFixture, callId: string) {
  return withDb(async (db) => {
    const [row] = await db
      .select()
      .from(callRecords)
      .where(and(eq(callRecords.tenantId, fixture.tenantId), eq(callRecords.callId, callId)));
    return row;
  });
}

describe("failover through the Dial action", () => {
  it("dials the next agent on busy/no-answer, then hangs up after the group's max attempts, and records it all", async ({ expect }) => {
    const fixture = await createRoutingFixture({ agentCount: 4, maxAttempts: 3 });
    const body = voiceBody(fixture);
    const first = await post(fixture, VOICE, body);
    const second = await post(fixture, dialResult(1), { ...body, DialCallStatus: "busy" });
    const third = await post(fixture, dialResult(2), { ...body, DialCallStatus: "no-answer" });
    const end = await post(fixture, dialResult(3), { ...body, CallStatus: "failed" });

    expect([first, second, third].map((r) => dialledNumber(r.xml))).toEqual(fixture.agents.slice(0, 3).map((a) => a.serviceValue));
    expect(second.xml).toContain("dial-result?attempt=2");
    expect(third.xml).toContain("dial-result?attempt=3");
    expect(end).toEqual({ status: 200, xml: '<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>' });

    const record = await eventually(
      async () => {
        const row = await recordOf(fixture, body.Session);
        return row?.status === "failed" ? row : null;
      },
      15_000,
      "the failed call record",
    );
    expect(record.attemptCount).toBe(3);
    expect(record.endReason).toBe("all_attempts_failed");
    expect((record.attempts as { outcome: string; dialStatus: string }[]).map((a) => [a.outcome, a.dialStatus])).toEqual([
      ["failed", "busy"],
      ["failed", "no-answer"],
      ["failed", "failed"],
    ]);
    const events = await withDb((db) =>
      db
        .select()
        .from(callEvents)
        .where(and(eq(callEvents.tenantId, fixture.tenantId), eq(callEvents.callId, body.Session))),
    );
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.map((e) => e.type)).toContain("call.attempt_failed");
  });

  it("ends the call when the agent answers, and a repeated dial result changes nothing", async ({ expect }) => {
    const fixture = await createRoutingFixture({ agentCount: 2 });
    const body = voiceBody(fixture);
    await post(fixture, VOICE, body);
    const done = await post(fixture, dialResult(1), { ...body, DialCallStatus: "completed" });
    const repeat = await post(fixture, dialResult(1), { ...body, DialCallStatus: "completed" });
    expect(done.xml).toContain("<Hangup/>");
    expect(repeat).toEqual(done);
    const record = await eventually(
      async () => {
        const row = await recordOf(fixture, body.Session);
        return row?.status === "completed" ? row : null;
      },
      15_000,
      "the completed call record",
    );
    expect(record.agentId).toBe(fixture.agents[0]!.id);
    expect(record.attemptCount).toBe(1);
    expect(record.answeredAt).not.toBeNull();
    expect(record.decision).toMatchObject({ direction: "inbound", rule: { id: fixture.ruleId } });
  });

  it("fails over on a non-final status, since the Dial action fires only once the leg has ended", async ({ expect }) => {
    const fixture = await createRoutingFixture({ agentCount: 3, maxAttempts: 3 });
    const body = voiceBody(fixture);
    await post(fixture, VOICE, body);
    const second = await post(fixture, dialResult(1), { ...body, DialCallStatus: "in-progress" });
    const third = await post(fixture, dialResult(2), { ...body, CallStatus: "ringing" });
    expect([second, third].map((r) => dialledNumber(r.xml))).toEqual([fixture.agents[1]!.serviceValue, fixture.agents[2]!.serviceValue]);
    expect(third.xml).toContain("dial-result?attempt=3");
    const stats = await env.GROUP_BALANCER.getByName(fixture.groupId).stats();
    expect(fixture.agents.map((a) => stats.find((s) => s.agentId === a.id)?.failures ?? 0)).toEqual([1, 1, 0]);
  });

  it("falls back to the rule's fallback agent when the group is exhausted", async ({ expect }) => {
    const fixture = await createRoutingFixture({ agentCount: 2, maxAttempts: 1 });
    // Point the rule's fallback at the second agent; the group stage allows one attempt only.
    await withDb((db) =>
      db
        .update(inboundRoutingRules)
        .set({ fallback: { type: "agent", id: fixture.agents[1]!.id } })
        .where(eq(inboundRoutingRules.id, fixture.ruleId)),
    );
    await markTenantChanged(fixture.tenantId);
    const body = voiceBody(fixture);
    const first = await post(fixture, VOICE, body);
    const fallback = await post(fixture, dialResult(1), { ...body, DialCallStatus: "busy" });
    expect(dialledNumber(first.xml)).toBe(fixture.agents[0]!.serviceValue);
    expect(dialledNumber(fallback.xml)).toBe(fixture.agents[1]!.serviceValue);
  });

  it("records every delivery in webhook_events", async ({ expect }) => {
    const fixture = await createRoutingFixture();
    const body = voiceBody(fixture);
    await post(fixture, VOICE, body);
    await post(fixture, VOICE, body);
    const rows = await eventually(
      async () => {
        const found = await withDb((db) => db.select().from(webhookEvents).where(eq(webhookEvents.callId, body.Session)));
        return found.length >= 2 ? found : null;
      },
      15_000,
      "two webhook deliveries",
    );
    expect(rows.map((r) => r.outcome).sort()).toEqual(["duplicate", "routed:ringing"]);
    expect(rows.every((r) => r.tenantId === fixture.tenantId && r.statusCode === 200)).toBe(true);
  });
});
