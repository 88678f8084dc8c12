import type { Context } from "hono";
import { log } from "../lib/log";
import type { AppEnv } from "../app-env";
import type { SocketEnd, SocketTarget } from "../../durable-objects/logic/hub-logic";

/**
 * Ends the live sockets of a session or a user once the change that ends them has committed
 * (sign-out, revocation, role change), off the answer's path. Sockets otherwise live until their
 * session's expiry.
 */
export function closeLiveSockets(c: Context<AppEnv>, tenantId: string, target: SocketTarget, end: SocketEnd): void {
  const closing = c.env.TENANT_HUB.getByName(tenantId)
    .closeSockets(target, end)
    .catch((err: unknown) => log.warn("realtime.close_sockets_failed", { target, end, error: err }));
  try {
    c.executionCtx.waitUntil(closing);
  } catch {
    // No execution context in app.request() tests: the promise settles on its own.
  }
}
