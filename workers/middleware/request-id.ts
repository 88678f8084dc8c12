import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { withLogContext } from "../lib/log";

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Reuses a caller's X-Request-Id when it is safe to echo, else mints one, and opens the
 * request's log context (lib/log.ts): every line the request logs carries its id.
 */
export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const incoming = c.req.header("x-request-id");
  const id = incoming && SAFE_ID.test(incoming) ? incoming : crypto.randomUUID();
  c.set("requestId", id);
  c.header("X-Request-Id", id);
  await withLogContext({ requestId: id }, next);
});
