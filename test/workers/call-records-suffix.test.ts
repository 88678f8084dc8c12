import { describe, it } from "vitest";
import { countRecords, numberIndexFor, recordsPageSql } from "../../workers/db/repos/call-records";
import type { Db } from "../../workers/db/client";
import { withDb } from "./helpers/db";
import { createRecordsFixture, storeCalls, type RecordsFixture, type StoredCall } from "./helpers/records-fixture";
import type { CallSpec } from "./helpers/call-messages";

const T0 = Date.UTC(2026, 4, 10, 8, 0, 0);
const NOISE = 400;

/** Numbers as Cloudonix and carriers send them: with and without "+", with separators. */
const ENDING_0100 = ["+1 415-555-0100", "14155550100", "+442071230100", "(020) 7946.0100"];
const NOT_ENDING_0100 = ["+14155550101", "+1 415-555-0010", "01004155551", "+10100555123"];

function specs(f: RecordsFixture, from: string[], to: (i: number) => string, offset = 0): CallSpec[] {
  return from.map((number, i) => ({ startedAt: T0 + (offset + i) * 60_000, status: "completed", from: number, to: to(i), agentId: f.agents[0]!, groupId: f.groups[0]!, answeredAfterSec: 2, durationSec: 30 }));
}

/** The tenant's records: the numbers above, and many more that end otherwise. */
async function seed(f: RecordsFixture): Promise<StoredCall[]> {
  const noise = Array.from({ length: NOISE }, (_, i) => `+1650555${String(2000 + i).padStart(4, "0")}`);
  return storeCalls(f.tenantId, [...specs(f, ENDING_0100, (i) => `1800555${String(7000 + i)}`), ...specs(f, NOT_ENDING_0100, () => "18005557777", 10), ...specs(f, noise, (i) => (i < 3 ? `+1 800 555-${String(4400 + i)}` : "18005559999"), 20)]);
}

interface PlanRow {
  table: string;
  type: string;
  key: string | null;
  rows: number;
  r_rows: number | null;
}

/** MariaDB's ANALYZE: the plan it chose and the rows it really read. */
async function analyze(db: Db, statement: { sql: string; params: unknown[] }): Promise<PlanRow[]> {
  const client = (db as unknown as { $client: { query(sql: string, values: unknown[]): Promise<[PlanRow[], unknown]> } }).$client;
  const [rows] = await client.query(`ANALYZE ${statement.sql}`, statement.params);
  return rows.map((r) => ({ ...r, rows: Number(r.rows), r_rows: r.r_rows === null ? null : Number(r.r_rows) }));
}

const page = (filters: Record<string, unknown>) => ({ filters, sort: "startedAt" as const, order: "desc" as const, after: null, limit: 50 });

describe("call records searched by the end of a number", () => {
  it("finds exactly the records whose normalised number ends with the digits, in this tenant only", async ({ expect }) => {
    const f = await createRecordsFixture();
    const other = await createRecordsFixture();
    const stored = await seed(f);
    // The same numbers in another tenant must never show.
    await storeCalls(
      other.tenantId,
      specs(other, ENDING_0100, () => "18005550100"),
    );
    const ids = (calls: StoredCall[]) => calls.map((c) => c.recordId).sort();
    const list = async (query: Record<string, string>) => {
      const res = await f.asViewer("GET", `/api/call-records?${new URLSearchParams({ ...query, limit: "200" })}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return (res.body.items as { id: string }[]).map((r) => r.id).sort();
    };

    const ending = ids(stored.filter((c) => ENDING_0100.includes(c.spec.from!)));
    expect(ending).toHaveLength(4);
    expect(await list({ caller: "0100", callerMatch: "suffix" })).toEqual(ending);
    // What the user types is normalised like the stored number: separators and "+" do not matter.
    expect(await list({ caller: "555-0100", callerMatch: "suffix" })).toEqual(ids(stored.filter((c) => c.spec.from!.replace(/\D/g, "").endsWith("5550100"))));
    expect(await list({ caller: "+1 415 555 0100", callerMatch: "suffix" })).toEqual(ids(stored.filter((c) => c.spec.from!.replace(/\D/g, "") === "14155550100")));
    expect(await list({ callee: "4401", calleeMatch: "suffix" })).toEqual(ids(stored.filter((c) => c.spec.to === "+1 800 555-4401")));
    // A LIKE wildcard typed by the user is a character, not a pattern.
    expect(await list({ caller: "%0100", callerMatch: "suffix" })).toEqual([]);
    // Prefix search is unchanged, on the stored number.
    expect(await list({ caller: "+1650555200", callerMatch: "prefix" })).toHaveLength(10);

    const otherRes = await other.asViewer("GET", "/api/call-records?caller=0100&callerMatch=suffix&limit=200");
    expect((otherRes.body.items as unknown[]).length).toBe(4);
  });

  it("reads only the matching rows, through the reversed number's index", async ({ expect }) => {
    const f = await createRecordsFixture();
    const stored = await seed(f);
    const matches = stored.filter((c) => c.spec.from!.replace(/\D/g, "").endsWith("0100")).length;
    await withDb(async (db) => {
      expect(await numberIndexFor(db, f.tenantId, { caller: "0100", callerMatch: "suffix" })).toBe("call_records_tenant_from_rev_idx");
      expect(await numberIndexFor(db, f.tenantId, { callee: "4401", calleeMatch: "suffix" })).toBe("call_records_tenant_to_rev_idx");

      const plan = await analyze(db, await recordsPageSql(db, f.tenantId, page({ caller: "0100", callerMatch: "suffix" })));
      expect(plan).toHaveLength(1);
      expect(plan[0]).toMatchObject({ table: "call_records", type: "range", key: "call_records_tenant_from_rev_idx" });
      // Bounded by the matches, not by the tenant's NOISE + 8 records.
      expect(plan[0]!.r_rows).toBe(matches);

      const callee = await analyze(db, await recordsPageSql(db, f.tenantId, page({ callee: "4401", calleeMatch: "suffix", since: new Date(T0) })));
      expect(callee[0]).toMatchObject({ type: "range", key: "call_records_tenant_to_rev_idx" });
      expect(callee[0]!.r_rows).toBe(1);

      // The export's count (no index hint) finds the same records.
      expect(await countRecords(db, f.tenantId, { caller: "0100", callerMatch: "suffix" })).toBe(matches);
    });
  });

  it("refuses a contains search over an open or long period, and runs it within one", async ({ expect }) => {
    const f = await createRecordsFixture();
    await seed(f);
    const open = await f.asViewer("GET", "/api/call-records?callee=5557&calleeMatch=contains");
    expect(open.status).toBe(400);
    expect(JSON.stringify(open.body)).toContain("since");
    const long = await f.asViewer("GET", `/api/call-records?callee=5557&calleeMatch=contains&since=${new Date(T0 - 40 * 86_400_000).toISOString()}&until=${new Date(T0 + 86_400_000).toISOString()}`);
    expect(long.status).toBe(400);
    const bounded = await f.asViewer("GET", `/api/call-records?callee=5557&calleeMatch=contains&since=${new Date(T0).toISOString()}&until=${new Date(T0 + 86_400_000).toISOString()}&limit=200`);
    expect(bounded.status).toBe(200);
    expect((bounded.body.items as unknown[]).length).toBe(4 + 4);
    const exportRefused = await f.asAdmin("POST", "/api/call-records/export", { format: "csv", filters: { callee: "5557", calleeMatch: "contains" } });
    expect(exportRefused.status).toBe(400);
  });
});
