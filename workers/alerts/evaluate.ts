import { and, eq, gte, inArray, sql } from "drizzle-orm";
import { log } from "../lib/log";
import type { Env } from "../env";
import type { Executor } from "../db/executor";
import { type AlertRuleRow, enabledRulesOfKinds, openAlertsAbout, openAlertsOfRules } from "../db/repos/alerts";
import { agentGroups, callRecords, callRollups, deadLetters, voiceAgents } from "../db/schema";
import { findSchedule } from "../db/repos/schedules";
import { scheduleStatusAt } from "../domain/schedules";
import type { CallEventMessage } from "../queue/messages";
import { floorSlot } from "../analytics/slots";
import type { AlertParams } from "../schemas/alerts";
import { type AlertSubject, clearAlert, raiseAlert, resolveAlert } from "./engine";
import { failurePct } from "./notify-text";

/*
 * Where alerts come from:
 *  - agent_unhealthy: on events, as the queue consumer stores a call's agent.health_changed
 *    (the balancer reports each change once: out for health, then healthy again);
 *  - endpoint_disabled: when the delivery consumer disables an endpoint, resolved when an admin
 *    enables it again or deletes it;
 *  - failure_rate, dead_letters and no_answers: every minute, by the cron (evaluateAlertRules),
 *    from the 15-minute call rollups, the parked dead letters, and the schedule and the calls
 *    answered in its window.
 */

