import { z } from "zod";
import { CONTEXT_NAME, MAX_CONTEXT_ENTRIES, MAX_CONTEXT_NAME, templateError } from "../domain/call-context";
import { normalisePhone, normaliseSipUri } from "../domain/providers";
import { MAX_HOLD_MUSIC_SEC, WAIT_MAX_SEC, WAIT_RETRY_SEC } from "../domain/overflow";
import { CursorSchema, LimitSchema } from "./paging";

/** Path parameter {id}; an id of another tenant (or of nothing) answers 404, never 400. */
export const IdParams = z.object({ id: z.string().min(1).max(64).meta({ description: "The entity's id" }) });

export const Timestamp = z.string().meta({ description: "ISO 8601 UTC timestamp", format: "date-time" });

export const VersionField = z.number().int().min(1).optional().meta({ description: "The version you read; if it is no longer current the request fails with 409 instead of overwriting a newer change. If-Match works too." });

export const BooleanQuery = z.enum(["true", "false"], { message: 'must be "true" or "false"' }).transform((value) => value === "true");

export const OrderQuery = z.enum(["asc", "desc"], { message: 'must be "asc" or "desc"' }).default("asc");

export const pageQuery = <S extends readonly [string, ...string[]]>(sorts: S, defaultSort: S[number], maxLimit = 200) => ({
  sort: z.enum(sorts, { message: `must be one of ${sorts.join(", ")}` }).default(defaultSort as never),
  order: OrderQuery,
  limit: LimitSchema(maxLimit),
  cursor: CursorSchema,
});

export const Page = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().meta({ description: "Pass as cursor (with the same filters and sort) for the next page; null on the last page" }),
  });

export const SearchQuery = z.string().trim().min(1).max(100).optional().meta({ description: "Case-insensitive text search" });

export const Name = z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters");

/** Escapes LIKE wildcards in user text. */
export const likeEscape = (text: string) => text.replace(/[\\%_]/g, "\\$&");

export const iso = (date: Date) => date.toISOString();
export const isoOrNull = (date: Date | null) => (date ? date.toISOString() : null);

export const RejectReason = z.enum(["rejected", "busy", "congestion", "failed"]);

/** Where a call goes when its target cannot take it (or nothing matched, for the tenant default). */
export const FallbackSchema = z
  .discriminatedUnion(
    "type",
    [
      z.strictObject({ type: z.literal("agent"), id: z.string().min(1).max(64) }),
      z.strictObject({ type: z.literal("group"), id: z.string().min(1).max(64) }),
      z.strictObject({ type: z.literal("hangup") }),
      z.strictObject({ type: z.literal("reject"), reason: RejectReason.optional() }),
      z.strictObject({
        type: z.literal("number"),
        number: z
          .string()
          .max(40)
          .transform((value, ctx) => normalisePhone(value) ?? (ctx.addIssue({ code: "custom", message: "must be an E.164 number (+12125550123) or an extension of 2 to 8 digits" }), z.NEVER)),
        trunkId: z.string().min(1).max(64).nullable().optional().meta({ description: "The trunk to dial out through; omitted = Cloudonix's own choice (a subscriber, or its border)" }),
      }),
      z.strictObject({
        type: z.literal("sip"),
        uri: z
          .string()
          .max(512)
          .transform((value, ctx) => normaliseSipUri(value) ?? (ctx.addIssue({ code: "custom", message: "must be a SIP URI like sip:desk@pbx.example.com (no spaces, quotes or angle brackets)" }), z.NEVER)),
      }),
      z.strictObject({
        type: z.literal("announcement"),
        text: z.string().trim().min(1, "the announcement needs some text").max(1000),
        voice: z.string().trim().min(1).max(100).optional(),
        language: z
          .string()
          .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "must be a language tag like en-US")
          .optional(),
      }),
    ],
    { message: 'type must be one of "agent", "group", "hangup", "reject", "announcement", "number", "sip"' },
  )
  .meta({ description: "Where the call goes instead: an agent, a group, a person (a phone number or a SIP URI), a hang-up, a reject or an announcement" });

