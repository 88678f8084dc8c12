import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { loadConfig } from "../env";
import { Services } from "../services";

export const services = createMiddleware<AppEnv>(async (c, next) => {
  const config = loadConfig(c.env);
  c.set("config", config);
  const services = new Services(c.env, config);
  c.set("services", services);
  try {
    await next();
  } finally {
    const closing = services.close();
    try {
      c.executionCtx.waitUntil(closing);
    } catch {
      // No execution context (app.request() in tests): the close settles on its own.
    }
  }
});
