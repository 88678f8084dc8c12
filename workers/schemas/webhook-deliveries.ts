import { z } from "zod";
import { CursorSchema, LimitSchema } from "./paging";
import { IdParams, Page, Timestamp } from "./common";
import { Instant } from "./call-records";

export const WEBHOOK_KINDS = ["voice-application", "dial-result", "wait", "session-update", "cdr"] as const;
export const DELIVERY_STATUSES = ["ok", "refused", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Outcomes that mean we failed Cloudonix even when the voice webhook still answered 200 (with a Reject). */
export const FAILED_OUTCOMES = ["internal_error", "routing_unavailable"] as const;

/** ok: answered below 400; refused: a 4xx (the request was at fault); failed: our own failure (a 5xx or a failed outcome). */
export function deliveryStatus(statusCode: number, outcome: string): DeliveryStatus {
  if (statusCode >= 500 || (FAILED_OUTCOMES as readonly string[]).includes(outcome)) return "failed";
  return statusCode >= 400 ? "refused" : "ok";
}

/** The dashboard warns when at least this share of at least this many recent deliveries failed. */
export const FAILURE_ALERT = { minDeliveries: 20, rate: 0.05 } as const;

const range = <T extends { since?: Date | undefined; until?: Date | undefined }>(value: T, ctx: z.RefinementCtx) => {
  if (value.since && value.until && value.since >= value.until) ctx.addIssue({ code: "custom", path: ["until"], message: "must be after since" });
};

export const ListDeliveriesQuery = z
  .strictObject({
    kind: z.enum(WEBHOOK_KINDS, { message: `must be one of ${WEBHOOK_KINDS.join(", ")}` }).optional(),
    status: z
      .enum(DELIVERY_STATUSES, { message: `must be one of ${DELIVERY_STATUSES.join(", ")}` })
      .optional()
      .meta({ description: "ok: answered (2xx); refused: a 4xx; failed: our failure (5xx, or an internal_error/routing_unavailable outcome)" }),
    statusCode: z.coerce.number({ message: "must be a number" }).int("must be a whole number").min(100).max(599).optional(),
    callId: z.string().trim().min(1).max(128).optional().meta({ description: "Cloudonix Session token (or CallSid)" }),
    since: Instant.optional().meta({ description: "Received at or after this instant" }),
    until: Instant.optional().meta({ description: "Received before this instant" }),
    limit: LimitSchema(200),
    cursor: CursorSchema,
  })
  .superRefine(range);
export type DeliveryFilters = Omit<z.output<typeof ListDeliveriesQuery>, "limit" | "cursor">;

export const DELIVERY_WINDOWS = { "15m": 15 * 60_000, "1h": 3_600_000, "24h": 86_400_000 } as const;
export const SummaryQuery = z.strictObject({
  window: z
    .enum(Object.keys(DELIVERY_WINDOWS) as [keyof typeof DELIVERY_WINDOWS, ...(keyof typeof DELIVERY_WINDOWS)[]], { message: "must be one of 15m, 1h, 24h" })
    .default("15m")
    .meta({ description: "How far back deliveries are counted" }),
});

export const DeliveryIdParams = IdParams;

export const DeliverySchema = z.object({
  id: z.number().int(),
  deliveryId: z.string(),
  kind: z.string(),
  callId: z.string().nullable(),
  method: z.string(),
  statusCode: z.number().int(),
  status: z.enum(DELIVERY_STATUSES),
  outcome: z.string(),
  error: z.string().nullable(),
  durationMs: z.number().int(),
  receivedAt: Timestamp,
});
export type DeliveryDto = z.output<typeof DeliverySchema>;

export const DeliveryDetailSchema = DeliverySchema.extend({
  request: z.object({
    query: z.string().nullable(),
    body: z.string().nullable().meta({ description: "As received, secrets redacted, capped" }),
    truncated: z.boolean().meta({ description: "The request was longer than what is kept" }),
  }),
  response: z.string().nullable().meta({ description: "What we answered (CXML or JSON), passwords redacted" }),
  callRecordId: z.string().nullable().meta({ description: "The call record of this call, when there is one" }),
});

export const DeliveryPage = Page(DeliverySchema);

export const DeliverySummarySchema = z.object({
  window: z.string(),
  since: Timestamp,
  deliveries: z.number().int(),
  failed: z.number().int(),
  refused: z.number().int(),
  failureRate: z.number().nullable().meta({ description: "failed ÷ deliveries; null without deliveries" }),
  failing: z.boolean().meta({ description: `At least ${FAILURE_ALERT.rate * 100}% of at least ${FAILURE_ALERT.minDeliveries} deliveries failed` }),
  parkedDeadLetters: z.number().int(),
});
