import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { documentRoutes } from "../openapi/declare";
import { agentGroups } from "./agent-groups";
import { alertRules, alertsRoutes } from "./alerts";
import { apiKeysRoutes } from "./api-keys";
import { analytics } from "./analytics";
import { auditLog } from "./audit-log";
import { auth } from "./auth";
import { callRecords } from "./call-records";
import { deadLettersRoutes } from "./dead-letters";
import { eventWebhooks } from "./event-webhooks";
import { exportsRoutes } from "./exports";
import { inboundRules } from "./inbound-rules";
import { metrics } from "./metrics";
import { openapi } from "./openapi";
import { outboundRules } from "./outbound-rules";
import { providers } from "./providers";
import { providerAccountsRoutes } from "./provider-accounts";
import { campaignsRoutes } from "./campaigns";
import { doNotCallRoutes } from "./do-not-call";
import { realtime } from "./realtime";
import { routing } from "./routing";
import { schedulesRoutes } from "./schedules";
import { tenant } from "./tenant";
import { trunks } from "./trunks";
import { users } from "./users";
import { voiceAgents } from "./voice-agents";
import { webhookDeliveries } from "./webhook-deliveries";

/**
 * The admin API, chained so that its type describes every route: the SPA builds a typed
 * client from it with `hc<AppType>(baseUrl)`. Mounted at "/" by createApp().
 */
export const api = new Hono<AppEnv>()
  .route("/api/auth", auth)
  .route("/api/users", users)
  .route("/api/api-keys", apiKeysRoutes)
  .route("/api/tenant", tenant)
  .route("/api/providers", providers)
  .route("/api/voice-agents", voiceAgents)
  .route("/api/provider-accounts", providerAccountsRoutes)
  .route("/api/agent-groups", agentGroups)
  .route("/api/inbound-rules", inboundRules)
  .route("/api/schedules", schedulesRoutes)
  .route("/api/trunks", trunks)
  .route("/api/outbound-rules", outboundRules)
  .route("/api/campaigns", campaignsRoutes)
  .route("/api/do-not-call", doNotCallRoutes)
  .route("/api/audit-log", auditLog)
  .route("/api/routing", routing)
  .route("/api/call-records", callRecords)
  .route("/api/exports", exportsRoutes)
  .route("/api/analytics", analytics)
  .route("/api/metrics", metrics)
  .route("/api/webhook-deliveries", webhookDeliveries)
  .route("/api/dead-letters", deadLettersRoutes)
  .route("/api/event-webhooks", eventWebhooks)
  .route("/api/alert-rules", alertRules)
  .route("/api/alerts", alertsRoutes)
  .route("/api/realtime", realtime)
  .route("/api/openapi.json", openapi);

// The declared routes' OpenAPI entries, at the paths the app serves them.
documentRoutes(api);

export type AppType = typeof api;
