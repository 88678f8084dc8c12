// The system an end-to-end run drives: `wrangler dev` (own port and state), the built SPA
// served by `vite preview` with /api (and the WebSocket) proxied to it, and a fresh tenant.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { freePort } from "../../scripts/lib/ports";
import { randomBytes } from "node:crypto";
import { drizzle } from "drizzle-orm/mysql2";
import { connect, databaseUrl } from "../../scripts/lib/db";
import { applyMigrations } from "../../scripts/migrate";
import * as schema from "../../workers/db/schema";
import { createTenantWithAdmin } from "../../workers/db/repos/tenants";
import { hashPassword } from "../../workers/lib/passwords";

/** Where the e2e build of the SPA goes (gitignored). */
const WEB_OUT = resolve("test-output/e2e/web");

export interface E2eTenant {
  tenantId: string;
  name: string;
  domain: string;
  requestKey: string;
  admin: { email: string; password: string };
  viewer: { email: string; password: string };
}

async function waitFor(url: string, child: ChildProcess, output: () => string, what: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${what} did not come up:\n${output().slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

function start(command: string, args: string[], env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let output = "";
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  return { child, output: () => output };
}

function stop(child: ChildProcess | undefined): void {
  if (!child?.pid || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    // already gone
  }
}

export interface Stack {
  apiUrl: string;
  webUrl: string;
  stop(): Promise<void>;
}

/** Builds the SPA, starts wrangler dev and vite preview; resolves once both answer. */
export async function startStack(): Promise<Stack> {
  if (!existsSync(".dev.vars")) copyFileSync(".dev.vars.example", ".dev.vars");
  await applyMigrations(databaseUrl("cxlb"));
  // A development build of the SPA, apart from the real one: React then reports what it only
  // checks in development (elements nested where HTML forbids it, missing keys) to the console,
  // where the tests fail on it.
  const build = spawnSync("npx", ["vite", "build", "--config", "web/vite.config.ts", "--logLevel", "warn", "--outDir", WEB_OUT, "--emptyOutDir"], {
    encoding: "utf8",
    env: { ...process.env, NODE_ENV: "development" },
  });
  if (build.status !== 0) throw new Error(`the SPA did not build:\n${build.stdout}\n${build.stderr}`);

  const [apiPort, webPort] = [await freePort(), await freePort()];
  const state = ".wrangler/e2e-state";
  rmSync(state, { recursive: true, force: true });
  const env = { WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };
  // wrangler.toml says production; a .dev.vars from before ENVIRONMENT was added would keep it.
  const api = start("npx", ["wrangler", "dev", "--port", String(apiPort), "--ip", "127.0.0.1", "--log-level", "warn", "--persist-to", state, "--var", "ENVIRONMENT:development"], env);
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const web = start("npx", ["vite", "preview", "--config", "web/vite.config.ts", "--outDir", WEB_OUT, "--port", String(webPort), "--strictPort"], { ...env, API_URL: apiUrl });
  const webUrl = `http://127.0.0.1:${webPort}`;
  try {
    await waitFor(`${apiUrl}/api/health`, api.child, api.output, "wrangler dev");
    await waitFor(`${webUrl}/`, web.child, web.output, "vite preview");
  } catch (err) {
    stop(api.child);
    stop(web.child);
    throw err;
  }
  return {
    apiUrl,
    webUrl,
    stop: async () => {
      stop(web.child);
      stop(api.child);
      await new Promise((resolve) => setTimeout(resolve, 500));
    },
  };
}

/** A tenant of its own for this run (random names): nothing depends on leftover data. */
export async function createE2eTenant(): Promise<E2eTenant> {
  const suffix = randomBytes(4).toString("hex");
  const tenant = {
    name: `E2E ${suffix}`,
    domain: `e2e-${suffix}.cloudonix.test`,
    admin: { email: `admin-${suffix}@e2e.test`, password: `e2e-admin-${suffix}-pw` },
    viewer: { email: `viewer-${suffix}@e2e.test`, password: `e2e-viewer-${suffix}-pw` },
  };
  const connection = await connect(databaseUrl("cxlb"));
  try {
    const db = drizzle(connection, { schema, mode: "default" });
    const created = await createTenantWithAdmin(db, { name: tenant.name, cloudonixDomain: tenant.domain, adminEmail: tenant.admin.email, adminPassword: tenant.admin.password, adminName: "E2E Admin" });
    await db.insert(schema.users).values({
      id: `usr_e2e_${suffix}`,
      tenantId: created.tenantId,
      email: tenant.viewer.email,
      name: "E2E Viewer",
      passwordHash: await hashPassword(tenant.viewer.password),
      role: "user",
    });
    return { ...tenant, tenantId: created.tenantId, requestKey: created.requestKey };
  } finally {
    await connection.end();
  }
}