/** A waiting room (domain/overflow.ts WaitRoom): tried again every few seconds, first come first served. */
const WaitRoomSchema = z
  .strictObject({
    type: z.literal("wait"),
    text: z.string().trim().min(1, "the message needs some text (or leave it out)").max(500).optional().meta({ description: "Said once when the caller joins the line; {position} is their place in it" }),
    voice: z.string().trim().min(1).max(100).optional(),
    language: z
      .string()
      .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "must be a language tag like en-US")
      .optional(),
    playUrl: z
      .url({ protocol: /^https?$/, error: "must be an http(s) URL of an audio file" })
      .max(1000)
      .refine((url) => !/[\s<>"']/.test(url), "must not contain spaces, quotes or angle brackets")
      .optional()
      .meta({ description: `Hold music played between tries; its length spaces the tries (keep it short, 5 to 20 seconds; at most ${MAX_HOLD_MUSIC_SEC} seconds, or the line takes the caller for gone)` }),
    retrySec: z
      .number()
      .int()
      .min(WAIT_RETRY_SEC.min, `must be at least ${WAIT_RETRY_SEC.min} seconds`)
      .max(WAIT_RETRY_SEC.max, `must be at most ${WAIT_RETRY_SEC.max} seconds`)
      .default(WAIT_RETRY_SEC.default)
      .meta({ description: "Seconds of silence between tries when there is no hold music" }),
    maxWaitSec: z
      .number()
      .int()
      .min(WAIT_MAX_SEC.min, `must be at least ${WAIT_MAX_SEC.min} seconds`)
      .max(WAIT_MAX_SEC.max, `must be at most ${WAIT_MAX_SEC.max} seconds (an hour)`)
      .default(WAIT_MAX_SEC.default)
      .meta({ description: "The longest a caller waits; then the plan's next stage (the rule's fallback, else the end)" }),
  })
  .meta({ description: "A waiting room: the caller hears the message, then music or silence, and is tried again in turn until the maximum wait" });

/**
 * What a group or rule does when every eligible agent (or provider account) is full: the plan's
 * next stage (the default), an announcement, or a person (a phone number or SIP URI).
 */
export const OverflowSchema = z
  .discriminatedUnion(
    "type",
    // The fallback's own announcement, number and SIP URI, with their checks.
    [z.strictObject({ type: z.literal("next") }), FallbackSchema.options[4], FallbackSchema.options[5], FallbackSchema.options[6], WaitRoomSchema],
    { message: 'type must be one of "next", "announcement", "number", "sip", "wait"' },
  )
  .meta({ description: "When every eligible agent or provider account is full: the plan's next stage (next), an announcement, a person (a phone number or SIP URI), or a waiting room (wait)" });

/** Maximum call length in seconds (Dial timeLimit); null = no limit. */
export const TimeLimitField = z.number().int().min(10, "must be at least 10 seconds (or null for no limit)").max(86_400, "must be at most 86400 seconds (24 hours)").nullable();

/** Headers (or stream parameters) an agent, group or rule sends with the call; see domain/call-context.ts. */
export const ContextSchema = z
  .array(
    z.strictObject({
      name: z.string().trim().max(MAX_CONTEXT_NAME, `must be at most ${MAX_CONTEXT_NAME} characters`).regex(CONTEXT_NAME, 'must start with "X-" and contain only letters, digits and - . ! % * _ + ` \' ~'),
      value: z.string().superRefine((value, ctx) => {
        const error = templateError(value);
        if (error) ctx.addIssue({ code: "custom", message: error });
      }),
    }),
  )
  .max(MAX_CONTEXT_ENTRIES, `at most ${MAX_CONTEXT_ENTRIES} entries`)
  .refine((entries) => new Set(entries.map((e) => e.name.toLowerCase())).size === entries.length, "each name may appear only once")
  .meta({ description: "SIP headers (stream parameters for WebSocket agents) sent to the agent: literal text with {caller} {called} {callerName} {ruleId} {ruleName} {groupId} {groupName} {callId} {session} {diverted} {assertedIdentity} {header:Name}" });

/** Dial outcomes a group can fail over on; the others end the call. */
export const FAILOVER_OUTCOMES = ["busy", "no-answer", "failed", "canceled"] as const;
export const FailoverOnSchema = z
  .array(z.enum(FAILOVER_OUTCOMES, { message: `must be one of ${FAILOVER_OUTCOMES.join(", ")}` }))
  .max(FAILOVER_OUTCOMES.length)
  .transform((outcomes) => [...new Set(outcomes)])
  .meta({ description: "The dial outcomes that try the next agent; any other failed outcome ends the call (e.g. leave out busy: a callee who declined is not dialled again)" });