const names = async (db: Executor, table: typeof voiceAgents | typeof agentGroups, ids: string[]): Promise<Map<string, string>> => {
  if (!ids.length) return new Map();
  const rows = await db.select({ id: table.id, name: table.name }).from(table).where(inArray(table.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
};

/** Agent health changes among stored call events: open or resolve agent_unhealthy alerts. No query when there are none. */
export async function alertOnCallEvents(env: Env, db: Executor, messages: CallEventMessage[], now = new Date()): Promise<number> {
  const changes = messages.filter((m) => m.type === "agent.health_changed" && !m.settle && typeof m.data.agentId === "string");
  if (!changes.length) return 0;
  const rules = await enabledRulesOfKinds(db, ["agent_unhealthy"], [...new Set(changes.map((m) => m.tenantId))]);
  if (!rules.length) return 0;
  const agentNames = await names(db, voiceAgents, [...new Set(changes.map((m) => m.data.agentId as string))]);
  let touched = 0;
  // In the order they happened, so an out-then-back pair in one batch ends resolved.
  for (const m of [...changes].sort((a, b) => a.at - b.at)) {
    const agentId = m.data.agentId as string;
    const subject: AlertSubject = { type: "agent", id: agentId, name: agentNames.get(agentId) ?? agentId };
    for (const rule of rules) {
      if (rule.tenantId !== m.tenantId) continue;
      const params = rule.params as AlertParams["agent_unhealthy"];
      if (params.agentId && params.agentId !== agentId) continue;
      touched++;
      if (m.data.healthy === false) {
        await raiseAlert(env, db, { tenantId: m.tenantId, rule, kind: "agent_unhealthy", subject, message: `Agent ${subject.name} was taken out of rotation for failing calls`, details: { agentId, callId: m.callId } }, now);
      } else {
        await clearAlert(env, db, m.tenantId, rule, "agent_unhealthy", subject, now);
      }
    }
  }
  return touched;
}

/** The router disabled an endpoint: an alert for each rule that watches it, or the router's own when none does. */
export async function alertEndpointDisabled(env: Env, db: Executor, endpoint: { id: string; tenantId: string; url: string; description: string }, reason: string, now = new Date()): Promise<void> {
  const rules = (await enabledRulesOfKinds(db, ["endpoint_disabled"], [endpoint.tenantId])).filter((r) => {
    const params = r.params as AlertParams["endpoint_disabled"];
    return !params.endpointId || params.endpointId === endpoint.id;
  });
  const subject: AlertSubject = { type: "endpoint", id: endpoint.id, name: endpoint.description || endpoint.url.slice(0, 200) };
  const message = `Event webhook ${subject.name} was disabled: ${reason}`;
  for (const rule of rules.length ? rules : [null]) {
    await raiseAlert(env, db, { tenantId: endpoint.tenantId, rule, kind: "endpoint_disabled", subject, message, details: { endpointId: endpoint.id, url: endpoint.url } }, now);
  }
}

/** An endpoint was enabled again or deleted: whatever alerts it had are resolved. */
export async function clearEndpointAlerts(env: Env, db: Executor, tenantId: string, endpointId: string, now = new Date()): Promise<void> {
  const open = await openAlertsAbout(db, tenantId, "endpoint", endpointId);
  if (!open.length) return;
  const rules = await enabledRulesOfKinds(db, ["endpoint_disabled"], [tenantId]);
  for (const alert of open) await resolveAlert(env, db, alert, rules.find((r) => r.id === alert.ruleId) ?? null, now);
}

interface Finding {
  subject: AlertSubject;
  firing: boolean;
  message: string;
  details: Record<string, unknown>;
}

async function failureRate(db: Executor, rule: AlertRuleRow, now: Date): Promise<Finding> {
  const p = rule.params as AlertParams["failure_rate"];
  const since = new Date(floorSlot(now.getTime() - p.windowMinutes * 60_000));
  const column = p.targetType === "agent" ? callRollups.agentId : callRollups.groupId;
  const [row] = await db
    .select({ attempts: sql<number>`COALESCE(SUM(${callRollups.attempts}), 0)`, failed: sql<number>`COALESCE(SUM(${callRollups.attemptsFailed}), 0)` })
    .from(callRollups)
    .where(and(eq(callRollups.tenantId, rule.tenantId), eq(column, p.targetId), gte(callRollups.slotStart, since)));
  const attempts = Number(row?.attempts ?? 0);
  const failed = Number(row?.failed ?? 0);
  const pct = failurePct(attempts, failed, p.minAttempts);
  const name = (await names(db, p.targetType === "agent" ? voiceAgents : agentGroups, [p.targetId])).get(p.targetId) ?? p.targetId;
  const what = p.targetType === "agent" ? "Agent" : "Group";
  return {
    subject: { type: p.targetType, id: p.targetId, name },
    firing: pct !== null && pct >= p.thresholdPct,
    message: `${what} ${name}: ${pct ?? 0}% of ${attempts} dial attempts failed in the last ${p.windowMinutes} minutes (threshold ${p.thresholdPct}%)`,
    details: { attempts, failed, failurePct: pct, thresholdPct: p.thresholdPct, windowMinutes: p.windowMinutes, since: since.toISOString() },
  };
}

/**
 * No call of the tenant answered during the last `minutes`, while the schedule was open all that
 * time (open at the window's start with no change until now). Closed, or a call answered: not firing.
 */
async function noAnswers(db: Executor, rule: AlertRuleRow, now: Date): Promise<Finding> {
  const p = rule.params as AlertParams["no_answers"];
  const schedule = await findSchedule(db, rule.tenantId, p.scheduleId);
  const subject: AlertSubject = { type: "schedule", id: p.scheduleId, name: schedule?.name ?? p.scheduleId };
  const since = new Date(now.getTime() - p.minutes * 60_000);
  const quiet = { subject, firing: false, message: "", details: {} };
  if (!schedule) return quiet;
  const atStart = scheduleStatusAt(schedule, since.getTime());
  if (!atStart.open || (atStart.changesAt !== null && atStart.changesAt <= now.getTime())) return quiet;
  // Calls answered in the window started at most a few hours before it (a long ring is minutes).
  const [answered] = await db
    .select({ id: callRecords.id })
    .from(callRecords)
    .where(and(eq(callRecords.tenantId, rule.tenantId), gte(callRecords.startedAt, new Date(since.getTime() - 4 * 3_600_000)), gte(callRecords.answeredAt, since)))
    .limit(1);
  if (answered) return quiet;
  return {
    subject,
    firing: true,
    message: `No call answered for ${p.minutes} minutes while schedule ${schedule.name} is open`,
    details: { scheduleId: p.scheduleId, minutes: p.minutes, since: since.toISOString() },
  };
}

async function parkedLetters(db: Executor, rule: AlertRuleRow): Promise<Finding> {
  const p = rule.params as AlertParams["dead_letters"];
  const [row] = await db
    .select({ n: sql<number>`COUNT(*)` })
    .from(deadLetters)
    .where(and(eq(deadLetters.tenantId, rule.tenantId), eq(deadLetters.status, "parked")));
  const parked = Number(row?.n ?? 0);
  return {
    subject: { type: "tenant", id: rule.tenantId, name: "dead letters" },
    firing: parked >= p.minCount,
    message: `${parked} queue message${parked === 1 ? " is" : "s are"} parked in dead letters (see Deliveries)`,
    details: { parked, minCount: p.minCount },
  };
}

/**
 * The cron's part: every enabled failure_rate and dead_letters rule is judged now, opening,
 * repeating (after the cooldown) or resolving its alert. One query per rule, on indexes.
 */
export async function evaluateAlertRules(env: Env, db: Executor, now = new Date()): Promise<{ rules: number; firing: number; resolved: number }> {
  const rules = await enabledRulesOfKinds(db, ["failure_rate", "dead_letters", "no_answers"]);
  const open = await openAlertsOfRules(
    db,
    rules.map((r) => r.id),
  );
  let firing = 0;
  let resolved = 0;
  for (const rule of rules) {
    try {
      const finding = rule.kind === "failure_rate" ? await failureRate(db, rule, now) : rule.kind === "no_answers" ? await noAnswers(db, rule, now) : await parkedLetters(db, rule);
      if (finding.firing) {
        firing++;
        await raiseAlert(env, db, { tenantId: rule.tenantId, rule, kind: rule.kind as "failure_rate" | "dead_letters" | "no_answers", subject: finding.subject, message: finding.message, details: finding.details }, now);
      } else {
        for (const alert of open.filter((a) => a.ruleId === rule.id)) if (await resolveAlert(env, db, alert, rule, now)) resolved++;
      }
    } catch (err) {
      log.error("alerts.evaluate_failed", { ruleId: rule.id, tenantId: rule.tenantId, error: err });
    }
  }
  return { rules: rules.length, firing, resolved };
}
