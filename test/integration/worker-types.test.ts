import { execFile } from "node:child_process";
import { copyFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { promisify } from "node:util";
import { describe, it } from "vitest";

const run = promisify(execFile);
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", CI: "true" };

/** `npm run types`, checking instead of writing: exit 0 when the file matches the config. */
const check = (config: string, types: string) =>
  run("npx", ["wrangler", "types", "--check", "-c", config, "--env-file", ".dev.vars.example", "--strict-vars", "false", types], { env }).then(
    () => true,
    () => false,
  );

describe("the Worker's Env type (worker-configuration.d.ts)", () => {
  it("is what `wrangler types` generates from wrangler.toml (run `npm run types` after changing it)", async ({ expect }) => {
    expect(await check("wrangler.toml", "worker-configuration.d.ts")).toBe(true);
  });

  it("goes stale when a binding is added to the config without regenerating it", async ({ expect }) => {
    // Beside the real files, so `main` and the generated imports resolve as they do for them.
    const config = `.types-check-${process.pid}.toml`;
    const types = `.types-check-${process.pid}.d.ts`;
    copyFileSync("worker-configuration.d.ts", types);
    try {
      writeFileSync(config, readFileSync("wrangler.toml", "utf8"));
      expect(await check(config, types), "an unchanged copy checks clean").toBe(true);
      writeFileSync(config, readFileSync("wrangler.toml", "utf8").replace("[[r2_buckets]]", '[[kv_namespaces]]\nbinding = "NEW_CACHE"\nid = "0"\n\n[[r2_buckets]]'));
      expect(await check(config, types)).toBe(false);
    } finally {
      rmSync(config, { force: true });
      rmSync(types, { force: true });
    }
  });
});
