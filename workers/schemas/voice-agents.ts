import { z } from "zod";
import { agentKindOf, canonicalProviderId, normaliseServiceValue } from "../domain/providers";
import { BooleanQuery, ContextSchema, Name, Page, SearchQuery, Timestamp, VersionField, pageQuery } from "./common";

const ProviderInput = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(40)
  .transform((value, ctx) => {
    const id = canonicalProviderId(value);
    if (!id) {
      ctx.addIssue({ code: "custom", message: `unknown provider "${value}"; GET /api/providers lists the valid ids` });
      return z.NEVER;
    }
    return id;
  })
  .meta({ description: 'A provider id from GET /api/providers: a Cloudonix service ("11labs" is accepted for "elevenlabs"), or "sip", "websocket" or "phone" for a SIP URI, a WebSocket stream or a phone number' });

const Tag = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "a tag must not be empty")
  .max(40, "a tag must be at most 40 characters")
  .regex(/^[^,]+$/, "a tag may not contain a comma");

const Tags = z
  .array(Tag)
  .max(20, "at most 20 tags")
  .transform((tags) => [...new Set(tags)])
  .meta({ description: "Free labels (stored lower-case) to filter and search by" });

const MaxCalls = z.number().int().min(1, "must be at least 1 (or null for no limit)").max(100_000).nullable();
const Weight = z.number().int().min(1, "must be at least 1").max(1000, "must be at most 1000");
const Secretish = (what: string) => z.string().min(1, `an empty ${what} is not allowed; send null to remove it`).max(255);

const agentFields = {
  name: Name,
  provider: ProviderInput,
  serviceValue: z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(512, "must be at most 512 characters")
    .meta({ description: "What Cloudonix dials for this agent: a service's E.164 number, a SIP URI, a wss:// URL or a phone number, as GET /api/providers says for the provider" }),
  username: Secretish("username").nullable().optional().meta({ description: "Credentials Cloudonix presents to the provider, if it needs them" }),
  password: Secretish("password").nullable().optional().meta({ description: "Write-only: stored encrypted, never returned (see hasPassword); null removes it" }),
  enabled: z.boolean().optional(),
  maxConcurrentCalls: MaxCalls.optional().meta({ description: "Calls this agent takes at once; null = no limit" }),
  weight: Weight.optional().meta({ description: "Relative share in weighted strategies (1-1000)" }),
  tags: Tags.optional(),
  trunkId: z.string().min(1).max(64).nullable().optional().meta({ description: 'Phone-number agents ("phone"): the trunk to dial out through; null = Cloudonix chooses (a subscriber, or its border)' }),
  context: ContextSchema.optional(),
  providerAccountId: z.string().min(1).max(64).nullable().optional().meta({ description: "The provider account (GET /api/provider-accounts) whose concurrent-call cap this agent's calls count against; null = none" }),
};

/** Normalises the service value for the provider, reporting problems on serviceValue. */
function checkServiceValue<T extends { provider?: string; serviceValue?: string; trunkId?: string | null; username?: string | null; password?: string | null }>(value: T, ctx: z.RefinementCtx): T {
  const kind = value.provider ? agentKindOf(value.provider) : null;
  if (value.trunkId && kind && kind !== "number") ctx.addIssue({ code: "custom", path: ["trunkId"], message: 'only phone-number agents ("phone") dial through a trunk' });
  if (kind === "stream" || kind === "number") {
    for (const field of ["username", "password"] as const) {
      if (value[field]) ctx.addIssue({ code: "custom", path: [field], message: `${kind === "stream" ? "a WebSocket" : "a phone-number"} agent takes no credentials` });
    }
  }
  if (value.provider && value.serviceValue !== undefined) {
    const result = normaliseServiceValue(value.provider, value.serviceValue);
    if (!result.ok) ctx.addIssue({ code: "custom", path: ["serviceValue"], message: result.error });
    else value.serviceValue = result.value;
  }
  return value;
}

export const CreateAgentBody = z.strictObject(agentFields).transform(checkServiceValue);
export type CreateAgentInput = z.output<typeof CreateAgentBody>;

