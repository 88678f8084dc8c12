import { z } from "zod";
import { DELIVERY_STATUSES, EVENT_TYPES } from "../domain/integrations";
import { endpointUrlProblem, MAX_URL_LENGTH } from "../integrations/endpoint-url";
import { Timestamp, VersionField } from "./common";
import { CursorSchema, LimitSchema } from "./paging";

/**
 * An endpoint URL as any environment accepts it (absolute http(s), no credentials, no fragment,
 * at most 2,048 characters). Production's stricter rule (https, public addresses only) depends
 * on the deployment, so the route checks it (integrations/endpoint-url.ts).
 */
export const EndpointUrl = z
  .string()
  .max(MAX_URL_LENGTH, `must be at most ${MAX_URL_LENGTH} characters`)
  .superRefine((value, ctx) => {
    const problem = endpointUrlProblem(value, { production: false });
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .meta({ description: "Where events are POSTed: https, a public address (in production)", format: "uri" });

/** One line of plain text: shown in lists and sent nowhere, but never a vehicle for a line break. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
export const Description = z
  .string()
  .trim()
  .max(500, "must be at most 500 characters")
  .refine((value) => !CONTROL.test(value), "must be one line of text, without line breaks or control characters");

export const EventTypeList = z
  .array(z.enum(EVENT_TYPES, { message: `must be one of ${EVENT_TYPES.join(", ")}` }))
  .min(1, "choose at least one event type")
  .max(EVENT_TYPES.length)
  .refine((list) => new Set(list).size === list.length, "each event type may appear only once")
  .meta({ description: "The events this endpoint receives" });

/** At most this many endpoints per tenant: every event is sent to each one that takes it. */
export const MAX_ENDPOINTS = 20;

export const CreateEventWebhookBody = z.strictObject({
  url: EndpointUrl,
  description: Description.optional(),
  eventTypes: EventTypeList,
  enabled: z.boolean().optional(),
});

export const UpdateEventWebhookBody = z
  .strictObject({
    url: EndpointUrl.optional(),
    description: Description.optional(),
    eventTypes: EventTypeList.optional(),
    enabled: z.boolean().optional().meta({ description: "Enabling an endpoint the router disabled clears its failure state" }),
    version: VersionField,
  })
  .meta({ description: "Only the fields sent change" });

export const RotateSecretBody = z
  .strictObject({
    graceSeconds: z
      .number()
      .int()
      .min(0)
      .max(7 * 86_400, "at most 7 days (604800 seconds)")
      .default(86_400)
      .meta({ description: "How long the previous secret keeps signing too (both signatures are sent); 0 retires it at once. Default one day." }),
  })
  .optional();

export const EventWebhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string(),
  enabled: z.boolean(),
  eventTypes: z.array(z.enum(EVENT_TYPES)),
  secretHint: z.string().meta({ description: "The signing secret's last 4 characters" }),
  secretRotatedAt: Timestamp.nullable(),
  previousSecretExpiresAt: Timestamp.nullable().meta({ description: "Until when the previous secret signs too (null: it does not)" }),
  disabledReason: z.string().nullable().meta({ description: "Why the router disabled it (it kept failing); null otherwise" }),
  disabledAt: Timestamp.nullable(),
  failingSince: Timestamp.nullable().meta({ description: "First failed attempt since the last success; null while deliveries succeed" }),
  lastSuccessAt: Timestamp.nullable(),
  lastFailureAt: Timestamp.nullable(),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type EventWebhookDto = z.output<typeof EventWebhookSchema>;

export const EventWebhookList = z.object({ items: z.array(EventWebhookSchema) });

export const CreatedEventWebhookSchema = EventWebhookSchema.extend({
  secret: z.string().meta({ description: "The signing secret, shown this once: store it where your receiver can read it" }),
});

export const RotatedSecretSchema = z.object({
  secret: z.string().meta({ description: "The new signing secret, shown this once" }),
  secretHint: z.string(),
  rotatedAt: Timestamp,
  previousSecretExpiresAt: Timestamp.nullable(),
});

export const ListDeliveriesQuery = z.strictObject({
  status: z.enum(DELIVERY_STATUSES, { message: `must be one of ${DELIVERY_STATUSES.join(", ")}` }).optional(),
  eventType: z.enum(EVENT_TYPES, { message: `must be one of ${EVENT_TYPES.join(", ")}` }).optional(),
  callId: z.string().trim().min(1).max(128).optional(),
  limit: LimitSchema(200),
  cursor: CursorSchema,
});

export const AttemptSchema = z.object({
  n: z.number().int(),
  trigger: z.enum(["auto", "resend"]),
  at: Timestamp,
  ok: z.boolean(),
  statusCode: z.number().int().nullable().meta({ description: "The receiver's HTTP status; null when there was no answer (timeout, refused connection)" }),
  latencyMs: z.number().int(),
  error: z.string().nullable(),
  responseExcerpt: z.string().nullable().meta({ description: "The start of the receiver's answer, at most 2 KiB" }),
});

export const DeliverySchema = z.object({
  id: z.string().meta({ description: "The idempotency id the receiver sees (Idempotency-Key), the same on every retry and Resend" }),
  eventId: z.string(),
  eventType: z.string(),
  callId: z.string().nullable(),
  seq: z.number().int().nullable(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: Timestamp.nullable(),
  deliveredAt: Timestamp.nullable(),
  createdAt: Timestamp,
  lastAttempt: AttemptSchema.nullable(),
});
export type DeliveryDto = z.output<typeof DeliverySchema>;

export const DeliveryPage = z.object({ items: z.array(DeliverySchema), nextCursor: z.string().nullable() });

export const DeliveryDetailSchema = DeliverySchema.extend({
  payload: z.string().meta({ description: "The exact body sent (each attempt is signed afresh)" }),
  attemptLog: z.array(AttemptSchema),
});

export const DeliveryParams = z.object({ id: z.string().min(1).max(64), deliveryId: z.string().min(1).max(64) });
