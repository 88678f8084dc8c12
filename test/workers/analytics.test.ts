import { sql } from "drizzle-orm";
import { describe, it } from "vitest";
import type { CallSpec } from "./helpers/call-messages";
import { withDb } from "./helpers/db";
import { createRecordsFixture, seeded, storeCalls, type RecordsFixture } from "./helpers/records-fixture";

// Three days around New York's spring-forward (2026-03-08), so a local day of 23 hours is inside.
const START = Date.parse("2026-03-06T22:00:00Z");
const SPAN = 3 * 86_400_000;

function specs(f: RecordsFixture, n: number, seed: number): CallSpec[] {
  const random = seeded(seed);
  const statuses = ["completed", "completed", "completed", "completed", "failed", "timeout", "ringing", "connected"];
  return Array.from({ length: n }, () => {
    const status = statuses[Math.floor(random() * statuses.length)]!;
    const live = status === "ringing" || status === "connected";
    const answered = status === "connected" || (status === "completed" && random() < 0.85);
    const group = Math.floor(random() * 2);
    const members = f.agents.filter((_, i) => i % 2 === group);
    const tries = 1 + Math.floor(random() * 3);
    const attempts = Array.from({ length: tries }, (_, i) => ({
      targetId: members[(Math.floor(random() * 10) + i) % members.length]!,
      groupId: f.groups[group]!,
      outcome: i < tries - 1 ? ("failed" as const) : answered ? ("answered" as const) : status === "failed" ? ("failed" as const) : undefined,
    }));
    return {
      startedAt: START + Math.floor(random() * SPAN),
      status,
      direction: random() < 0.75 ? "inbound" : "outbound",
      groupId: f.groups[group]!,
      agentId: attempts.at(-1)!.targetId,
      attempts,
      answeredAfterSec: answered ? 4 : null,
      durationSec: live ? null : answered ? Math.floor(random() * random() * 1_500) : 0,
    } satisfies CallSpec;
  });
}

interface RawQuery {
  since: number;
  until: number;
  direction?: string;
  groupId?: string;
  agentId?: string;
}

/** What a scan of call_records says, straight from SQL. */
async function raw(tenantId: string, q: RawQuery) {
  const where = sql.join(
    [
      sql`tenant_id = ${tenantId}`,
      sql`started_at >= ${new Date(q.since)}`,
      sql`started_at < ${new Date(q.until)}`,
      q.direction ? sql`direction = ${q.direction}` : undefined,
      q.groupId ? sql`group_id = ${q.groupId}` : undefined,
      q.agentId ? sql`agent_id = ${q.agentId}` : undefined,
    ].filter(Boolean) as ReturnType<typeof sql>[],
    sql` AND `,
  );
  return withDb(async (db) => {
    const [[totals]] = (await db.execute(sql`
      SELECT COUNT(*) AS calls, SUM(answered_at IS NOT NULL) AS answered, SUM(status = 'failed') AS failed,
             SUM(status = 'timeout') AS timedOut, SUM(status = 'completed' AND answered_at IS NULL) AS abandoned,
             AVG(CASE WHEN answered_at IS NOT NULL THEN duration_sec END) AS avg
      FROM call_records WHERE ${where} AND status IN ('completed', 'failed', 'timeout')`)) as unknown as [Record<string, string | number | null>[]];
    const [durations] = (await db.execute(sql`SELECT duration_sec AS d FROM call_records WHERE ${where} AND status IN ('completed', 'failed', 'timeout') AND answered_at IS NOT NULL AND duration_sec IS NOT NULL ORDER BY duration_sec`)) as unknown as [
      { d: number }[],
    ];
    const [[live]] = (await db.execute(sql`SELECT COUNT(*) AS n FROM call_records WHERE ${where} AND status NOT IN ('completed', 'failed', 'timeout')`)) as unknown as [{ n: number }[]];
    const d = durations.map((r) => Number(r.d));
    const median = d.length === 0 ? null : d.length % 2 ? d[(d.length - 1) / 2]! : (d[d.length / 2 - 1]! + d[d.length / 2]!) / 2;
    const n = (v: unknown) => Number(v ?? 0);
    return {
      calls: n(totals!.calls),
      answered: n(totals!.answered),
      failed: n(totals!.failed),
      timedOut: n(totals!.timedOut),
      abandoned: n(totals!.abandoned),
      avgDurationSec: totals!.avg === null ? null : Math.round(Number(totals!.avg) * 100) / 100,
      medianDurationSec: median,
      inProgress: n(live!.n),
    };
  });
}

