// One build of the Worker for bench/call-cost.ts: a git commit checked out in a worktree of its
// own (or the working tree as it is), its own MySQL database migrated by that commit's own
// scripts and migrations, a tenant seeded through that commit's own repository code, and a
// `wrangler dev` serving that commit's Worker wrapped by the meter (bench/lib/meter): nothing of
// the commit's source is changed, the wrapper is a separate entry module that re-exports it.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createConnection } from "mysql2/promise";
import { startWorker, type Worker } from "../harness";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const METER = resolve(dirname(fileURLToPath(import.meta.url)), "../meter/meter.ts");

export interface BuildSpec {
  /** "baseline" or "current": names its database, directory and column. */
  label: string;
  /** A commit-ish, or "working-tree" for the files as they are now (uncommitted changes included). */
  ref: string;
}

export interface Build {
  label: string;
  ref: string;
  commit: string;
  subject: string;
  root: string;
  database: string;
  /** The DO bindings of the commit's wrangler.toml: binding name → class name. */
  objects: Record<string, string>;
  tenant: SeededTenant;
  worker: Worker | null;
}

export interface SeededTenant {
  tenantId: string;
  domain: string;
  requestKey: string;
  agents: number;
}

const git = (...args: string[]) => execFileSync("git", ["-C", REPO, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

const DB_USER = process.env.DB_USER ?? "cxlb";
const DB_PASSWORD = process.env.DB_PASSWORD ?? "cxlb-local-pw";
const dbUrl = (database: string) => `mysql://${encodeURIComponent(DB_USER)}:${encodeURIComponent(DB_PASSWORD)}@127.0.0.1:3306/${database}`;

/**
 * Checks out `spec.ref` under `runDir` (a detached worktree sharing this repository's objects;
 * node_modules is this tree's, by symlink: the bench warns when the lockfiles differ), and
 * writes the metered entry module inside it.
 */
export function checkout(spec: BuildSpec, runDir: string): Omit<Build, "tenant" | "worker" | "database"> {
  if (spec.ref === "working-tree") {
    const commit = git("rev-parse", "HEAD");
    const dirty = git("status", "--porcelain", "--untracked-files=no", "--", "workers", "durable-objects", "wrangler.toml", "migrations").length > 0;
    return { label: spec.label, ref: spec.ref, commit, subject: `${git("log", "-1", "--format=%s", commit).slice(0, 72)}${dirty ? " (+ uncommitted changes)" : ""}`, root: REPO, objects: durableObjects(REPO) };
  }
  const commit = git("rev-parse", "--verify", `${spec.ref}^{commit}`);
  const root = join(runDir, spec.label);
  git("worktree", "add", "--detach", "--force", root, commit);
  symlinkSync(join(REPO, "node_modules"), join(root, "node_modules"), "dir");
  if (git("diff", "--name-only", commit, "HEAD", "--", "package-lock.json")) {
    console.warn(`[bench] ${spec.label} ${commit.slice(0, 7)}: its package-lock.json differs from HEAD's; it runs with this tree's node_modules`);
  }
  return { label: spec.label, ref: spec.ref, commit, subject: git("log", "-1", "--format=%s", commit).slice(0, 72), root, objects: durableObjects(root) };
}

/** Removes a worktree made by checkout() (never the working tree itself). */
export function removeCheckout(build: Pick<Build, "root">): void {
  if (build.root === REPO) return;
  try {
    git("worktree", "remove", "--force", build.root);
  } catch {
    rmSync(build.root, { recursive: true, force: true });
    git("worktree", "prune");
  }
}

/** The top-level Durable Object bindings of a wrangler.toml (before any [env.*] section). */
function durableObjects(root: string): Record<string, string> {
  const toml = readFileSync(join(root, "wrangler.toml"), "utf8").split(/^\[env\./m)[0]!;
  const objects: Record<string, string> = {};
  for (const m of toml.matchAll(/\[\[durable_objects\.bindings\]\]\s*name\s*=\s*"([^"]+)"\s*class_name\s*=\s*"([^"]+)"/g)) objects[m[1]!] = m[2]!;
  return objects;
}

function mainModule(root: string): string {
  const main = /^main\s*=\s*"([^"]+)"/m.exec(readFileSync(join(root, "wrangler.toml"), "utf8"))?.[1];
  if (!main) throw new Error(`${root}/wrangler.toml names no main module`);
  return main;
}

/**
 * Writes `<root>/.wrangler/bench-meter/<label>/entry.ts`: the commit's main module with every
 * Durable Object class and the default export wrapped by the meter. Returns its path relative
 * to root (for `wrangler deploy <entry>`).
 */
export function writeMeteredEntry(build: Pick<Build, "root" | "label" | "objects">): string {
  const dir = join(build.root, ".wrangler", "bench-meter", build.label);
  mkdirSync(dir, { recursive: true });
  copyFileSync(METER, join(dir, "meter.ts"));
  const main = `./${relative(dir, join(build.root, mainModule(build.root))).replace(/\.ts$/, "")}`;
  const classes = [...new Set(Object.values(build.objects))];
  const probe = Object.entries(build.objects).find(([, cls]) => cls === "CallSession")?.[0] ?? Object.keys(build.objects)[0]!;
  const lines = [
    "// Generated by bench/call-cost.ts: the Worker under test, every Durable Object class and the",
    "// default export wrapped by the meter. Not part of the application.",
    `import * as app from "${main}";`,
    `import { meterClass, meterEntry } from "./meter";`,
    `export * from "${main}";`,
    ...classes.map((cls) => `export const ${cls} = meterClass(app.${cls}, "${cls}");`),
    `export default meterEntry(app.default, "${probe}");`,
    "",
  ];
  writeFileSync(join(dir, "entry.ts"), lines.join("\n"));
  return relative(build.root, join(dir, "entry.ts"));
}

/** Drops and re-creates the build's database (cxlb_tmp_*: the local user may create those), then runs the commit's own migrations. */
export async function freshDatabase(build: Pick<Build, "root" | "label">): Promise<string> {
  const database = `cxlb_tmp_bench_cost_${build.label.replace(/\W/g, "_")}`;
  const connection = await createConnection({ uri: dbUrl("") });
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await connection.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await connection.end();
  }
  execFileSync("npx", ["tsx", "scripts/migrate.ts", "--database", database], { cwd: build.root, stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, DATABASE_URL: "" } });
  return database;
}

