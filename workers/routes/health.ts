import { Hono } from "hono";
import { sql } from "drizzle-orm";
import type { AppEnv } from "../app-env";

type CheckResult =
  | { status: "up"; latencyMs: number }
  | { status: "down"; latencyMs: number; error: string }
  | { status: "not_configured"; note: string };

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
    console.warn(`health: ${what} is down: ${message}`);
    return { status: "down", latencyMs: Date.now() - started, error: showErrors ? message.slice(0, 200) : `${what} did not answer; the Worker's log says why` };
  }
}

export const health = new Hono<AppEnv>().get("/", async (c) => {
  const services = c.get("services");
  const showErrors = c.get("config").environment === "development";
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
  const healthy = mysql.status === "up" && redis.status !== "down";
  return c.json(
    { status: healthy ? "ok" : "degraded", environment: c.get("config").environment, checks: { mysql, redis } },
    healthy ? 200 : 503,
  );
});
