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
const Readiness = z.object({
  status: z.enum(["ok", "degraded"]),
  environment: z.string(),
  checkedAt: z.string().meta({ description: "When the checks ran: one answer serves every probe of an isolate for 5 s" }),
  checks: z.object({ mysql: Check, redis: Check, queues: Check }),
});
meta.get("/api/health", "Readiness (same as /api/health/ready): MySQL, Upstash and queue checks, cached 5 s per isolate (503 when a dependency is down)", {
  response: Readiness,
  errors: [503],
});
meta.get("/api/health/ready", "Readiness: MySQL, Upstash and queue checks, cached 5 s per isolate (503 when a dependency is down)", {
  response: Readiness,
  errors: [503],
});
meta.get("/api/health/live", "Liveness: the Worker answers; no I/O, no dependency checked", { response: z.object({ status: z.literal("ok") }) });

export const openapi = new Hono<AppEnv>().get("/", (c) => c.json(openApiDocument(new URL(c.req.url).origin)));
