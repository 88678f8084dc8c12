import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { log } from "./log";
import { HTTPException } from "hono/http-exception";
import { ZodError } from "zod";
import type { AppEnv } from "../app-env";
import { ConfigError } from "../env";
import { AppError, type ErrorEnvelope } from "./errors";
import { zodDetails } from "./validation";

function envelope(c: Context<AppEnv>, code: string, message: string, details?: unknown): ErrorEnvelope {
  const error: ErrorEnvelope["error"] = { code, message, requestId: c.get("requestId") ?? "unknown" };
  if (details !== undefined) error.details = details;
  return { error };
}

/** Stacks are shown only to a developer running the Worker locally. */
function isLocalDev(c: Context<AppEnv>): boolean {
  return c.env?.ENVIRONMENT === "development";
}

export const onError: ErrorHandler<AppEnv> = (err, c) => {
  if (err instanceof AppError) {
    for (const [name, value] of Object.entries(err.headers ?? {})) c.header(name, value);
    return c.json(envelope(c, err.code, err.message, err.details), err.status);
  }
  if (err instanceof ZodError) {
    return c.json(envelope(c, "VALIDATION_FAILED", "The request is not valid", zodDetails(err)), 400);
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    const code = status === 413 ? "PAYLOAD_TOO_LARGE" : status === 401 ? "UNAUTHORIZED" : "HTTP_ERROR";
    return c.json(envelope(c, code, err.message || "Request failed"), status);
  }
  if (err instanceof ConfigError) {
    log.error("config.invalid", { message: err.message });
    return c.json(envelope(c, "CONFIG_INVALID", err.message), 500);
  }
  log.error("request.failed", { method: c.req.method, path: new URL(c.req.url).pathname, error: err });
  const details = isLocalDev(c) && err instanceof Error ? { stack: err.stack } : undefined;
  return c.json(envelope(c, "INTERNAL", "Something went wrong on our side; the request id identifies it in the logs", details), 500);
};

export const onNotFound: NotFoundHandler<AppEnv> = (c) => c.json(envelope(c, "NOT_FOUND", `No route for ${c.req.method} ${new URL(c.req.url).pathname}`), 404);
