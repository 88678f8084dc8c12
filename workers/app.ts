import { Hono } from "hono";
import type { AppEnv } from "./app-env";
import { onError, onNotFound } from "./lib/error-handler";
import { requestId } from "./middleware/request-id";
import { services } from "./middleware/services";
import { api } from "./routes/api";
import { benchBaseline } from "./routes/bench-baseline";
import { docs } from "./routes/docs";
import { health, liveness } from "./routes/health";
import { webhooks } from "./routes/webhooks";

export function createApp() {
  const app = new Hono<AppEnv>();
  app.use("*", requestId);
  // Before the services middleware: liveness must answer even when nothing else can.
  app.route("/api/health", liveness);
  // The API reference needs no configuration either: it reads no binding but its static files.
  app.route("/api/docs", docs);
  app.use("*", services);
  app.onError(onError);
  app.notFound(onNotFound);
  app.route("/api/health", health);
  app.route("/", api);
  app.route("/api/webhooks", webhooks);
  app.route("/__bench", benchBaseline);
  return app;
}

export type App = ReturnType<typeof createApp>;
