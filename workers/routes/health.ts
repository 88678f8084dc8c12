import { Hono, type Context } from "hono";
import { log } from "../lib/log";
import { sql } from "drizzle-orm";
import type { AppEnv } from "../app-env";
import type { Env } from "../env";
import { SharedCheck } from "../lib/shared-check";
import type { Services } from "../services";

export type CheckResult = { status: "up"; latencyMs: number } | { status: "down"; latencyMs: number; error: string } | { status: "not_configured"; note: string };

/**
 * Driver messages name hosts, ports and users, so only a developer's own Worker shows them;
 * elsewhere they go to the log and the answer just says what is down.
 */
async function timed(what: string, showErrors: boolean, probe: () => Promise<unknown>): Promise<CheckResult> {
  const started = Date.now();
  try {
    await probe();
    return { status: "up", latencyMs: Date.now() - started };
  } catch (err) {
    // Drizzle wraps driver errors ("Failed query: …"); the cause says what actually broke.
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
    const message = cause instanceof Error ? cause.message : String(cause);
    log.warn("health.down", { dependency: what, error: message });
    return { status: "down", latencyMs: Date.now() - started, error: showErrors ? message.slice(0, 200) : `${what} did not answer; the Worker's log says why` };
  }
}

export interface Readiness {
  status: "ok" | "degraded";
  environment: string;
  checkedAt: string;
  checks: { mysql: CheckResult; redis: CheckResult; queues: CheckResult };
}

/** How long one readiness answer serves every probe of the isolate (per env object). */
export const READINESS_TTL_MS = 5_000;
const readiness = new SharedCheck<Env, Readiness>(READINESS_TTL_MS);

/**
 * MySQL answers a query, Upstash a PING (when configured), and the queues are bound: sending
 * a probe message would put junk in front of the consumers, and a binding that is there is all
 * the Worker itself can get wrong.
 */
async function checkReadiness(services: Services, env: Env): Promise<Readiness> {
  const showErrors = services.config.environment === "development";
  const [mysql, redis] = await Promise.all([
    timed("MySQL", showErrors, async () => {
      const db = await services.db();
      await db.execute(sql`select 1`);
    }),
    services.redis
      ? timed("Upstash Redis", showErrors, async () => {
          const pong = await services.redis!.ping();
          if (pong !== "PONG") throw new Error(`unexpected PING reply ${String(pong)}`);
        })
      : Promise.resolve<CheckResult>({ status: "not_configured", note: "Upstash is not configured; using MySQL only" }),
  ]);
  const unbound = (["CALL_EVENTS", "EXPORT_JOBS", "EVENT_DELIVERIES"] as const).filter((name) => typeof env[name]?.send !== "function");
  const queues: CheckResult = unbound.length ? { status: "down", latencyMs: 0, error: `not bound: ${unbound.join(", ")}` } : { status: "up", latencyMs: 0 };
  const healthy = mysql.status === "up" && redis.status !== "down" && queues.status === "up";
  return { status: healthy ? "ok" : "degraded", environment: services.config.environment, checkedAt: new Date().toISOString(), checks: { mysql, redis, queues } };
}

/**
 * Readiness, shared by every probe of the isolate for a few seconds (and while it runs), so
 * that health checks never become load on MySQL. `GET /api/health` is the same answer.
 */
const ready = async (c: Context<AppEnv>) => {
  const result = await readiness.get(c.env, () => checkReadiness(c.get("services"), c.env));
  return c.json(result, result.status === "ok" ? 200 : 503);
};

export const health = new Hono<AppEnv>().get("/", ready).get("/ready", ready);

/** Liveness: the isolate answers. No I/O and no configuration check, so it is mounted before both. */
export const liveness = new Hono<AppEnv>().get("/live", (c) => c.json({ status: "ok" as const }));
