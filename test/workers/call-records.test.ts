import { describe, it } from "vitest";
import type { CallSpec } from "./helpers/call-messages";
import { createRecordsFixture, seeded, storeCalls, type RecordsFixture, type StoredCall } from "./helpers/records-fixture";
import { callEvents } from "../../workers/db/schema";
import { withDb } from "./helpers/db";
import { call } from "./helpers/fixtures";

const T0 = Date.UTC(2026, 3, 1, 0, 0, 0);
const STATUSES = ["completed", "completed", "completed", "failed", "timeout", "connected"];

/** 150 calls over two days, with deliberate ties in startedAt and durations (nulls for live calls). */
function specs(f: RecordsFixture): CallSpec[] {
  const random = seeded(42);
  return Array.from({ length: 150 }, (_, i) => {
    const status = STATUSES[Math.floor(random() * STATUSES.length)]!;
    const answered = status === "connected" || (status === "completed" && random() < 0.8);
    const agent = Math.floor(random() * f.agents.length);
    return {
      startedAt: T0 + Math.floor(i / 3) * 45 * 60_000, // three calls share each start time
      status,
      direction: random() < 0.8 ? "inbound" : "outbound",
      from: `${random() < 0.5 ? "+" : ""}1415555${String(Math.floor(random() * 40)).padStart(4, "0")}`,
      to: `1800${String(Math.floor(random() * 100)).padStart(3, "0")}9999`,
      agentId: f.agents[agent]!,
      groupId: f.groups[agent % 2]!,
      ruleId: i % 5 === 0 ? f.ruleId : null,
      answeredAfterSec: answered ? 2 : null,
      durationSec: status === "connected" ? null : answered ? Math.floor(random() * 6) * 30 : 0,
    } satisfies CallSpec;
  });
}

interface Case {
  name: string;
  query: Record<string, string>;
  keep: (c: StoredCall) => boolean;
}

const digits = (n: string) => n.replace(/^\+/, "");

function cases(f: RecordsFixture): Case[] {
  return [
    { name: "no filter", query: {}, keep: () => true },
    { name: "time range", query: { since: new Date(T0 + 6 * 3_600_000).toISOString(), until: new Date(T0 + 20 * 3_600_000).toISOString() }, keep: (c) => c.spec.startedAt >= T0 + 6 * 3_600_000 && c.spec.startedAt < T0 + 20 * 3_600_000 },
    { name: "statuses", query: { status: "failed,timeout" }, keep: (c) => ["failed", "timeout"].includes(c.spec.status!) },
    { name: "direction and agent", query: { direction: "inbound", agentId: f.agents[1]! }, keep: (c) => c.spec.direction === "inbound" && c.spec.agentId === f.agents[1] },
    { name: "group", query: { groupId: f.groups[0]! }, keep: (c) => c.spec.groupId === f.groups[0] },
    { name: "rule", query: { ruleId: f.ruleId }, keep: (c) => c.spec.ruleId === f.ruleId },
    { name: "caller prefix with +", query: { caller: "+14155550001" }, keep: (c) => digits(c.spec.from!).startsWith("14155550001") },
    { name: "caller prefix without +", query: { caller: "1415555001" }, keep: (c) => digits(c.spec.from!).startsWith("1415555001") },
    { name: "callee contains, within a period", query: { callee: "0429", calleeMatch: "contains", since: new Date(T0).toISOString(), until: new Date(T0 + 3 * 86_400_000).toISOString() }, keep: (c) => c.spec.to!.includes("0429") },
    { name: "caller ends with", query: { caller: "0017", callerMatch: "suffix" }, keep: (c) => c.spec.from!.endsWith("0017") },
    { name: "callee ends with", query: { callee: "29999", calleeMatch: "suffix" }, keep: (c) => c.spec.to!.endsWith("29999") },
    { name: "callee exact", query: { callee: "18000429999", calleeMatch: "exact" }, keep: (c) => c.spec.to === "18000429999" },
    { name: "answered", query: { answered: "false", status: "completed" }, keep: (c) => c.spec.status === "completed" && c.spec.answeredAfterSec === null },
  ];
}

const byStart = (order: "asc" | "desc") => (a: StoredCall, b: StoredCall) => {
  const d = a.spec.startedAt - b.spec.startedAt || (a.recordId < b.recordId ? -1 : 1);
  return order === "asc" ? d : -d;
};
/** MySQL: NULL first ascending, last descending; ties by id in the same direction. */
const byDuration = (order: "asc" | "desc") => (a: StoredCall, b: StoredCall) => {
  const x = a.spec.durationSec ?? -Infinity;
  const y = b.spec.durationSec ?? -Infinity;
  const d = x === y ? (a.recordId < b.recordId ? -1 : 1) : x < y ? -1 : 1;
  return order === "asc" ? d : -d;
};

async function allPages(f: RecordsFixture, query: Record<string, string>, limit: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  for (; pages < 200; pages++) {
    const params: URLSearchParams = new URLSearchParams({ ...query, limit: String(limit), ...(cursor ? { cursor } : {}) });
    const res: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } = await f.asViewer("GET", `/api/call-records?${params}`);
    if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
    ids.push(...res.body.items.map((r: { id: string }) => r.id));
    cursor = res.body.nextCursor;
    if (!cursor) return { ids, pages: pages + 1 };
  }
  throw new Error("too many pages");
}