export const UpdateAgentBody = z
  .strictObject({
    name: agentFields.name.optional(),
    provider: agentFields.provider.optional(),
    serviceValue: agentFields.serviceValue.optional(),
    username: agentFields.username,
    password: agentFields.password,
    enabled: agentFields.enabled,
    maxConcurrentCalls: agentFields.maxConcurrentCalls,
    weight: agentFields.weight,
    tags: agentFields.tags,
    trunkId: agentFields.trunkId,
    context: agentFields.context,
    providerAccountId: agentFields.providerAccountId,
    version: VersionField,
  })
  .transform(checkServiceValue)
  .meta({ description: "Only the fields sent change" });
export type UpdateAgentInput = z.output<typeof UpdateAgentBody>;

export const ToggleAgentBody = z.strictObject({
  enabled: z.boolean().optional().meta({ description: "The state to set; omitted = flip the current state" }),
  version: VersionField,
});

export const BulkAgentsBody = z.strictObject({
  action: z.enum(["enable", "disable", "delete"], { message: 'must be "enable", "disable" or "delete"' }),
  ids: z
    .array(z.string().min(1).max(64))
    .min(1, "list at least one id")
    .max(100, "at most 100 ids per request")
    .refine((ids) => new Set(ids).size === ids.length, "each id may appear only once"),
});

export const AGENT_SORTS = ["name", "createdAt", "updatedAt", "provider", "weight"] as const;

export const ListAgentsQuery = z.strictObject({
  q: SearchQuery.meta({ description: "Matches name, service value, username or a tag (case-insensitive substring)" }),
  provider: z.string().optional().meta({ description: "Only agents of this provider (aliases accepted)" }),
  enabled: BooleanQuery.optional(),
  tags: z
    .string()
    .optional()
    .transform((value) =>
      value
        ? [
            ...new Set(
              value
                .split(",")
                .map((tag) => tag.trim().toLowerCase())
                .filter(Boolean),
            ),
          ]
        : undefined,
    )
    .meta({ description: "Comma-separated; agents carrying every one of these tags" }),
  groupId: z.string().max(64).optional().meta({ description: "Only members of this group" }),
  ...pageQuery(AGENT_SORTS, "name", 1000),
});
export type ListAgentsFilters = z.output<typeof ListAgentsQuery>;

export const AgentSchema = z.object({
  id: z.string(),
  name: z.string(),
  provider: z.string(),
  serviceValue: z.string(),
  username: z.string().nullable(),
  hasPassword: z.boolean(),
  enabled: z.boolean(),
  maxConcurrentCalls: z.number().int().nullable(),
  weight: z.number().int(),
  tags: z.array(z.string()),
  kind: z.enum(["service", "sip", "stream", "number"]).meta({ description: "How Cloudonix reaches the agent: <Service>, <Sip>, <Connect><Stream> or <Number>" }),
  trunkId: z.string().nullable(),
  context: z.array(z.object({ name: z.string(), value: z.string() })),
  providerAccountId: z.string().nullable(),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type AgentDto = z.output<typeof AgentSchema>;

export const AgentPage = Page(AgentSchema);

export const BulkResult = z.object({
  action: z.enum(["enable", "disable", "delete"]),
  ids: z.array(z.string()),
  /** Entities whose state actually changed. */
  changed: z.number().int(),
});

export const AgentStatusSchema = z.object({
  agentId: z.string(),
  enabled: z.boolean(),
  groups: z.array(z.string()).meta({ description: "Ids of the groups this agent is a member of" }),
  live: z.record(z.string(), z.unknown()).nullable().meta({ description: "Live figures from the group balancers (active calls, health, recent load); null while unavailable" }),
});

export function toAgentDto(row: {
  id: string;
  name: string;
  provider: string;
  serviceValue: string;
  username: string | null;
  /** A full row has passwordEnc; a list row has hasPassword. */
  passwordEnc?: string | null;
  hasPassword?: boolean;
  enabled: boolean;
  maxConcurrentCalls: number | null;
  weight: number;
  tags: string[];
  trunkId?: string | null;
  context?: { name: string; value: string }[] | null;
  providerAccountId?: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}): AgentDto {
  return {
    id: row.id,
    name: row.name,
    provider: row.provider,
    serviceValue: row.serviceValue,
    username: row.username,
    hasPassword: row.hasPassword ?? (row.passwordEnc !== null && row.passwordEnc !== undefined),
    enabled: row.enabled,
    maxConcurrentCalls: row.maxConcurrentCalls,
    weight: row.weight,
    tags: row.tags,
    kind: agentKindOf(row.provider),
    trunkId: row.trunkId ?? null,
    context: row.context ?? [],
    providerAccountId: row.providerAccountId ?? null,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
