import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { hangupCxml } from "../domain/cxml";
import { notFound } from "../lib/errors";

/**
 * The benchmarks' baseline: a constant CXML answer through the same app and middleware as the
 * real webhook, so bench/ can report routed-webhook cost as a ratio. Absent in production.
 */
export const benchBaseline = new Hono<AppEnv>().all("/static-xml", async (c) => {
  if (c.get("config").environment === "production") throw notFound("Route");
  // Read the body as the webhook does: a response sent before the request body is drained
  // makes wrangler dev's proxy drop the connection (a 503 "worker restarted mid-request").
  await c.req.arrayBuffer();
  return c.body(hangupCxml, 200, { "Content-Type": "application/xml; charset=utf-8" });
});
