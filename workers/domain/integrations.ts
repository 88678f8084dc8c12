/**
 * The closed lists of event webhooks and alerts, shared by the database, the API and the SPA.
 * No imports, so the SPA can use them without pulling in anything else.
 */

/** What a tenant's event webhook can subscribe to. */
export const EVENT_TYPES = ["call.started", "call.answered", "call.failed_over", "call.ended", "agent.health_changed", "config.changed", "alert.fired", "alert.resolved"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * A delivery's life: `held` waits behind an earlier event of the same call to the same endpoint
 * (per-call order), `pending` is due (first try or a retry), then `delivered` (a 2xx), `failed`
 * (its retries spent) or `cancelled` (its endpoint was disabled first).
 */
export const DELIVERY_STATUSES = ["held", "pending", "delivered", "failed", "cancelled"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Where a delivery goes: a signed event webhook, or an alert rule's Slack-compatible incoming webhook. */
export const DELIVERY_CHANNELS = ["webhook", "slack"] as const;

/** An attempt the retry schedule made, or one an admin asked for (Resend). */
export const ATTEMPT_TRIGGERS = ["auto", "resend"] as const;

/** What an alert rule watches. */
export const ALERT_KINDS = ["agent_unhealthy", "failure_rate", "dead_letters", "endpoint_disabled", "no_answers"] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_STATUSES = ["open", "resolved"] as const;
