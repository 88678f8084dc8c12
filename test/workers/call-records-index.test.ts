import { describe, it } from "vitest";
import { callRecords } from "../../workers/db/schema";
import { numberIndexFor, readRecords, SELECTIVE_NUMBER_MATCHES } from "../../workers/db/repos/call-records";
import { newId } from "../../workers/lib/ids";
import { withDb } from "./helpers/db";
import { createTenantFixture } from "./helpers/fixtures";

const T0 = Date.UTC(2026, 5, 1);

describe("call-record pages filtered by a number", () => {
  it("go through the number's index when few records match it, and through the time index when many do", async ({ expect }) => {
    const { tenantId } = await createTenantFixture("idx");
    const row = (i: number, from: string) => ({ id: newId("cal"), tenantId, callId: `idx-${i}-${crypto.randomUUID()}`, direction: "inbound" as const, fromNumber: from, toNumber: "18005550199", status: "completed", startedAt: new Date(T0 + i * 1000) });
    const common = Array.from({ length: SELECTIVE_NUMBER_MATCHES }, (_, i) => row(i, `1650555${String(i).padStart(4, "0")}`));
    const rare = [row(5_000, "19995550001"), row(5_001, "+19995550002"), row(5_002, "19995550003")];
    await withDb(async (db) => {
      for (let i = 0; i < common.length; i += 500) await db.insert(callRecords).values(common.slice(i, i + 500));
      await db.insert(callRecords).values(rare);
    });
    await withDb(async (db) => {
      expect(await numberIndexFor(db, tenantId, { caller: "+1999" })).toBe("call_records_tenant_from_idx");
      expect(await numberIndexFor(db, tenantId, { callee: "1800555" })).toBe(null);
      expect(await numberIndexFor(db, tenantId, { caller: "+1650" })).toBe(null);
      expect(await numberIndexFor(db, tenantId, { caller: "999", callerMatch: "contains" })).toBe(null);
      // With the index named, keyset pages are still complete and in order, with and without "+".
      const first = await readRecords(db, tenantId, { filters: { caller: "+1999" }, sort: "startedAt", order: "desc", after: null, limit: 2 });
      expect(first.map((r) => r.fromNumber)).toEqual(["19995550003", "+19995550002"]);
      const next = await readRecords(db, tenantId, { filters: { caller: "+1999" }, sort: "startedAt", order: "desc", after: { value: first[1]!.startedAt.getTime(), id: first[1]!.id }, limit: 2 });
      expect(next.map((r) => r.fromNumber)).toEqual(["19995550001"]);
    });
  });
});
