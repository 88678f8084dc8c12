import { z } from "zod";
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
        type: z.literal("announcement"),
        text: z.string().trim().min(1, "the announcement needs some text").max(1000),
        voice: z.string().trim().min(1).max(100).optional(),
        language: z
          .string()
          .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "must be a language tag like en-US")
          .optional(),
      }),
    ],
    { message: 'type must be one of "agent", "group", "hangup", "reject", "announcement"' },
  )
  .meta({ description: "Where the call goes instead: an agent, a group, a hang-up, a reject or an announcement" });
