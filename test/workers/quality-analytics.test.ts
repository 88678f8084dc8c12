import { exports } from "cloudflare:workers";
import { and, eq, inArray } from "drizzle-orm";
import { describe, it } from "vitest";
import { agentGroupMembers, callRecords, voiceAgents } from "../../workers/db/schema";
import { eventually, withDb } from "./helpers/db";
import { call as api, login } from "./helpers/fixtures";
import { callbackInit, callbackUrl, createRoutingFixture, voiceBody, webhookInit, type RoutingFixture } from "./helpers/routing-fixture";

const VOICE = "https://router.test/api/webhooks/voice-application";

async function route(f: RoutingFixture): Promise<string> {
  const body = voiceBody(f);
  const res = await exports.default.fetch(VOICE, webhookInit(f, body));
  if (res.status !== 200) throw new Error(`not routed: ${res.status} ${await res.text()}`);
  return body.Session;
}

async function callback(f: RoutingFixture, kind: "cdr" | "session-update", body: unknown) {
  const res = await exports.default.fetch(callbackUrl(f, kind), callbackInit(body));
  if (res.status !== 200) throw new Error(`${kind} refused: ${res.status} ${await res.text()}`);
}

const cdr = (f: RoutingFixture, token: string, billsec: number, extra: Record<string, unknown>, qos: Record<string, unknown> | null) =>
  callback(f, "cdr", { domain: f.domain, disposition: "ANSWER", duration: billsec, billsec, session: { token, profile: { qos } }, ...extra });

/** The stored records of `tokens` once each has ended (and, where a CDR was sent, carries it). */
async function ended(f: RoutingFixture, tokens: string[], withCdr: number) {
  return eventually(
    async () => {
      const rows = await withDb((db) =>
        db
          .select()
          .from(callRecords)
          .where(and(eq(callRecords.tenantId, f.tenantId), inArray(callRecords.callId, tokens))),
      );
      const done = rows.filter((r) => ["completed", "failed", "timeout"].includes(r.status));
      return done.length === tokens.length && rows.filter((r) => r.disposition !== null).length === withCdr ? tokens.map((t) => rows.find((r) => r.callId === t)!) : null;
    },
    20_000,
    "the calls' records",
  );
}

const figures = (rows: { key: string | null; [field: string]: unknown }[], key: string | null) => rows.find((r) => r.key === key);

