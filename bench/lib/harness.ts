// Reusable benchmark harness: starts `wrangler dev` on a free port (quiet logs, no metrics),
// waits for /api/health, runs closed-loop loads with Node's fetch (N requests, C in flight,
// bounded in time), reports throughput and p50/p99, and stops wrangler at the end.
//
//   const worker = await startWorker();
//   try {
//     const health = await closedLoop({ label: "GET /api/health", requests: 300, concurrency: 10, send: () => fetch(`${worker.url}/api/health`) });
//     console.log(formatResult(health));
//   } finally {
//     await worker.stop();
//   }
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { freePort } from "../../scripts/lib/ports";

export interface Worker {
  url: string;
  /** The process group of wrangler and its workerd (for reading their CPU time in /proc). */
  pgid: number;
  stop(): Promise<void>;
  /** SIGKILL to wrangler and its workerd at once: a crash of the local runtime, state left on disk as it was. */
  crash(): Promise<void>;
}

export interface StartOptions {
  /** Extra `--var NAME:value` overrides for wrangler dev. */
  vars?: Record<string, string>;
  /** How long to wait for a healthy /api/health (default 90 s). */
  timeoutMs?: number;
  /**
   * Local state (Durable Objects, R2, queues). Default: a fresh directory per run, removed at
   * stop, so two benches never share (and corrupt) one another's SQLite files; on tmpfs
   * (/dev/shm) when the machine has one, see defaultStateDir().
   */
  persistTo?: string;
  /** Copy wrangler's output (warnings, errors, console.warn) to stderr; default when BENCH_WRANGLER_LOGS=1. */
  echoLogs?: boolean;
  /** The project tree to build and serve (its wrangler.toml, .dev.vars, node_modules); default the current directory. */
  cwd?: string;
  /** The module to bundle instead of wrangler.toml's main (e.g. a wrapper that re-exports it). */
  entry?: string;
  /** Extra environment for wrangler (e.g. CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE). */
  env?: Record<string, string>;
  /** Extra `wrangler dev` arguments (e.g. `--env-file`, which then replaces .dev.vars). */
  devArgs?: string[];
  /** The port to serve on (default: a free one); a restart on the same state keeps its URLs with the same port. */
  port?: number;
}

/**
 * Starts `wrangler dev` and resolves once GET /api/health answers 200. It serves a bundle built
 * once for the run (`wrangler deploy --dry-run`), not the sources: on the sources wrangler
 * reloads the Worker whenever a file in the tree changes, and a benchmark must measure one build.
 */
/**
 * Locally every Durable Object is a SQLite file that workerd syncs to disk on each commit, and
 * every call creates one: on this machine's disk that costs ~40 ms a call, which production's
 * storage does not, and it would swamp what the benchmarks measure (our code). So state goes to
 * tmpfs unless BENCH_STATE_ON_DISK=1 asks for the disk (to see that cost).
 */
function defaultStateDir(port: number): string {
  const root = process.env.BENCH_STATE_ON_DISK !== "1" && existsSync("/dev/shm") ? "/dev/shm/cxlb-bench" : ".wrangler/bench-runs";
  return `${root}/${process.pid}-${port}`;
}

