import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { loadConfig } from "../env";
import { Services } from "../services";

export const services = createMiddleware<AppEnv>(async (c, next) => {
  const config = loadConfig(c.env);
  c.set("config", config);
  const services = new Services(c.env, config, (promise) => keepAlive(c, promise));
  c.set("services", services);
  try {
    await next();
  } finally {
    keepAlive(c, services.close());
  }
});

function keepAlive(c: Context<AppEnv>, promise: Promise<unknown>): void {
  try {
    c.executionCtx.waitUntil(promise);
  } catch {
    // No execution context (app.request() in tests): the promise settles on its own.
  }
}
