import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, it } from "vitest";

const run = promisify(execFile);
const copy = mkdtempSync(join(tmpdir(), "cxlb-migrations-"));

const files = (dir: string) => readdirSync(dir, { recursive: true }).map(String).sort();

describe("workers/db/schema.ts and migrations/", () => {
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it("agree: drizzle-kit generate finds no schema change to migrate", async ({ expect }) => {
    cpSync("migrations", copy, { recursive: true });
    // drizzle-kit prefixes --out with "./", so it must be relative to the working directory.
    const { stdout, stderr } = await run("npx", ["drizzle-kit", "generate", "--dialect=mysql", "--schema=./workers/db/schema.ts", `--out=${relative(process.cwd(), copy)}`], { timeout: 90_000, maxBuffer: 10 * 1024 * 1024, env: { ...process.env, CI: "true" } });
    const output = `${stdout}\n${stderr}`;
    // It exits 0 even when it fails to read the snapshots, so the message is what counts.
    expect(output, "edit workers/db/schema.ts, then run `npm run db:generate` and commit the migration").toContain("No schema changes, nothing to migrate");
    expect(files(copy)).toEqual(files("migrations"));
  });
});