async function summary(f: RecordsFixture, params: Record<string, string>) {
  const res = await f.asViewer("GET", `/api/analytics/summary?${new URLSearchParams(params)}`);
  if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const pick = (totals: Record<string, unknown>) => {
  const { successRate: _s, ...rest } = totals;
  return rest;
};

describe("GET /api/analytics/summary", () => {
  it("equals a raw scan of the records for aligned and ragged ranges, with and without filters", async ({ expect }) => {
    const f = await createRecordsFixture({ timezone: "America/New_York" });
    await storeCalls(f.tenantId, specs(f, 700, 7));
    const ranges: [number, number][] = [
      [START, START + SPAN],
      [START + 3_723_456, START + SPAN - 5_432_100], // ragged both ends
      [START + 600_000, START + 1_300_000], // inside one 15-minute slot
      [Date.parse("2026-03-08T05:00:00Z"), Date.parse("2026-03-09T04:00:00Z")], // the 23-hour local day
    ];
    const filters: Omit<RawQuery, "since" | "until">[] = [{}, { direction: "inbound" }, { groupId: f.groups[1]! }, { agentId: f.agents[2]! }];
    for (const [since, until] of ranges) {
      for (const filter of filters) {
        const body = await summary(f, { since: new Date(since).toISOString(), until: new Date(until).toISOString(), ...(filter as Record<string, string>) });
        expect(pick(body.totals), JSON.stringify({ since, until, filter })).toEqual(await raw(f.tenantId, { since, until, ...filter }));
      }
    }
  });

  it("buckets the series by local day and hour, each bucket equal to a raw scan of it", async ({ expect }) => {
    const f = await createRecordsFixture({ timezone: "America/New_York" });
    await storeCalls(f.tenantId, specs(f, 300, 11));
    const since = Date.parse("2026-03-07T05:00:00Z");
    const until = Date.parse("2026-03-09T04:00:00Z");
    const days = await summary(f, { since: new Date(since).toISOString(), until: new Date(until).toISOString(), interval: "day" });
    expect(days.range).toEqual({ since: new Date(since).toISOString(), until: new Date(until).toISOString(), timezone: "America/New_York", interval: "day" });
    expect(days.series.map((b: { start: string; end: string }) => [b.start, b.end])).toEqual([
      ["2026-03-07T00:00:00-05:00", "2026-03-08T00:00:00-05:00"],
      ["2026-03-08T00:00:00-05:00", "2026-03-09T00:00:00-04:00"],
    ]);
    for (const bucket of days.series) {
      const expected = await raw(f.tenantId, { since: Math.max(since, Date.parse(bucket.start)), until: Math.min(until, Date.parse(bucket.end)) });
      expect([bucket.calls, bucket.answered, bucket.failed, bucket.avgDurationSec]).toEqual([expected.calls, expected.answered, expected.failed, expected.avgDurationSec]);
    }
    const hours = await summary(f, { since: "2026-03-08T04:00:00Z", until: "2026-03-08T09:00:00Z", interval: "hour", timezone: "America/New_York" });
    expect(hours.series.map((b: { start: string }) => b.start)).toEqual(["2026-03-07T23:00:00-05:00", "2026-03-08T00:00:00-05:00", "2026-03-08T01:00:00-05:00", "2026-03-08T03:00:00-04:00", "2026-03-08T04:00:00-04:00"]);
    const total = hours.series.reduce((n: number, b: { calls: number }) => n + b.calls, 0);
    expect(total).toBe(hours.totals.calls);
  });

  it("breaks down by agent and by group, with each group's share against its strategy's target", async ({ expect }) => {
    const f = await createRecordsFixture();
    const stored = await storeCalls(f.tenantId, specs(f, 200, 5));
    const body = await summary(f, { since: new Date(START).toISOString(), until: new Date(START + SPAN).toISOString() });
    const ended = stored.filter((s) => ["completed", "failed", "timeout"].includes(s.spec.status!));
    for (const agent of body.agents) {
      const mine = ended.filter((s) => s.spec.agentId === agent.agentId);
      const dials = ended.flatMap((s) => s.spec.attempts ?? []).filter((a) => a.targetId === agent.agentId);
      expect([agent.calls, agent.answered, agent.attempts, agent.attemptsFailed]).toEqual([mine.length, mine.filter((s) => s.spec.answeredAfterSec !== null).length, dials.length, dials.filter((a) => a.outcome === "failed").length]);
      expect(agent.name).toMatch(/^Agent \d$/);
    }
    const [a, b] = f.groups;
    const roundRobin = body.groups.find((g: { groupId: string }) => g.groupId === a);
    const priority = body.groups.find((g: { groupId: string }) => g.groupId === b);
    expect(roundRobin).toMatchObject({ name: "A group", strategy: "round_robin", distribution: { basis: "attempts" } });
    expect(priority).toMatchObject({ name: "B group", strategy: "priority", distribution: { basis: "firstAttempts" } });
    // Group A: agents 1 and 3 (weights 2 and 1); group B: agents 2 (priority 0) and 4 (priority 1).
    expect(roundRobin.distribution.agents.map((x: { agentId: string; targetShare: number }) => [x.agentId, x.targetShare])).toEqual([
      [f.agents[0], 0.6667],
      [f.agents[2], 0.3333],
    ]);
    expect(priority.distribution.agents.map((x: { agentId: string; targetShare: number }) => [x.agentId, x.targetShare])).toEqual([
      [f.agents[1], 1],
      [f.agents[3], 0],
    ]);
    const groupDials = ended.flatMap((s) => s.spec.attempts ?? []).filter((x) => x.groupId === a);
    expect(roundRobin.distribution.total).toBe(groupDials.length);
    const shares = roundRobin.distribution.agents.map((x: { count: number; share: number }) => [x.count, x.share]);
    expect(shares).toEqual(
      [f.agents[0], f.agents[2]].map((id) => {
        const count = groupDials.filter((x) => x.targetId === id).length;
        return [count, Math.round((count / groupDials.length) * 10_000) / 10_000];
      }),
    );
  });

  it("shows nothing of another tenant and checks its parameters", async ({ expect }) => {
    const a = await createRecordsFixture();
    const b = await createRecordsFixture();
    await storeCalls(a.tenantId, specs(a, 20, 3));
    const other = await summary(b, { since: new Date(START).toISOString(), until: new Date(START + SPAN).toISOString() });
    expect(other.totals).toMatchObject({ calls: 0, answered: 0, inProgress: 0, medianDurationSec: null, avgDurationSec: null, successRate: null });
    expect(other.agents).toEqual([]);
    const zone = await b.asViewer("GET", "/api/analytics/summary?timezone=Mars/Olympus");
    expect([zone.status, zone.body.error.code]).toEqual([400, "VALIDATION_FAILED"]);
    const tooMany = await b.asViewer("GET", `/api/analytics/summary?interval=hour&since=2026-01-01T00:00:00Z&until=2026-03-01T00:00:00Z`);
    expect([tooMany.status, tooMany.body.error.code]).toEqual([400, "TOO_MANY_BUCKETS"]);
  });
});
