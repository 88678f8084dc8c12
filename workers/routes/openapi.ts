import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../app-env";
import { apiDocs, openApiDocument } from "../openapi/registry";

const meta = apiDocs("", "Meta", { auth: "none" });
meta.get("/api/openapi.json", "This OpenAPI 3.1 document");

const Check = z.object({
  status: z.enum(["up", "down", "not_configured"]),
  latencyMs: z.number().optional(),
  error: z.string().optional(),
  note: z.string().optional(),
});
meta.get("/api/health", "Liveness: MySQL and Redis checks (503 when a dependency is down)", {
  response: z.object({ status: z.enum(["ok", "degraded"]), environment: z.string(), checks: z.object({ mysql: Check, redis: Check }) }),
  errors: [503],
});

export const openapi = new Hono<AppEnv>().get("/", (c) => c.json(openApiDocument(new URL(c.req.url).origin)));
