import { z } from "zod";
import { STRATEGIES } from "../domain/enums";
import { BooleanQuery, ContextSchema, FAILOVER_OUTCOMES, FailoverOnSchema, Name, OverflowSchema, Page, SearchQuery, Timestamp, TimeLimitField, VersionField, pageQuery } from "./common";

export const StrategySchema = z.enum(STRATEGIES, { message: `must be one of ${STRATEGIES.join(", ")}` }).meta({ description: "round_robin: rotate (weights respected); priority: ordered failover; load_balanced: fewest calls in the rolling window" });

const settings = {
  description: z.string().trim().max(1000).optional(),
  strategy: StrategySchema.optional(),
  rollingWindowHours: z.number().int().min(1, "must be 1 to 168 hours").max(168, "must be 1 to 168 hours").optional().meta({ description: "load_balanced: the window calls are counted over (default 24)" }),
  maxAttempts: z.number().int().min(1, "must be 1 to 10").max(10, "must be 1 to 10").optional().meta({ description: "Agents tried per call before the rule's fallback (default 3)" }),
  stickyTtlSeconds: z
    .number()
    .int()
    .min(1)
    .max(30 * 86_400, "must be at most 30 days (2592000 s)")
    .nullable()
    .optional()
    .meta({ description: "Send a returning caller to the same agent for this long; null = off" }),
  enabled: z.boolean().optional(),
  failoverOn: FailoverOnSchema.nullable()
    .optional()
    .meta({ description: `Dial outcomes (${FAILOVER_OUTCOMES.join(", ")}) that try the next agent; the others end the call. null = all of them (the default)` }),
  timeLimitSec: TimeLimitField.optional().meta({ description: "Maximum call length in seconds (Dial timeLimit); the rule's applies when tighter. null = none" }),
  context: ContextSchema.optional(),
  overflow: OverflowSchema.nullable().optional().meta({ description: "When every eligible member (or provider account) is full: the plan's next stage (null or next, the default), an announcement, or a person" }),
};

export const MemberInput = z.strictObject({
  agentId: z.string().min(1).max(64),
  priority: z.number().int().min(0).max(1000).optional().meta({ description: "priority strategy: lower goes first; equal priorities rotate (default 0)" }),
  weight: z.number().int().min(1).max(1000).nullable().optional().meta({ description: "Overrides the agent's weight in this group; null = the agent's" }),
  capacity: z.number().int().min(1).max(100_000).nullable().optional().meta({ description: "Overrides the agent's max concurrent calls in this group; null = the agent's" }),
});
export type MemberInputValue = z.output<typeof MemberInput>;

export const MAX_MEMBERS = 1000;

const MemberList = z
  .array(MemberInput)
  .max(MAX_MEMBERS, `a group may have at most ${MAX_MEMBERS} members`)
  .superRefine((members, ctx) => {
    const seen = new Map<string, number>();
    members.forEach((member, index) => {
      const first = seen.get(member.agentId);
      if (first !== undefined) ctx.addIssue({ code: "custom", path: [index, "agentId"], message: `agent ${member.agentId} is already listed at position ${first}` });
      else seen.set(member.agentId, index);
    });
  })
  .meta({ description: "Ordered: the position in this list is the member's order" });

export const CreateGroupBody = z.strictObject({ name: Name, ...settings, members: MemberList.optional() });
export const UpdateGroupBody = z.strictObject({ name: Name.optional(), ...settings, version: VersionField }).meta({ description: "Only the fields sent change; members change with PUT /{id}/members" });
export type UpdateGroupInput = z.output<typeof UpdateGroupBody>;

export const ReplaceMembersBody = z.strictObject({ members: MemberList, version: VersionField });

export const MemberSchema = z.object({
  agentId: z.string(),
  position: z.number().int(),
  priority: z.number().int(),
  weight: z.number().int().nullable(),
  capacity: z.number().int().nullable(),
  agent: z.object({ name: z.string(), provider: z.string(), enabled: z.boolean(), weight: z.number().int(), maxConcurrentCalls: z.number().int().nullable() }),
});

export const GroupSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  strategy: StrategySchema,
  rollingWindowHours: z.number().int(),
  maxAttempts: z.number().int(),
  stickyTtlSeconds: z.number().int().nullable(),
  enabled: z.boolean(),
  failoverOn: z.array(z.enum(FAILOVER_OUTCOMES)).nullable(),
  timeLimitSec: z.number().int().nullable(),
  context: z.array(z.object({ name: z.string(), value: z.string() })),
  overflow: OverflowSchema.nullable(),
  memberCount: z.number().int(),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type GroupDto = z.output<typeof GroupSchema>;

export const GroupDetailSchema = GroupSchema.extend({ members: z.array(MemberSchema) });
export const GroupPage = Page(GroupSchema);
export const MembersResponse = z.object({ groupId: z.string(), version: z.number().int(), members: z.array(MemberSchema) });

export const GroupStatsSchema = z.object({
  groupId: z.string(),
  strategy: StrategySchema,
  rollingWindowHours: z.number().int(),
  members: z.array(MemberSchema),
  live: z.record(z.string(), z.unknown()).nullable().meta({ description: "Live figures from the group's balancer; null while unavailable" }),
});

export const GROUP_SORTS = ["name", "createdAt", "updatedAt"] as const;
export const ListGroupsQuery = z.strictObject({
  q: SearchQuery.meta({ description: "Matches name or description" }),
  strategy: StrategySchema.optional(),
  enabled: BooleanQuery.optional(),
  agentId: z.string().max(64).optional().meta({ description: "Only groups this agent is a member of" }),
  ...pageQuery(GROUP_SORTS, "name", 200),
});