export async function dropDatabase(database: string): Promise<void> {
  const connection = await createConnection({ uri: dbUrl("") });
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${database}\``);
  } finally {
    await connection.end();
  }
}

/**
 * The tenant the calls go to, written with the commit's own repository code (its schema is the
 * commit's): 3 agents in a round-robin group (3 attempts) behind a prefix rule "1800*", the
 * shape of test/workers/helpers/routing-fixture.ts.
 */
export async function seedTenant(build: Pick<Build, "root" | "label">, database: string, encryptionKey: string): Promise<SeededTenant> {
  const load = (path: string) => import(pathToFileURL(join(build.root, path)).href);
  const schema = await load("workers/db/schema.ts");
  const { createTenantWithAdmin } = await load("workers/db/repos/tenants.ts");
  const { newId } = await load("workers/lib/ids.ts");
  const { drizzle } = await import("drizzle-orm/mysql2");
  const connection = await createConnection({ uri: dbUrl(database), timezone: "Z" });
  const db = drizzle(connection, { schema, mode: "default" });
  try {
    const unique = `${build.label}-${Date.now().toString(36)}`;
    const domain = `${unique}.bench-cost.local`;
    const tenant = await createTenantWithAdmin(db, { name: `Cost ${unique}`, cloudonixDomain: domain, adminEmail: `${unique}@bench.local`, adminPassword: "bench-password-123", encryptionKey });
    const providers = ["retell", "vapi", "elevenlabs"];
    const agents = providers.map((provider, i) => ({ id: newId("agt"), tenantId: tenant.tenantId, name: `Agent ${i + 1}`, provider, serviceValue: `+1212555${String(1000 + i)}` }));
    await db.insert(schema.voiceAgents).values(agents);
    const groupId = newId("grp");
    await db.insert(schema.agentGroups).values({ id: groupId, tenantId: tenant.tenantId, name: "Group", strategy: "round_robin", maxAttempts: 3 });
    await db.insert(schema.agentGroupMembers).values(agents.map((a, position) => ({ groupId, agentId: a.id, tenantId: tenant.tenantId, position })));
    await db.insert(schema.inboundRoutingRules).values({ id: newId("irl"), tenantId: tenant.tenantId, name: "Sales", pattern: "1800*", matchType: "prefix", targetType: "group", targetId: groupId });
    return { tenantId: tenant.tenantId, domain, requestKey: tenant.requestKey, agents: agents.length };
  } finally {
    await connection.end();
  }
}

/** The commit's .dev.vars.example with overrides: the file `wrangler dev --env-file` reads instead of .dev.vars. */
export function writeEnvFile(build: Pick<Build, "root" | "label">, runDir: string, overrides: Record<string, string>): { path: string; values: Record<string, string> } {
  const values: Record<string, string> = {};
  for (const line of readFileSync(join(build.root, ".dev.vars.example"), "utf8").split("\n")) {
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) values[m[1]!] = m[2]!;
  }
  Object.assign(values, overrides);
  const path = join(runDir, `${build.label}.vars`);
  writeFileSync(
    path,
    `${Object.entries(values)
      .map(([k, v]) => `${k}=${v}`)
      .join("\n")}\n`,
  );
  return { path, values };
}

export async function serve(build: Build, entry: string, envFile: string, vars: Record<string, string>): Promise<Worker> {
  return startWorker({
    cwd: build.root,
    entry,
    vars: { ENVIRONMENT: "development", ...vars },
    env: { CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: dbUrl(build.database) },
    devArgs: ["--env-file", envFile],
    timeoutMs: 180_000,
  });
}

/** The workerd processes of a wrangler dev (same process group), with their command lines. */
export function workerdProcesses(pgid: number): { pid: number; cmdline: string }[] {
  const found: { pid: number; cmdline: string }[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      if (Number(fields[2]) !== pgid || !comm.startsWith("workerd")) continue;
      found.push({ pid: Number(entry), cmdline: readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ").trim() });
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

const TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/** utime + stime of the given processes, in milliseconds (resolution: one clock tick, usually 10 ms). */
export function cpuMs(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // Fields 14 and 15 of stat(5), counted from the state field (field 3).
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}