export async function startWorker(options: StartOptions = {}): Promise<Worker> {
  const cwd = resolve(options.cwd ?? ".");
  if (!existsSync(join(cwd, ".dev.vars")) && existsSync(join(cwd, ".dev.vars.example"))) copyFileSync(join(cwd, ".dev.vars.example"), join(cwd, ".dev.vars"));
  const port = options.port ?? (await freePort());
  const persistTo = options.persistTo ?? resolve(cwd, defaultStateDir(port));
  const bundleDir = join(cwd, `.wrangler/bench-builds/${process.pid}-${port}`);
  const wranglerEnv = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", ...options.env };
  try {
    execFileSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", bundleDir, ...(options.entry ? [options.entry] : [])], { cwd, env: wranglerEnv, stdio: "pipe" });
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`wrangler could not build ${options.entry ?? "the Worker"} in ${cwd}:\n${`${stdout ?? ""}${stderr ?? ""}`.slice(-3000)}`);
  }
  // The bundle is named after its entry module (index.js for wrangler.toml's main).
  const bundle = ["index.js", ...readdirSync(bundleDir).filter((f) => f.endsWith(".js"))].find((f) => existsSync(join(bundleDir, f)))!;
  const args = ["wrangler", "dev", join(bundleDir, bundle), "--no-bundle", "--port", String(port), "--inspector-port", String(await freePort())];
  args.push("--ip", "127.0.0.1", "--log-level", "warn", "--persist-to", persistTo, ...(options.devArgs ?? []));
  // Development: the static baseline route (/__bench) exists only outside production.
  for (const [name, value] of Object.entries({ ENVIRONMENT: "development", ...options.vars })) args.push("--var", `${name}:${value}`);
  const child: ChildProcess = spawn("npx", args, {
    cwd,
    env: wranglerEnv,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const echo = options.echoLogs ?? process.env.BENCH_WRANGLER_LOGS === "1";
  const collect = (chunk: Buffer) => {
    output = (output + chunk).slice(-8000);
    if (echo) process.stderr.write(chunk);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);

  let stopped = false;
  const stop = async () => {
    if (stopped || !child.pid) return;
    stopped = true;
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return; // already gone
    }
    const exited = new Promise((resolve) => child.once("exit", resolve));
    const timeout = new Promise((resolve) => setTimeout(resolve, 5_000));
    await Promise.race([exited, timeout]);
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // exited
    }
    if (!options.persistTo) rmSync(persistTo, { recursive: true, force: true });
    rmSync(bundleDir, { recursive: true, force: true });
  };
  const onSignal = () => void stop().then(() => process.exit(130));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  process.once("exit", () => {
    if (!stopped && child.pid) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // exited
      }
    }
  });

  const url = `http://127.0.0.1:${port}`;
  console.log(`[bench] wrangler dev on ${url}, local state in ${persistTo}`);
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  let last = "no answer yet";
  for (;;) {
    try {
      const res = await fetch(`${url}/api/health`);
      const text = await res.text();
      if (res.status === 200) break;
      last = `${res.status} ${text.slice(0, 300)}`;
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      await stop();
      throw new Error(`wrangler dev did not become healthy (last: ${last}). Is MariaDB/Redis running (npm run services)?\n${output.slice(-3000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  const crash = async () => {
    if (stopped || !child.pid) return;
    stopped = true;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      return;
    }
    await exited;
    rmSync(bundleDir, { recursive: true, force: true });
  };
  return { url, pgid: child.pid!, stop, crash };
}

export interface LoadOptions {
  label: string;
  /** Total requests to send (N). */
  requests: number;
  /** Requests in flight at once (C). */
  concurrency: number;
  /** Stop early after this long (default 60 s); the result says how many were sent. */
  maxSeconds?: number;
  /** Requests sent and discarded before measuring (default: concurrency). */
  warmup?: number;
  /** Sends request number i; must consume the body. Status 2xx/3xx counts as success. */
  send: (i: number) => Promise<Response>;
  /** Extra check of a response; return an error message to count it as failed. */
  check?: (res: Response, body: string) => string | null;
}

export interface LoadResult {
  label: string;
  requests: number;
  concurrency: number;
  ok: number;
  errors: number;
  /** The first few distinct error messages. */
  errorSamples: string[];
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
  truncated: boolean;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/** A closed loop: C workers each send their next request as soon as the previous one answers. */
export async function closedLoop(options: LoadOptions): Promise<LoadResult> {
  const { requests, concurrency } = options;
  const one = async (i: number): Promise<{ ms: number; error: string | null }> => {
    const started = performance.now();
    try {
      const res = await options.send(i);
      const body = await res.text();
      const ms = performance.now() - started;
      if (res.status >= 400) return { ms, error: `${res.status} ${body.slice(0, 160)}` };
      return { ms, error: options.check?.(res, body) ?? null };
    } catch (err) {
      return { ms: performance.now() - started, error: (err as Error).message };
    }
  };

  const warmup = options.warmup ?? concurrency;
  await Promise.all(Array.from({ length: warmup }, (_, i) => one(-1 - i)));

  const latencies: number[] = [];
  const samples = new Set<string>();
  let errors = 0;
  let next = 0;
  const deadline = Date.now() + (options.maxSeconds ?? 60) * 1000;
  let truncated = false;
  const started = performance.now();
  const workerLoop = async () => {
    for (;;) {
      if (Date.now() > deadline) {
        truncated = next < requests;
        return;
      }
      const i = next++;
      if (i >= requests) return;
      const result = await one(i);
      latencies.push(result.ms);
      if (result.error) {
        errors++;
        if (samples.size < 3) samples.add(result.error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, requests) }, workerLoop));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    label: options.label,
    requests: latencies.length,
    concurrency,
    ok: latencies.length - errors,
    errors,
    errorSamples: [...samples],
    seconds,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    mean: latencies.reduce((sum, ms) => sum + ms, 0) / Math.max(1, latencies.length),
    max: latencies[latencies.length - 1] ?? 0,
    truncated,
  };
}

export function formatResult(r: LoadResult): string {
  const flags = `${r.errors ? `  ERRORS ${r.errors}: ${r.errorSamples.join(" | ")}` : ""}${r.truncated ? "  (stopped at the time limit)" : ""}`;
  return `${r.label.padEnd(52)} n=${String(r.requests).padStart(5)} c=${String(r.concurrency).padStart(2)}  ${r.rps.toFixed(1).padStart(8)} req/s  p50 ${r.p50.toFixed(1).padStart(7)} ms  p99 ${r.p99.toFixed(1).padStart(7)} ms${flags}`;
}

/** "0.42× throughput, 2.4× p50" of `op` against `baseline`. */
export function ratioLine(op: LoadResult, baseline: LoadResult): string {
  return `${op.label.padEnd(52)} throughput ${(op.rps / baseline.rps).toFixed(3)}× of ${baseline.label}, p50 ${(op.p50 / baseline.p50).toFixed(2)}×, p99 ${(op.p99 / baseline.p99).toFixed(2)}×`;
}