describe("GET /api/analytics/quality", () => {
  it("gives each agent, provider and group the exact averages, poor share and cost per minute the CDRs reported; another tenant's calls never count", async ({ expect }) => {
    const since = new Date(Date.now() - 60_000).toISOString();
    const f = await createRoutingFixture({ agentCount: 2 });
    // Round robin: calls 1 and 3 go to one agent, 2 and 4 to the other.
    const tokens = [await route(f), await route(f), await route(f), await route(f)];
    await cdr(f, tokens[0]!, 2, { rated_cost: 0.01, sell_cost: "0.02" }, { rx_mos: 4.2, tx_mos: 3.9, jitter: 10, loss: 0.5 });
    await cdr(f, tokens[1]!, 3, { rated_cost: "0.015", sell_cost: null }, { tx_mos: "2.9", jitter: "5", loss: null });
    await cdr(f, tokens[2]!, 4, { approx_cost: 0.03, sell_cost: 0.06 }, { mos: 3.1, jitter_ms: 30, packet_loss: 1.5 });
    // The fourth call ends without a CDR: counted as a call, without quality or cost.
    await callback(f, "session-update", { token: tokens[3], domain: f.domain, status: "noanswer" });

    // Another tenant's call in the same hours, with figures that would show if they counted.
    const other = await createRoutingFixture({ agentCount: 1 });
    const foreign = await route(other);
    await cdr(other, foreign, 5, { rated_cost: 99, sell_cost: 99 }, { rx_mos: 1.2, jitter: 400, loss: 40 });
    await ended(other, [foreign], 1);

    const rows = await ended(f, tokens, 3);
    const [p, q] = [rows[0]!.agentId!, rows[1]!.agentId!];
    expect(p).not.toBe(q);
    expect([rows[2]!.agentId, rows[3]!.agentId]).toEqual([p, q]);
    const provider = (agentId: string) => f.agents.find((a) => a.id === agentId)!.provider;
    expect(provider(p)).not.toBe(provider(q));

    const admin = await login(f.adminEmail, f.adminPassword);
    const until = new Date(Date.now() + 60_000).toISOString();
    const get = (by: string) => api(admin, "GET", `/api/analytics/quality?since=${since}&until=${until}&by=${by}`);

    // Agent p: MOS min(4.2, 3.9) = 3.9 and 3.1 → 3.5, one poor of two; rated 0.01 + 0.03 (approx) over 6 s; sell 0.08 over 6 s.
    const pFigures = {
      calls: 2,
      callsWithQuality: 2,
      mosCalls: 2,
      avgMos: 3.5,
      poorMosCalls: 1,
      poorMosShare: 0.5,
      avgJitterMs: 20,
      avgPacketLossPct: 1,
      billedSec: 6,
      ratedCost: 0.04,
      sellCost: 0.08,
      ratedCostPerMinute: 0.4,
      sellCostPerMinute: 0.8,
    };
    // Agent q: one call with MOS 2.9 (poor), jitter 5, no loss; rated 0.015 over 3 s; no sell cost; one call without a CDR.
    const qFigures = {
      calls: 2,
      callsWithQuality: 1,
      mosCalls: 1,
      avgMos: 2.9,
      poorMosCalls: 1,
      poorMosShare: 1,
      avgJitterMs: 5,
      avgPacketLossPct: null,
      billedSec: 3,
      ratedCost: 0.015,
      sellCost: 0,
      ratedCostPerMinute: 0.3,
      sellCostPerMinute: null,
    };
    const byAgent = await get("agent");
    expect(byAgent.status).toBe(200);
    expect(byAgent.body.rows).toHaveLength(2);
    expect(figures(byAgent.body.rows, p)).toEqual({ key: p, name: f.agents.find((a) => a.id === p)!.name, missing: null, ...pFigures });
    expect(figures(byAgent.body.rows, q)).toEqual({ key: q, name: f.agents.find((a) => a.id === q)!.name, missing: null, ...qFigures });
    // All four: MOS (3.9 + 2.9 + 3.1) / 3 = 3.3, 2 of 3 poor; rated 0.055 over 9 s; sell 0.08 over the 6 s of the calls that reported it.
    const all = {
      calls: 4,
      callsWithQuality: 3,
      mosCalls: 3,
      avgMos: 3.3,
      poorMosCalls: 2,
      poorMosShare: 0.6667,
      avgJitterMs: 15,
      avgPacketLossPct: 1,
      billedSec: 9,
      ratedCost: 0.055,
      sellCost: 0.08,
      ratedCostPerMinute: 0.366667,
      sellCostPerMinute: 0.8,
    };
    expect(byAgent.body.totals).toEqual(all);

    const byGroup = await get("group");
    expect(byGroup.body.rows).toEqual([{ key: f.groupId, name: "Group", missing: null, ...all }]);

    const byProvider = await get("provider");
    expect(byProvider.body.rows).toHaveLength(2);
    expect(figures(byProvider.body.rows, provider(p))).toMatchObject({ missing: null, ...pFigures });
    expect(figures(byProvider.body.rows, provider(q))).toMatchObject({ missing: null, ...qFigures });
    expect(figures(byProvider.body.rows, "retell")!.name).toBe("Retell AI");

    // Agent q deleted: its calls still count, labelled as a deleted agent (by provider: apart, provider unknown).
    await withDb(async (db) => {
      await db.delete(agentGroupMembers).where(eq(agentGroupMembers.agentId, q));
      await db.delete(voiceAgents).where(eq(voiceAgents.id, q));
    });
    const afterDelete = await get("provider");
    expect(afterDelete.body.rows).toHaveLength(2);
    expect(figures(afterDelete.body.rows, null)).toEqual({ key: null, name: null, missing: "deleted", ...qFigures });
    expect((await get("agent")).body.rows.find((r: { key: string }) => r.key === q)).toMatchObject({ name: null, missing: "deleted", calls: 2 });

    // The other tenant sees its own call only.
    const otherAdmin = await login(other.adminEmail, other.adminPassword);
    const theirs = await api(otherAdmin, "GET", `/api/analytics/quality?since=${since}&until=${until}&by=group`);
    expect(theirs.body.totals).toMatchObject({ calls: 1, avgMos: 1.2, ratedCost: 99, ratedCostPerMinute: 1188 });
  });

  it("refuses an unknown grouping and a range over 92 days, with the error envelope", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 0 });
    const admin = await login(f.adminEmail, f.adminPassword);
    const bad = await api(admin, "GET", "/api/analytics/quality?by=trunk");
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: "VALIDATION_FAILED", requestId: expect.any(String) });
    const long = await api(admin, "GET", "/api/analytics/quality?since=2026-01-01T00:00:00Z&until=2026-06-01T00:00:00Z");
    expect(long.status).toBe(400);
    expect(long.body.error.code).toBe("RANGE_TOO_LONG");
    const empty = await api(admin, "GET", "/api/analytics/quality");
    expect(empty.body).toMatchObject({ by: "agent", rows: [], totals: { calls: 0, avgMos: null, ratedCost: 0, ratedCostPerMinute: null } });
    expect(await api(null, "GET", "/api/analytics/quality")).toMatchObject({ status: 401 });
  });
});
