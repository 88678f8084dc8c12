// Generates a fresh tenant with N call records spread over D days (default 1,000,000 over 30
// days) in the dev database, for bench/analytics.ts. Multi-row INSERTs of 2,000 rows; the
// rollups (15-minute, daily, series) are computed with the same pure functions the queue
// consumer uses and written once,
// with each record's rollup_sig, so the data is exactly what the consumer would have built.
//
//   npx tsx bench/analytics-generate.ts [--records 1000000] [--days 30] [--database cxlb]
//
// Writes .wrangler/bench-analytics.json (tenant, logins, request key) for the benchmark.
import { mkdirSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { drizzle } from "drizzle-orm/mysql2";
import * as schema from "../workers/db/schema";
import { createTenantWithAdmin } from "../workers/db/repos/tenants";
import { newId } from "../workers/lib/ids";
import { hashPassword } from "../workers/lib/passwords";
import { addContribution, dailyCells, MEASURES, measureColumn, rollupSignature, SERIES_MEASURE_COUNT, seriesCells, type Cell } from "../workers/analytics/rollup-math";
import { connect, databaseUrl } from "../scripts/lib/db";

export const STATE_FILE = ".wrangler/bench-analytics.json";

export interface AnalyticsBenchState {
  tenantId: string;
  domain: string;
  requestKey: string;
  viewer: { email: string; password: string };
  agents: string[];
  groups: string[];
  records: number;
  from: number;
  to: number;
  timezone: string;
}

const { values } = parseArgs({
  options: {
    records: { type: "string", default: "1000000" },
    days: { type: "string", default: "30" },
    database: { type: "string" },
    seed: { type: "string", default: "1" },
  },
});
const RECORDS = Math.min(5_000_000, Math.max(1, Number(values.records)));
const DAYS = Math.min(365, Math.max(1, Number(values.days)));
const BATCH = 2_000;

/** mulberry32: reproducible data for a given --seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(Number(values.seed));
const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
/** Talk time: log-normal around two minutes, capped at two hours. */
const talkSeconds = () => Math.min(7_200, Math.round(Math.exp(4.8 + 0.9 * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()))));

