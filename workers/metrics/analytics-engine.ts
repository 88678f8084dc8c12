import { log } from "../lib/log";

/*
 * One Workers Analytics Engine data point per Cloudonix webhook (every voice request and dial
 * result is a routing decision; session updates and CDRs too), written through the ANALYTICS
 * binding (wrangler.toml, dataset cxlb_webhooks). writeDataPoint is fire-and-forget: it queues
 * the point in the runtime and returns, so the webhook's answer never waits for it. A missing
 * binding, or one that throws, costs the webhook nothing.
 *
 * Layout (README, Metrics, queries it): index1 = tenant id (the sampling key);
 *   blob1 tenant id, blob2 kind (voice-application, dial-result, session-update, cdr),
 *   blob3 outcome (routed:ringing, dial:busy:ringing, …, or the refusal's code),
 *   blob4 agent id, blob5 group id ('' when not known at the Worker);
 *   double1 latency in ms (request received to answer), double2 HTTP status.
 */

export interface WebhookPoint {
  tenantId: string | null;
  kind: string;
  outcome: string;
  agentId?: string | null;
  groupId?: string | null;
  latencyMs: number;
  statusCode: number;
}

/** Blobs are capped (Analytics Engine takes 16 KB of blobs a point); ids and outcomes are far shorter. */
const MAX_BLOB = 256;
const blob = (value: string | null | undefined) => (value ?? "").slice(0, MAX_BLOB);

export function webhookDataPoint(point: WebhookPoint): AnalyticsEngineDataPoint {
  const tenant = blob(point.tenantId);
  return {
    indexes: [tenant || "none"],
    blobs: [tenant, blob(point.kind), blob(point.outcome), blob(point.agentId), blob(point.groupId)],
    doubles: [Math.max(0, point.latencyMs), point.statusCode],
  };
}

export function writeWebhookPoint(env: { ANALYTICS?: AnalyticsEngineDataset }, point: WebhookPoint): void {
  const dataset = env.ANALYTICS;
  if (!dataset || typeof dataset.writeDataPoint !== "function") return;
  try {
    dataset.writeDataPoint(webhookDataPoint(point));
  } catch (err) {
    log.warn("analytics.write_failed", { kind: point.kind, error: err });
  }
}
