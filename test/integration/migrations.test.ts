import { randomBytes } from "node:crypto";
import { afterAll, describe, it } from "vitest";
import { getTableName, is } from "drizzle-orm";
import { MySqlTable } from "drizzle-orm/mysql-core";
import { applyMigrations } from "../../scripts/migrate";
import * as schema from "../../workers/db/schema";
import { connect } from "../../scripts/lib/db";

const database = `cxlb_tmp_${randomBytes(4).toString("hex")}`;
const base = process.env.TEST_DATABASE_URL!.replace(/\/[^/]+$/, "");
const url = `${base}/${database}`;

// Every table the Drizzle schema declares, so the migrations are checked against the schema itself.
const EXPECTED_TABLES = (Object.values(schema) as unknown[])
  .filter((value): value is MySqlTable => is(value, MySqlTable))
  .map((table) => getTableName(table))
  .sort();

describe("MySQL migrations", () => {
  afterAll(async () => {
    const admin = await connect(`${base}/${process.env.DB_TEST_NAME ?? "cxlb_test"}`);
    await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await admin.end();
  });

  it("create every table on an empty database, and applying them twice is harmless", async ({ expect }) => {
    const admin = await connect(`${base}/${process.env.DB_TEST_NAME ?? "cxlb_test"}`);
    await admin.query(`CREATE DATABASE \`${database}\``);
    await admin.end();

    await applyMigrations(url);
    await applyMigrations(url);

    const db = await connect(url);
    try {
      const [tables] = await db.query<any[]>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ?", [database]);
      const names = tables.map((t) => t.name).filter((n: string) => !n.startsWith("__drizzle"));
      expect(EXPECTED_TABLES.length).toBeGreaterThanOrEqual(15);
      expect(names.sort()).toEqual(EXPECTED_TABLES);

      const [applied] = await db.query<any[]>("SELECT COUNT(*) AS n FROM __drizzle_migrations");
      const [journal] = await import("../../migrations/meta/_journal.json", { with: { type: "json" } }).then((m) => [m.default.entries]);
      expect(Number(applied[0].n)).toBe(journal!.length);

      const [indexes] = await db.query<any[]>(
        "SELECT table_name AS t, index_name AS i, non_unique AS nu, GROUP_CONCAT(column_name ORDER BY seq_in_index) AS cols FROM information_schema.statistics WHERE table_schema = ? GROUP BY table_name, index_name, non_unique",
        [database],
      );
      const find = (t: string, cols: string) => indexes.find((row) => row.t === t && row.cols === cols);
      expect(find("call_records", "tenant_id,call_id")?.nu).toBe(0);
      expect(find("call_records", "tenant_id,started_at,id")).toBeTruthy();
      // Unique per call type too: an API-call rule may repeat an inbound rule's pattern.
      expect(find("inbound_routing_rules", "tenant_id,call_type,pattern,condition_key")?.nu).toBe(0);
      expect(find("tenants", "cloudonix_domain_uuid")?.nu).toBe(0);
      expect(find("tenants", "cloudonix_domain")?.nu).toBe(0);

      const [fks] = await db.query<any[]>("SELECT table_name AS t, referenced_table_name AS r FROM information_schema.referential_constraints WHERE constraint_schema = ?", [database]);
      expect(fks).toEqual(expect.arrayContaining([expect.objectContaining({ t: "users", r: "tenants" }), expect.objectContaining({ t: "agent_group_members", r: "voice_agents" }), expect.objectContaining({ t: "agent_group_members", r: "agent_groups" })]));
    } finally {
      await db.end();
    }
  });
});
