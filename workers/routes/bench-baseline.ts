import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { hangupCxml } from "../domain/cxml";
import { notFound } from "../lib/errors";

/**
 * The benchmarks' baseline: a constant CXML answer through the same app and middleware as the
 * real webhook, so bench/ can report routed-webhook cost as a ratio. Absent in production.
 */
export const benchBaseline = new Hono<AppEnv>()
  .use(async (c, next) => {
    if (c.get("config").environment === "production") throw notFound("Route");
    await next();
  })
  .all("/static-xml", async (c) => {
    // Read the body as the webhook does: a response sent before the request body is drained
    // makes wrangler dev's proxy drop the connection (a 503 "worker restarted mid-request").
    await c.req.arrayBuffer();
    return c.body(hangupCxml, 200, { "Content-Type": "application/xml; charset=utf-8" });
  })
  // bench/queue-poison.ts puts messages of its own (a poison among them) on the call-events queue.
  .post("/enqueue", async (c) => {
    const bodies = (await c.req.json()) as unknown[];
    for (let i = 0; i < bodies.length; i += 100) {
      await c.env.CALL_EVENTS.sendBatch(bodies.slice(i, i + 100).map((body) => ({ body, contentType: "json" as const })));
    }
    return c.json({ queued: bodies.length });
  });
