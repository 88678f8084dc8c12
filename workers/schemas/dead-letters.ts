import { z } from "zod";
import type { deadLetters } from "../db/schema";
import { CursorSchema, LimitSchema } from "./paging";
import { Page, Timestamp } from "./common";
import { Instant } from "./call-records";

/** The column's values, repeated here so that the SPA can import them without the Drizzle schema. */
export const DEAD_LETTER_STATUSES = ["parked", "replayed", "discarded"] as const satisfies readonly (typeof deadLetters.$inferSelect)["status"][];

export const ListDeadLettersQuery = z
  .strictObject({
    status: z.enum(DEAD_LETTER_STATUSES, { message: `must be one of ${DEAD_LETTER_STATUSES.join(", ")}` }).optional(),
    kind: z.string().trim().min(1).max(32).optional().meta({ description: "The message's kind: call_event, webhook or export" }),
    queue: z.string().trim().min(1).max(64).optional().meta({ description: "call-events or call-events-dlq" }),
    callId: z.string().trim().min(1).max(128).optional(),
    since: Instant.optional().meta({ description: "Parked at or after this instant" }),
    until: Instant.optional().meta({ description: "Parked before this instant" }),
    limit: LimitSchema(200),
    cursor: CursorSchema,
  })
  .superRefine((value, ctx) => {
    if (value.since && value.until && value.since >= value.until) ctx.addIssue({ code: "custom", path: ["until"], message: "must be after since" });
  });
export type DeadLetterFilters = Omit<z.output<typeof ListDeadLettersQuery>, "limit" | "cursor">;

export const DeadLetterSchema = z.object({
  id: z.number().int(),
  queue: z.string(),
  messageId: z.string(),
  kind: z.string().nullable(),
  callId: z.string().nullable(),
  error: z.string().nullable(),
  attempts: z.number().int(),
  status: z.enum(DEAD_LETTER_STATUSES),
  bodyTruncated: z.boolean(),
  receivedAt: Timestamp,
  replayedAt: Timestamp.nullable(),
  resolvedAt: Timestamp.nullable(),
  resolvedBy: z.string().nullable().meta({ description: "The admin who replayed or discarded it" }),
});
export type DeadLetterDto = z.output<typeof DeadLetterSchema>;

export const DeadLetterDetailSchema = DeadLetterSchema.extend({
  body: z.string().meta({ description: "The message as parked (text, possibly cut: bodyTruncated)" }),
  problem: z.string().nullable().meta({ description: "Why replaying it would be refused; null when it can be replayed" }),
  callRecordId: z.string().nullable(),
});

export const DeadLetterPage = Page(DeadLetterSchema);

export const ReplayResultSchema = z.object({
  changed: z.boolean().meta({ description: "false when the letter was already in this state: nothing was stored or changed" }),
  message: z.string(),
  letter: DeadLetterSchema,
});

export const MAX_REPLAY_ALL = 200;

export const ReplayAllResultSchema = z.object({
  replayed: z.number().int(),
  skipped: z.array(z.object({ id: z.number().int(), problem: z.string() })).meta({ description: "Parked letters that cannot be replayed (they stay parked)" }),
  remaining: z.number().int().meta({ description: "Letters still parked afterwards (including the skipped ones)" }),
});
