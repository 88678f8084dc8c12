import type { Env } from "../env";
import { log } from "../lib/log";
import { isDuplicateKey, type Executor } from "../db/executor";
import { type AlertRow, type AlertRuleRow, findOpenAlert, insertAlert, markRenotified, markResolved } from "../db/repos/alerts";
import { insertDeliveries } from "../db/repos/event-webhooks";
import type { AlertKind } from "../domain/integrations";
import { newId } from "../lib/ids";
import { deliveryId } from "../integrations/events";
import { emitTenantEvent, enqueueDeliveries } from "../integrations/outbox";
import { cooldownOver, slackPayload } from "./notify-text";

/*
 * Opening, repeating and resolving alerts. An alert is one row per rule and subject while it
 * holds (alerts.open_key, unique): it is notified when it opens, again at most once per the
 * rule's cooldown while whatever raises it keeps raising it, and once more when it resolves.
 * Notifications are alert.fired / alert.resolved events to the tenant's event webhooks that take
 * them (signed like every event) and, when the rule has one, a Slack-compatible incoming webhook;
 * both go through the same delivery queue, retries and log.
 */

export interface AlertSubject {
  type: "agent" | "group" | "endpoint" | "schedule" | "tenant";
  id: string;
  name: string;
}

export interface AlertCondition {
  tenantId: string;
  /** null: the router's own alert (an endpoint it disabled while no rule watched for that). */
  rule: AlertRuleRow | null;
  kind: AlertKind;
  subject: AlertSubject;
  message: string;
  details?: Record<string, unknown>;
}

/** Without a rule, the router's own alerts repeat at most hourly. */
const DEFAULT_COOLDOWN_MINUTES = 60;

export const openKeyOf = (rule: AlertRuleRow | null, kind: string, subject: AlertSubject) => `${rule ? rule.id : `router.${kind}`}:${subject.type}:${subject.id}`.slice(0, 128);

/** Opens the alert, or notifies it again if its cooldown is over. Returns what happened. */
export async function raiseAlert(env: Env, db: Executor, c: AlertCondition, now = new Date()): Promise<"opened" | "repeated" | "quiet"> {
  const openKey = openKeyOf(c.rule, c.kind, c.subject);
  const existing = await findOpenAlert(db, c.tenantId, openKey);
  if (!existing) {
    const row = {
      id: newId("alr", now.getTime()),
      tenantId: c.tenantId,
      ruleId: c.rule?.id ?? null,
      kind: c.kind,
      subjectType: c.subject.type,
      subjectId: c.subject.id.slice(0, 64),
      subjectName: c.subject.name.slice(0, 200),
      status: "open" as const,
      openKey,
      message: c.message.slice(0, 500),
      details: c.details ?? null,
      openedAt: now,
      lastNotifiedAt: now,
      notifications: 1,
    };
    try {
      await insertAlert(db, row);
    } catch (err) {
      // Another evaluator opened it a moment ago: it has notified.
      if (isDuplicateKey(err)) return "quiet";
      throw err;
    }
    await notify(env, db, c.rule, { ...row, resolvedAt: null, updatedAt: now }, "fired", false);
    return "opened";
  }
  if (!cooldownOver(existing.lastNotifiedAt, c.rule?.cooldownMinutes ?? DEFAULT_COOLDOWN_MINUTES, now)) return "quiet";
  if (!(await markRenotified(db, existing.id, existing.lastNotifiedAt, now, c.message.slice(0, 500), c.details ?? existing.details))) return "quiet";
  await notify(env, db, c.rule, { ...existing, message: c.message.slice(0, 500), details: c.details ?? existing.details, lastNotifiedAt: now, notifications: existing.notifications + 1 }, "fired", true);
  return "repeated";
}

/** Resolves an open alert and says so; false when it was already resolved. */
export async function resolveAlert(env: Env, db: Executor, alert: AlertRow, rule: AlertRuleRow | null, now = new Date()): Promise<boolean> {
  if (!(await markResolved(db, alert.id, now))) return false;
  await notify(env, db, rule, { ...alert, status: "resolved", resolvedAt: now }, "resolved", false);
  return true;
}

/** Resolves the open alert of a rule and subject, if there is one. */
export async function clearAlert(env: Env, db: Executor, tenantId: string, rule: AlertRuleRow | null, kind: AlertKind, subject: AlertSubject, now = new Date()): Promise<boolean> {
  const existing = await findOpenAlert(db, tenantId, openKeyOf(rule, kind, subject));
  return existing ? resolveAlert(env, db, existing, rule, now) : false;
}

export function alertEventData(alert: AlertRow, rule: AlertRuleRow | null, repeat: boolean) {
  return {
    alertId: alert.id,
    ruleId: alert.ruleId,
    ruleName: rule?.name ?? null,
    kind: alert.kind,
    subject: { type: alert.subjectType, id: alert.subjectId, name: alert.subjectName },
    status: alert.status,
    message: alert.message,
    details: alert.details ?? null,
    openedAt: alert.openedAt.toISOString(),
    resolvedAt: alert.resolvedAt?.toISOString() ?? null,
    repeat,
    notifications: alert.notifications,
  };
}

/**
 * Sends one notification of an alert; a failure to queue it is logged, never thrown: the
 * alert itself is stored, and the console lists it whatever happened to its notifications.
 */
async function notify(env: Env, db: Executor, rule: AlertRuleRow | null, alert: AlertRow, state: "fired" | "resolved", repeat: boolean): Promise<void> {
  const now = new Date();
  try {
    if (rule ? rule.notifyWebhooks : true) {
      await emitTenantEvent(env, db, alert.tenantId, state === "fired" ? "alert.fired" : "alert.resolved", alertEventData(alert, rule, repeat), {
        // An endpoint's own disabling is not sent to it.
        ...(alert.subjectType === "endpoint" ? { exceptEndpoint: alert.subjectId } : {}),
        now,
      });
    }
    if (rule?.slackUrlEnc) {
      // The URL stays with the rule (encrypted); the sender reads it when the delivery goes out.
      const eventId = newId("evt", now.getTime());
      const id = await deliveryId(`slack:${rule.id}`, eventId);
      await insertDeliveries(db, [
        {
          id,
          tenantId: alert.tenantId,
          channel: "slack",
          alertRuleId: rule.id,
          eventId,
          eventType: state === "fired" ? "alert.fired" : "alert.resolved",
          payload: JSON.stringify(slackPayload({ state, repeat, ruleName: rule.name, message: alert.message })),
          status: "pending",
          nextAttemptAt: now,
          createdAt: now,
        },
      ]);
      await enqueueDeliveries(env, [{ id, tenantId: alert.tenantId }]);
    }
  } catch (err) {
    log.error("alerts.notify_failed", { alertId: alert.id, state, tenantId: alert.tenantId, error: err });
  }
}
