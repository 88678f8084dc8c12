import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../app-env";
import { requireAuth } from "../middleware/auth";
import { apiRoutes } from "../openapi/declare";
import { collectMetrics, METRICS_WINDOWS, type MetricsWindow } from "../metrics/collect";
import { PROMETHEUS_CONTENT_TYPE, renderMetrics } from "../metrics/prometheus";

const route = apiRoutes("Metrics");

const WINDOWS = Object.keys(METRICS_WINDOWS) as [MetricsWindow, ...MetricsWindow[]];

export const MetricsQuery = z.strictObject({
  window: z
    .enum(WINDOWS, { message: `must be one of ${WINDOWS.join(", ")}` })
    .default("1h")
    .meta({ description: "What the call and attempt figures cover: calls started since the start of the 15-minute slot this long ago (default 1h)" }),
});

/*
 * The tenant's figures for Prometheus (or anything that reads its text format): scrape with an
 * API key as the bearer (a read-only key is enough). See README, Metrics.
 */
export const metrics = new Hono<AppEnv>().use(requireAuth).get(
  "/",
  route("The tenant's metrics in Prometheus text format: calls and attempts by outcome, agent and group over a window, live calls, agents out for health, dead letters, queue backlog", {
    query: MetricsQuery,
    response: z.string(),
    responseType: PROMETHEUS_CONTENT_TYPE,
    description: "Authenticate with an API key (Authorization: Bearer cxak_…) or a user token. Figures over the window are gauges (they fall as old slots leave the window).",
  }),
  async (c) => {
    const { window } = c.req.valid("query");
    const body = renderMetrics(await collectMetrics(c.get("services"), c.get("auth").tenantId, window));
    return c.body(body, 200, { "Content-Type": PROMETHEUS_CONTENT_TYPE, "Cache-Control": "no-store" });
  },
);