describe("GET /api/call-records", () => {
  it("pages through every filter with no duplicate and no gap, in every sort", async ({ expect }) => {
    const f = await createRecordsFixture();
    const stored = await storeCalls(f.tenantId, specs(f));
    for (const c of cases(f)) {
      const expected = stored.filter(c.keep);
      for (const [sort, order, compare] of [
        ["startedAt", "desc", byStart("desc")],
        ["startedAt", "asc", byStart("asc")],
        ["durationSec", "asc", byDuration("asc")],
        ["durationSec", "desc", byDuration("desc")],
      ] as const) {
        const { ids } = await allPages(f, { ...c.query, sort, order }, 11);
        expect(ids, `${c.name}, ${sort} ${order}`).toEqual([...expected].sort(compare).map((s) => s.recordId));
      }
    }
  });

  it("returns the list shape and a last page without a cursor", async ({ expect }) => {
    const f = await createRecordsFixture();
    const [call] = await storeCalls(f.tenantId, [{ startedAt: T0, status: "completed", answeredAfterSec: 3, durationSec: 61, from: "+14155550100", agentId: f.agents[0]!, groupId: f.groups[0]!, ruleId: f.ruleId }]);
    const res = await f.asViewer("GET", "/api/call-records?limit=5");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      nextCursor: null,
      items: [
        {
          id: call!.recordId,
          callId: call!.callId,
          direction: "inbound",
          from: "+14155550100",
          to: "18005550199",
          callerName: null,
          status: "completed",
          disposition: null,
          endReason: "completed",
          ruleId: f.ruleId,
          groupId: f.groups[0],
          agentId: f.agents[0],
          trunkId: null,
          attemptCount: 0,
          startedAt: new Date(T0).toISOString(),
          answeredAt: new Date(T0 + 3000).toISOString(),
          endedAt: new Date(T0 + 64_000).toISOString(),
          durationSec: 61,
          billableSec: null,
          wait: null,
        },
      ],
    });
  });

  it("refuses a cursor reused with other filters, bad filters, and anonymous callers", async ({ expect }) => {
    const f = await createRecordsFixture();
    await storeCalls(
      f.tenantId,
      [0, 1, 2].map((i) => ({ startedAt: T0 + i })),
    );
    const first = await f.asViewer("GET", "/api/call-records?limit=1");
    const reused = await f.asViewer("GET", `/api/call-records?limit=1&status=failed&cursor=${first.body.nextCursor}`);
    expect(reused.status).toBe(400);
    expect(reused.body.error.code).toBe("INVALID_CURSOR");
    const bad = await f.asViewer("GET", "/api/call-records?status=lost&since=yesterday&limit=0");
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("VALIDATION_FAILED");
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(["limit", "since", "status"]);
    const backwards = await f.asViewer("GET", `/api/call-records?since=${new Date(T0).toISOString()}&until=${new Date(T0 - 1).toISOString()}`);
    expect(backwards.status).toBe(400);
    const anonymous = await call(null, "GET", "/api/call-records");
    expect(anonymous.status).toBe(401);
  });

  it("never shows another tenant's records", async ({ expect }) => {
    const a = await createRecordsFixture();
    const b = await createRecordsFixture();
    const [call] = await storeCalls(a.tenantId, [{ startedAt: T0 }]);
    const list = await b.asViewer("GET", "/api/call-records");
    expect(list.body.items).toEqual([]);
    const detail = await b.asViewer("GET", `/api/call-records/${call!.recordId}`);
    expect(detail.status).toBe(404);
    expect(detail.body.error.code).toBe("NOT_FOUND");
  });
});

describe("GET /api/call-records/{id}", () => {
  it("shows the record with names, every attempt, the routing trace and the event timeline", async ({ expect }) => {
    const f = await createRecordsFixture();
    const [call] = await storeCalls(f.tenantId, [
      {
        startedAt: T0,
        status: "completed",
        answeredAfterSec: 5,
        durationSec: 42,
        agentId: f.agents[1]!,
        groupId: f.groups[0]!,
        ruleId: f.ruleId,
        attempts: [
          { targetId: f.agents[0]!, groupId: f.groups[0]!, outcome: "failed" },
          { targetId: f.agents[1]!, groupId: f.groups[0]!, outcome: "answered" },
        ],
      },
    ]);
    await withDb((db) =>
      db.insert(callEvents).values([
        { tenantId: f.tenantId, callId: call!.callId, seq: 1, type: "call.started", at: new Date(T0), data: { state: "routing" } },
        { tenantId: f.tenantId, callId: call!.callId, seq: 2, type: "call.attempt_started", at: new Date(T0 + 10), data: { attempt: 1 } },
      ]),
    );
    const res = await f.asViewer("GET", `/api/call-records/${call!.recordId}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: call!.recordId,
      rule: { id: f.ruleId, name: "Main line" },
      group: { id: f.groups[0], name: "A group" },
      agent: { id: f.agents[1], name: "Agent 2" },
      trunk: null,
      routing: { test: true },
    });
    expect(res.body.attempts.map((a: { targetId: string; outcome: string }) => [a.targetId, a.outcome])).toEqual([
      [f.agents[0], "failed"],
      [f.agents[1], "answered"],
    ]);
    expect(res.body.events.map((e: { seq: number; type: string }) => [e.seq, e.type])).toEqual([
      [1, "call.started"],
      [2, "call.attempt_started"],
      [3, "call.updated"],
    ]);
  });
});