const started = Date.now();
const log = (message: string) => console.log(`[generate ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);

const connection = await connect(databaseUrl(values.database));
const db = drizzle(connection, { schema, mode: "default" });
try {
  const unique = Date.now().toString(36);
  const domain = `analytics-${unique}.bench.local`;
  const timezone = "America/New_York";
  const requestKey = `cxrk_bench_analytics_${unique}_not_secret`;
  const tenant = await createTenantWithAdmin(db, { name: `Analytics bench ${unique}`, cloudonixDomain: domain, adminEmail: `admin-${unique}@bench.local`, adminPassword: "bench-password-123", requestKey });
  const tenantId = tenant.tenantId;
  const { eq } = await import("drizzle-orm");
  await db.update(schema.tenants).set({ timezone, retentionDays: 3650 }).where(eq(schema.tenants.id, tenantId));
  const viewer = { email: `viewer-${unique}@bench.local`, password: "bench-viewer-password" };
  await db.insert(schema.users).values({ id: newId("usr"), tenantId, email: viewer.email, name: "Bench viewer", role: "user", passwordHash: await hashPassword(viewer.password) });

  const agents = Array.from({ length: 20 }, (_, i) => ({ id: newId("agt"), tenantId, name: `Agent ${i + 1}`, provider: pick(["retell", "vapi", "elevenlabs", "synthflow"]), serviceValue: `+1646555${String(1000 + i)}`, weight: 1 + (i % 3) }));
  await db.insert(schema.voiceAgents).values(agents);
  const strategies = ["round_robin", "priority", "load_balanced", "round_robin"] as const;
  const groups = strategies.map((strategy, g) => ({ id: newId("grp"), tenantId, name: `Group ${g + 1}`, strategy }));
  await db.insert(schema.agentGroups).values(groups);
  const membersOf = groups.map((_, g) => agents.slice(g * 5, g * 5 + 5));
  await db.insert(schema.agentGroupMembers).values(membersOf.flatMap((members, g) => members.map((a, position) => ({ groupId: groups[g]!.id, agentId: a.id, tenantId, position, priority: position < 2 ? 0 : 1 }))));
  const rules = groups.map((group, g) => ({ id: newId("irl"), tenantId, name: `Line ${g + 1}`, pattern: `18005${g}*`, matchType: "prefix" as const, targetType: "group" as const, targetId: group.id }));
  await db.insert(schema.inboundRoutingRules).values(rules);
  const trunk = newId("trk");
  await db.insert(schema.trunks).values({ id: trunk, tenantId, name: "carrier-a" });
  const outboundRule = newId("orl");
  await db.insert(schema.outboundRoutingRules).values({ id: outboundRule, tenantId, name: "All out", destinationPrefix: "", trunkIds: [trunk] });
  log(`tenant ${tenantId}: 20 agents, 4 groups, ${RECORDS.toLocaleString()} records over ${DAYS} days`);

  const to = Date.now() - 60_000;
  const from = to - DAYS * 86_400_000;
  const starts = Float64Array.from({ length: RECORDS }, () => from + Math.floor(random() * (to - from))).sort();
  const cells = new Map<string, Cell>();
  const columns = [
    "id",
    "tenant_id",
    "call_id",
    "direction",
    "from_number",
    "to_number",
    "caller_name",
    "status",
    "disposition",
    "end_reason",
    "rule_id",
    "group_id",
    "agent_id",
    "trunk_id",
    "attempt_count",
    "attempts",
    "decision",
    "started_at",
    "answered_at",
    "ended_at",
    "duration_sec",
    "billable_sec",
    "last_seq",
    "rollup_sig",
  ];
  await connection.query("SET SESSION unique_checks = 0, foreign_key_checks = 0");
  for (let offset = 0; offset < RECORDS; offset += BATCH) {
    const rows: unknown[][] = [];
    for (let i = offset; i < Math.min(RECORDS, offset + BATCH); i++) {
      const startedAt = starts[i]!;
      const outbound = random() < 0.15;
      const r = random();
      const status = startedAt > to - 120_000 && random() < 0.5 ? "connected" : r < 0.78 ? "completed" : r < 0.96 ? "failed" : "timeout";
      const g = outbound ? -1 : [0, 0, 0, 0, 1, 1, 1, 2, 2, 3][Math.floor(random() * 10)]!;
      const members = g >= 0 ? membersOf[g]! : [];
      const tries = g < 0 ? 0 : status === "failed" ? 1 + Math.floor(random() * 3) : random() < 0.15 ? 2 : 1;
      const answered = (status === "completed" && random() < 0.88) || status === "connected";
      const attempts = Array.from({ length: tries }, (_, n) => ({
        n: n + 1,
        stage: `group ${g + 1}`,
        kind: "agent",
        targetId: (g === 1 && n === 0 ? members[Math.floor(random() * 2)]! : pick(members)).id,
        targetName: "agent",
        groupId: groups[g]!.id,
        startedAt: startedAt + n * 20_000,
        outcome: n < tries - 1 ? "failed" : answered ? "answered" : status === "failed" ? "failed" : "ended",
      }));
      const duration = status === "connected" ? null : answered ? talkSeconds() : 0;
      const answeredAt = answered ? startedAt + tries * 8_000 : null;
      const endedAt = status === "connected" ? null : (answeredAt ?? startedAt + tries * 20_000) + (duration ?? 0) * 1000;
      const record = {
        startedAt,
        direction: (outbound ? "outbound" : "inbound") as "inbound" | "outbound",
        status,
        groupId: g >= 0 ? groups[g]!.id : null,
        agentId: attempts.at(-1)?.targetId ?? null,
        answeredAt,
        durationSec: duration,
        attempts,
      };
      const sig = rollupSignature(record);
      addContribution(cells, sig);
      const callerDigits = `1${String(200 + Math.floor(random() * 800))}555${String(Math.floor(random() * 10_000)).padStart(4, "0")}`;
      rows.push([
        newId("cal", startedAt),
        tenantId,
        `bench-${unique}-${i}`,
        record.direction,
        outbound ? `+1646555${String(1000 + Math.floor(random() * 20))}` : random() < 0.5 ? `+${callerDigits}` : callerDigits,
        outbound ? `+44${String(Math.floor(random() * 1e10)).padStart(10, "0")}` : `18005${g}${String(Math.floor(random() * 100_000)).padStart(5, "0")}`,
        random() < 0.3 ? pick(["Alice", "Bob", "Chen", "Dana", "Émile", "Farah"]) : null,
        status,
        status === "connected" ? null : answered ? "ANSWER" : status === "failed" ? "BUSY" : "NOANSWER",
        status === "connected" ? null : answered ? "completed" : status === "failed" ? "all_attempts_failed" : status === "timeout" ? "timeout" : "caller_hangup",
        outbound ? outboundRule : rules[g]!.id,
        record.groupId,
        record.agentId,
        outbound ? trunk : null,
        tries,
        JSON.stringify(attempts),
        JSON.stringify({ direction: record.direction, rule: { id: outbound ? outboundRule : rules[g]!.id }, picks: attempts.map((a) => ({ stage: a.stage, chosen: a.targetId, skipped: [] })), refused: [] }),
        new Date(startedAt),
        answeredAt === null ? null : new Date(answeredAt),
        endedAt === null ? null : new Date(endedAt),
        duration,
        duration,
        4,
        sig,
      ]);
    }
    await connection.query(`INSERT INTO call_records (${columns.join(", ")}) VALUES ?`, [rows]);
    if ((offset / BATCH) % 50 === 0) log(`${(offset + rows.length).toLocaleString()} records`);
  }
  log(`${RECORDS.toLocaleString()} records inserted; writing ${cells.size.toLocaleString()} rollup rows`);
  const cellList = [...cells.values()];
  const measureColumns = MEASURES.map(measureColumn);
  const insert = async (table: string, columns: string[], rows: unknown[][]) => {
    for (let i = 0; i < rows.length; i += 2_000) await connection.query(`INSERT INTO ${table} (${columns.join(", ")}) VALUES ?`, [rows.slice(i, i + 2_000)]);
  };
  await insert(
    "call_rollups",
    ["tenant_id", "slot_start", "direction", "group_id", "agent_id", ...measureColumns],
    cellList.map((c) => [tenantId, new Date(c.slot), c.direction, c.groupId, c.agentId, ...c.values]),
  );
  await insert(
    "call_rollups_daily",
    ["tenant_id", "day_start", "direction", "group_id", "agent_id", ...measureColumns],
    dailyCells(cellList).map((c) => [tenantId, new Date(c.slot), c.direction, c.groupId, c.agentId, ...c.values]),
  );
  await insert(
    "call_rollup_series",
    ["tenant_id", "slot_start", "direction", ...measureColumns.slice(0, SERIES_MEASURE_COUNT)],
    seriesCells(cellList).map((c) => [tenantId, new Date(c.slot), c.direction, ...c.values.slice(0, SERIES_MEASURE_COUNT)]),
  );
  await connection.query("ANALYZE TABLE call_records, call_rollups, call_rollups_daily, call_rollup_series");
  const state: AnalyticsBenchState = { tenantId, domain, requestKey, viewer, agents: agents.map((a) => a.id), groups: groups.map((g) => g.id), records: RECORDS, from, to, timezone };
  mkdirSync(".wrangler", { recursive: true });
  writeFileSync(STATE_FILE, JSON.stringify(state, null, 2));
  log(`done; state in ${STATE_FILE}`);
} finally {
  await connection.end();
}
