import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, it } from "vitest";
import { unstable_readConfig } from "wrangler";

const run = promisify(execFile);
const outdir = mkdtempSync(join(tmpdir(), "cxlb-dry-run-"));

describe("wrangler deploy --dry-run", () => {
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it("bundles the Worker with every binding and exports the Durable Object classes", async ({ expect }) => {
    const { stdout } = await run("npx", ["wrangler", "deploy", "--dry-run", "--outdir", outdir], {
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", CI: "true" },
      maxBuffer: 10 * 1024 * 1024,
    });
    expect(stdout).toContain("--dry-run: exiting now.");
    for (const binding of ["GROUP_BALANCER", "CALL_SESSION", "TENANT_HUB", "HYPERDRIVE", "CALL_EVENTS", "EXPORT_JOBS", "EVENT_DELIVERIES", "EXPORTS"]) {
      expect(stdout).toContain(binding);
    }
    // A plain `wrangler deploy` must not ship stacks in 500s or the benchmark route.
    expect(stdout).toMatch(/env\.ENVIRONMENT \("production"\)/);
    const bundle = readdirSync(outdir).find((name) => name.endsWith(".js"));
    expect(bundle).toBeTruthy();
    const code = readFileSync(join(outdir, bundle!), "utf8");
    for (const cls of ["GroupBalancer", "CallSession", "TenantHub"]) {
      expect(code).toMatch(new RegExp(`export\\s*\\{[^}]*\\b${cls}\\b`));
    }
  });

  it("caps every queue consumer's concurrency within half of a 20-connection Hyperdrive pool", ({ expect }) => {
    const consumers: { queue: string; max_concurrency?: number | null }[] = unstable_readConfig({ config: "wrangler.toml" }).queues.consumers ?? [];
    expect(consumers.map((c) => c.queue).sort()).toEqual(["call-events", "call-events-dlq", "event-deliveries", "export-jobs"]);
    for (const consumer of consumers) expect(consumer.max_concurrency, consumer.queue).toBeGreaterThanOrEqual(1);
    // Each invocation holds one MySQL connection; the rest of the pool is the API's.
    expect(consumers.reduce((sum, c) => sum + (c.max_concurrency ?? Infinity), 0)).toBeLessThanOrEqual(10);
  });

  it.for(["staging", "production"] as const)("bundles the %s environment with its own queues, Hyperdrive and bucket", async (name, { expect }) => {
    const out = mkdtempSync(join(tmpdir(), `cxlb-dry-run-${name}-`));
    try {
      const { stdout } = await run("npx", ["wrangler", "deploy", "--dry-run", "--env", name, "--outdir", out], {
        env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", CI: "true" },
        maxBuffer: 10 * 1024 * 1024,
      });
      expect(stdout).toContain("--dry-run: exiting now.");
      const suffix = name === "staging" ? "-staging" : "";
      expect(stdout).toContain(`env.CALL_EVENTS (call-events${suffix})`);
      expect(stdout).toContain(`env.EXPORT_JOBS (export-jobs${suffix})`);
      expect(stdout).toContain(`env.EVENT_DELIVERIES (event-deliveries${suffix})`);
      expect(stdout).toContain(`env.EXPORTS (cxlb-exports${suffix})`);
      expect(stdout).toMatch(/env\.ENVIRONMENT \("production"\)/);
      for (const binding of ["GROUP_BALANCER", "CALL_SESSION", "TENANT_HUB", "HYPERDRIVE"]) expect(stdout).toContain(`env.${binding}`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    const config = unstable_readConfig({ config: "wrangler.toml", env: name });
    expect(config.workers_dev).toBe(name === "staging");
    expect(config.observability?.head_sampling_rate).toBe(name === "staging" ? 1 : 0.1);
    expect(config.hyperdrive[0]?.id).not.toBe(unstable_readConfig({ config: "wrangler.toml", env: name === "staging" ? "production" : "staging" }).hyperdrive[0]?.id);
    const consumers: { queue: string; max_concurrency?: number | null }[] = config.queues.consumers ?? [];
    expect(consumers.map((c) => c.queue).sort()).toEqual([`call-events${suffixOf(name)}`, `call-events-dlq${suffixOf(name)}`, `event-deliveries${suffixOf(name)}`, `export-jobs${suffixOf(name)}`].sort());
    expect(consumers.reduce((sum, c) => sum + (c.max_concurrency ?? Infinity), 0)).toBeLessThanOrEqual(10);
  });
});

const suffixOf = (name: string) => (name === "staging" ? "-staging" : "");
