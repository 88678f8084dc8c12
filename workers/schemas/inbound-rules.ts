import { z } from "zod";
import { HEADER_NAME, MAX_HEADER_NAME, MAX_HEADER_VALUE } from "../domain/carrier-headers";
import { parsePattern } from "../domain/numbers";
import { BooleanQuery, ContextSchema, FallbackSchema, OverflowSchema, Page, pageQuery, SearchQuery, TimeLimitField, Timestamp, VersionField } from "./common";

export const PatternInput = z
  .string()
  .max(64, "must be at most 64 characters")
  .transform((value, ctx) => {
    const parsed = parsePattern(value);
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", message: `${parsed.error}. Use +15551234567 for one number or +1555* for every number starting with +1555` });
      return z.NEVER;
    }
    return { pattern: parsed.pattern, matchType: parsed.matchType, digits: parsed.digits };
  })
  .meta({ description: 'The called number: "+15551234567" (exactly this number), "+1555*" (every number starting with it) or "*" (every call). Spaces, dashes and brackets are ignored.' });

export const TargetSchema = z
  .discriminatedUnion("type", [z.strictObject({ type: z.literal("agent"), id: z.string().min(1).max(64) }), z.strictObject({ type: z.literal("group"), id: z.string().min(1).max(64) })], {
    message: 'type must be "agent" or "group"',
  })
  .meta({ description: "The voice agent or agent group that takes the calls" });

export const HeaderConditionSchema = z
  .strictObject({
    name: z
      .string()
      .trim()
      .min(1, "is required: the carrier header's name, e.g. X-Tenant")
      .max(MAX_HEADER_NAME, `must be at most ${MAX_HEADER_NAME} characters`)
      .regex(HEADER_NAME, "must be a SIP header name: letters, digits and - . _ ! % * + ` ' ~ (no spaces or colons)"),
    value: z.string().trim().min(1, "is required: the value the header must have").max(MAX_HEADER_VALUE, `must be at most ${MAX_HEADER_VALUE} characters`),
  })
  .meta({ description: "The rule applies only to calls whose carrier SIP header `name` (any case) equals `value`; it then wins over a rule of the same pattern without a condition" });

const Priority = z.number().int().min(0, "must be 0 to 10000").max(10_000, "must be 0 to 10000").meta({ description: "Lower wins among rules that are otherwise equal (default 100)" });
const RuleName = z.string().trim().max(200, "must be at most 200 characters");

/** Opening hours: the rule routes to its target while its schedule is open, elsewhere while closed (routing/schedule-gate.ts). */
const scheduleFields = {
  scheduleId: z.string().min(1).max(64).nullable().optional().meta({ description: "One of the tenant's schedules (/api/schedules): the rule routes to its target while the schedule is open; null = always open" }),
  closedTarget: FallbackSchema.nullable().optional().meta({ description: "Where calls go while the schedule is closed; null = the rule's fallback, else the tenant's default fallback, else its unmatched action" }),
};

export const CALL_TYPES = ["inbound", "api"] as const;
const CallType = z
  .enum(CALL_TYPES, { message: 'must be "inbound" or "api"' })
  .meta({ description: "inbound: calls to the tenant's numbers; api: calls the tenant started through Cloudonix's API (Direction=outbound-api), already answered by the person called, matched on To, then From" });

/** Settings every rule has beside its pattern and target. */
const ruleExtras = {
  callType: CallType.optional(),
  timeLimitSec: TimeLimitField.optional().meta({ description: "Maximum call length in seconds (Dial timeLimit); the group's applies when tighter. null = none" }),
  context: ContextSchema.optional(),
  overflow: OverflowSchema.nullable().optional().meta({ description: "When every eligible agent (or provider account) of the target is full; beats the group's. null = the group's, else the next stage" }),
};

export const CreateInboundBody = z.strictObject({
  name: RuleName.optional(),
  pattern: PatternInput,
  target: TargetSchema,
  priority: Priority.optional(),
  enabled: z.boolean().optional(),
  fallback: FallbackSchema.nullable().optional().meta({ description: "Where the call goes when the target cannot take it; null = a clean hang-up" }),
  header: HeaderConditionSchema.nullable().optional(),
  ...scheduleFields,
  ...ruleExtras,
});

export const UpdateInboundBody = z
  .strictObject({
    name: RuleName.optional(),
    pattern: PatternInput.optional(),
    target: TargetSchema.optional(),
    priority: Priority.optional(),
    enabled: z.boolean().optional(),
    fallback: FallbackSchema.nullable().optional(),
    header: HeaderConditionSchema.nullable().optional().meta({ description: "null removes the condition" }),
    ...scheduleFields,
    ...ruleExtras,
    version: VersionField,
  })
  .meta({ description: "Only the fields sent change" });

export const InboundRuleSchema = z.object({
  id: z.string(),
  name: z.string(),
  pattern: z.string().meta({ description: 'Normalised: digits, with a trailing * for prefixes ("1555*")' }),
  displayPattern: z.string().meta({ description: 'As people write it: "+1555*"' }),
  matchType: z.enum(["exact", "prefix"]),
  priority: z.number().int(),
  enabled: z.boolean(),
  target: TargetSchema,
  fallback: FallbackSchema.nullable(),
  header: z.object({ name: z.string(), value: z.string() }).nullable().meta({ description: "The carrier-header condition; null = every call matching the pattern" }),
  scheduleId: z.string().nullable().meta({ description: "The rule's opening hours; null = always open" }),
  closedTarget: FallbackSchema.nullable(),
  callType: CallType,
  timeLimitSec: z.number().int().nullable(),
  context: z.array(z.object({ name: z.string(), value: z.string() })),
  overflow: OverflowSchema.nullable(),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type InboundRuleDto = z.output<typeof InboundRuleSchema>;
export const InboundRulePage = Page(InboundRuleSchema);

export const INBOUND_SORTS = ["pattern", "priority", "name", "createdAt", "updatedAt"] as const;
export const ListInboundQuery = z.strictObject({
  q: SearchQuery.meta({ description: "Matches the name or the pattern's digits" }),
  enabled: BooleanQuery.optional(),
  matchType: z.enum(["exact", "prefix"], { message: 'must be "exact" or "prefix"' }).optional(),
  targetType: z.enum(["agent", "group"], { message: 'must be "agent" or "group"' }).optional(),
  targetId: z.string().max(64).optional(),
  ...pageQuery(INBOUND_SORTS, "pattern", 500),
});

/** "1555*" → "+1555*"; the catch-all stays "*". */
export const displayPattern = (pattern: string) => (pattern === "*" ? "*" : `+${pattern}`);
