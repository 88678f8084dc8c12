import { z } from "zod";
import { CursorSchema, LimitSchema } from "./paging";
import { Timestamp } from "./common";

const DateTimeQuery = z.iso.datetime({ offset: true, message: "must be an ISO 8601 date-time like 2026-01-31T00:00:00Z" }).transform((value) => new Date(value));

export const ListAuditQuery = z
  .strictObject({
    entityType: z.string().max(40).optional().meta({ description: "voice_agent, agent_group, inbound_rule, outbound_rule, trunk, tenant or user" }),
    entityId: z.string().max(64).optional(),
    actor: z.string().max(320).optional().meta({ description: "A user id or email, or an API key id" }),
    action: z.string().max(64).optional().meta({ description: 'Exact ("voice_agent.deleted") or a prefix ending in "." ("voice_agent.")' }),
    from: DateTimeQuery.optional().meta({ description: "Entries at or after this time" }),
    to: DateTimeQuery.optional().meta({ description: "Entries before this time" }),
    order: z.enum(["asc", "desc"], { message: 'must be "asc" or "desc"' }).default("desc"),
    limit: LimitSchema(200),
    cursor: CursorSchema,
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: "from must be before to", path: ["from"] });

export const AuditEntrySchema = z.object({
  id: z.number().int(),
  at: Timestamp,
  actor: z.object({
    userId: z.string().nullable(),
    email: z.string().nullable(),
    apiKey: z.object({ id: z.string(), name: z.string().nullable() }).nullable().meta({ description: "The API key that made the change (then no user)" }),
  }),
  ip: z.string().nullable().meta({ description: "The client address (CF-Connecting-IP)" }),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown().meta({ description: "The entity before the change (secrets redacted); null when created" }),
  after: z.unknown().meta({ description: "The entity after the change (secrets redacted); null when deleted" }),
});
