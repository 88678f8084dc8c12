import { z } from "zod";
import { ALERT_KINDS, ALERT_STATUSES } from "../domain/integrations";
import { endpointUrlProblem, MAX_URL_LENGTH } from "../integrations/endpoint-url";
import { Timestamp, VersionField } from "./common";
import { CursorSchema, LimitSchema } from "./paging";

/*
 * Alert rules: what to watch (kind + params) and where to say so (the tenant's event webhooks
 * that take alert.fired / alert.resolved, and an optional Slack-compatible incoming webhook).
 */

const RefId = z.string().trim().min(1).max(64);

export const AgentUnhealthyParams = z
  .strictObject({ agentId: RefId.nullable().default(null).meta({ description: "One agent, or null for any agent of the tenant" }) })
  .meta({ description: "Fires when the balancer takes an agent out of rotation for health; resolves when it is back" });

export const FailureRateParams = z
  .strictObject({
    targetType: z.enum(["agent", "group"], { message: 'must be "agent" or "group"' }),
    targetId: RefId,
    thresholdPct: z.number().min(1, "must be 1 to 100").max(100, "must be 1 to 100").meta({ description: "Fires when this share of dial attempts or more failed" }),
    windowMinutes: z.number().int().min(15, "must be 15 to 1440").max(1_440, "must be 15 to 1440").default(60).meta({ description: "Over the calls of the last this many minutes (counted in 15-minute slots)" }),
    minAttempts: z.number().int().min(1).max(100_000).default(10).meta({ description: "Not judged on fewer attempts than this" }),
  })
  .meta({ description: "An agent's or group's failed share of dial attempts over a window" });

export const DeadLettersParams = z
  .strictObject({ minCount: z.number().int().min(1).max(100_000).default(1).meta({ description: "Fires when at least this many of the tenant's queue messages are parked" }) })
  .meta({ description: "Queue messages parked in dead letters (see Deliveries)" });

export const EndpointDisabledParams = z
  .strictObject({ endpointId: RefId.nullable().default(null).meta({ description: "One event webhook, or null for any" }) })
  .meta({ description: "The router disabled an event webhook that kept failing; resolves when it is enabled again or deleted" });

export const NoAnswersParams = z
  .strictObject({
    scheduleId: RefId.meta({ description: "The schedule whose open hours are watched" }),
    minutes: z.number().int().min(5, "must be 5 to 1440").max(1_440, "must be 5 to 1440").default(30).meta({ description: "Fires when no call was answered for this long while the schedule was open all along" }),
  })
  .meta({ description: "No call answered for N minutes while a schedule is open" });

export const PARAMS_BY_KIND = {
  agent_unhealthy: AgentUnhealthyParams,
  failure_rate: FailureRateParams,
  dead_letters: DeadLettersParams,
  endpoint_disabled: EndpointDisabledParams,
  no_answers: NoAnswersParams,
} as const satisfies Record<(typeof ALERT_KINDS)[number], z.ZodType>;

export type AlertParams = {
  agent_unhealthy: z.output<typeof AgentUnhealthyParams>;
  failure_rate: z.output<typeof FailureRateParams>;
  dead_letters: z.output<typeof DeadLettersParams>;
  endpoint_disabled: z.output<typeof EndpointDisabledParams>;
  no_answers: z.output<typeof NoAnswersParams>;
};

/** A Slack (or Mattermost, Rocket.Chat…) incoming webhook: it is a credential, so write-only. */
export const SlackUrl = z
  .string()
  .max(MAX_URL_LENGTH, `must be at most ${MAX_URL_LENGTH} characters`)
  .superRefine((value, ctx) => {
    const problem = endpointUrlProblem(value, { production: false });
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .meta({ description: 'A Slack-compatible incoming webhook URL; it receives {"text": "…"}. Write-only.' });

const RuleName = z.string().trim().min(1, "must not be empty").max(120, "must be at most 120 characters");
const Cooldown = z.number().int().min(1, "must be 1 to 1440").max(1_440, "must be 1 to 1440").meta({ description: "An open alert is notified again at most this often (minutes) while it stays true" });

const common = {
  name: RuleName,
  enabled: z.boolean().optional(),
  cooldownMinutes: Cooldown.optional(),
  notifyWebhooks: z.boolean().optional().meta({ description: "Send alert.fired / alert.resolved to the event webhooks that take them (default true)" }),
  slackUrl: SlackUrl.nullable().optional(),
};

export const CreateAlertRuleBody = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({ kind: z.literal("agent_unhealthy"), params: AgentUnhealthyParams.optional(), ...common }),
    z.strictObject({ kind: z.literal("failure_rate"), params: FailureRateParams, ...common }),
    z.strictObject({ kind: z.literal("dead_letters"), params: DeadLettersParams.optional(), ...common }),
    z.strictObject({ kind: z.literal("endpoint_disabled"), params: EndpointDisabledParams.optional(), ...common }),
    z.strictObject({ kind: z.literal("no_answers"), params: NoAnswersParams, ...common }),
  ],
  { message: `kind must be one of ${ALERT_KINDS.join(", ")}` },
);

export const UpdateAlertRuleBody = z
  .strictObject({
    name: RuleName.optional(),
    params: z.record(z.string(), z.unknown()).optional().meta({ description: "The rule's params, whole, as for its kind (the kind cannot change)" }),
    enabled: z.boolean().optional(),
    cooldownMinutes: Cooldown.optional(),
    notifyWebhooks: z.boolean().optional(),
    slackUrl: SlackUrl.nullable().optional().meta({ description: "null removes it" }),
    version: VersionField,
  })
  .meta({ description: "Only the fields sent change" });

export const AlertRuleSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(ALERT_KINDS),
  params: z.record(z.string(), z.unknown()),
  enabled: z.boolean(),
  cooldownMinutes: z.number().int(),
  notifyWebhooks: z.boolean(),
  hasSlackUrl: z.boolean().meta({ description: "Whether a Slack-compatible URL is set (it is never shown back)" }),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type AlertRuleDto = z.output<typeof AlertRuleSchema>;
export const AlertRuleList = z.object({ items: z.array(AlertRuleSchema) });

/** At most this many rules per tenant: every cron run evaluates them all. */
export const MAX_ALERT_RULES = 50;

export const ListAlertsQuery = z.strictObject({
  status: z.enum(ALERT_STATUSES, { message: 'must be "open" or "resolved"' }).optional(),
  limit: LimitSchema(200),
  cursor: CursorSchema,
});

export const AlertSchema = z.object({
  id: z.string(),
  ruleId: z.string().nullable().meta({ description: "null for the router's own alerts (an endpoint it disabled while no rule watched for it)" }),
  ruleName: z.string().nullable(),
  kind: z.string(),
  subject: z.object({ type: z.string(), id: z.string(), name: z.string() }),
  status: z.enum(ALERT_STATUSES),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).nullable(),
  openedAt: Timestamp,
  lastNotifiedAt: Timestamp.nullable(),
  notifications: z.number().int(),
  resolvedAt: Timestamp.nullable(),
});
export type AlertDto = z.output<typeof AlertSchema>;
export const AlertPage = z.object({ items: z.array(AlertSchema), nextCursor: z.string().nullable() });
