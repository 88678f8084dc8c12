import { readFileSync } from "node:fs";
import { describe, it } from "vitest";
import { connect } from "../../scripts/lib/db";
import { reversedNumber } from "../../workers/domain/number-search";

// The migration fills the reversed numbers of existing rows in SQL; new rows get them from
// reversedNumber in the queue consumer. Both must agree, or old calls are missed by suffix search.
const migration = readFileSync("migrations/0008_number_suffix_search.sql", "utf8");

function backfillExpression(column: "from_number" | "to_number"): string {
  const update = migration.split("--> statement-breakpoint").find((statement) => /UPDATE `call_records`/.test(statement));
  if (!update) throw new Error("no backfill UPDATE in the migration");
  const assignment = new RegExp(`\`${column}_rev\` = (REVERSE\\(.*?\\)\\)\\)\\))(?:,|;)`).exec(update);
  if (!assignment) throw new Error(`no assignment of ${column}_rev`);
  return assignment[1]!;
}

const SAMPLES = ["+1 415-555-0100", "14155550100", "+14155550100", "(020) 7946.0100", "1004", "", "+", "++123", " Alice@Example ", "sip:1004@x.example", "anonymous", "+44 (0)20 7946-0958", "1-800-FLOWERS", "\t+1 212 555 0199 "];

describe("the suffix-search backfill in migrations/0008", () => {
  it("reverses the normalised number exactly as the queue consumer does", async ({ expect }) => {
    const db = await connect(process.env.TEST_DATABASE_URL!);
    try {
      for (const column of ["from_number", "to_number"] as const) {
        const expression = backfillExpression(column);
        for (const sample of SAMPLES) {
          const [rows] = await db.query<any[]>(`SELECT ${expression} AS reversed FROM (SELECT ? AS \`${column}\`) AS t`, [sample]);
          expect(rows[0].reversed, `${column} ${JSON.stringify(sample)}`).toBe(reversedNumber(sample));
        }
      }
    } finally {
      await db.end();
    }
  });
});
