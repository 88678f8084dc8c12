import { z } from "zod";
import { readBoundedText } from "../lib/bounded-body";
import { jsonNestsDeeperThan } from "../lib/storable";
import { absent } from "./cloudonix-values";

/** Cloudonix sends at most a few KiB; anything past this is refused unread. */
export const MAX_WEBHOOK_BODY = 64 * 1024;

export class WebhookError extends Error {
  constructor(
    readonly status: 400 | 401 | 404 | 413 | 415,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const tooLarge = () => new WebhookError(413, "PAYLOAD_TOO_LARGE", `Webhook bodies are limited to ${MAX_WEBHOOK_BODY / 1024} KiB`);

/** Real Cloudonix bodies nest a few levels (SessionData.profile.…); far deeper is hostile. */
export const MAX_WEBHOOK_JSON_DEPTH = 32;

/** A webhook request as received: the raw text its parameters come from. */
export interface ReceivedWebhook {
  /** The query string without its "?", as sent. */
  query: string;
  /** The body as text (empty for GET). */
  body: string;
}

/** Reads the request's text, refusing a body over MAX_WEBHOOK_BODY unread. */
export async function receiveWebhook(request: Request): Promise<ReceivedWebhook> {
  const query = new URL(request.url).search.slice(1);
  const read = request.method === "GET" || request.method === "HEAD";
  return { query, body: read ? "" : await readBoundedText(request, MAX_WEBHOOK_BODY, tooLarge) };
}

/** Parameters from the query string and, for POST, the JSON (or form-encoded) body. */
export function webhookParams(request: Request, received: ReceivedWebhook): Record<string, unknown> {
  const query = Object.fromEntries(new URLSearchParams(received.query));
  const text = received.body;
  if (!text.trim()) return query;
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  if (type.includes("application/x-www-form-urlencoded")) {
    return { ...query, ...Object.fromEntries(new URLSearchParams(text)) };
  }
  if (type && !type.includes("json")) {
    throw new WebhookError(415, "UNSUPPORTED_MEDIA_TYPE", `Content-Type ${type.split(";")[0]} is not accepted; send JSON`);
  }
  if (jsonNestsDeeperThan(text, MAX_WEBHOOK_JSON_DEPTH)) {
    throw new WebhookError(400, "JSON_TOO_DEEP", `The body nests objects or arrays deeper than ${MAX_WEBHOOK_JSON_DEPTH} levels`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new WebhookError(400, "MALFORMED_JSON", "The body is not valid JSON");
  }
  // Session updates sometimes arrive as a one-element array.
  if (Array.isArray(body) && body.length === 1) body = body[0];
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new WebhookError(400, "INVALID_BODY", "The body must be a JSON object of call parameters");
  }
  return { ...query, ...(body as Record<string, unknown>) };
}

/**
 * A scalar parameter: Cloudonix sends strings, some proxies numbers; anything else is refused.
 * `required` is the message for a missing one.
 */
const scalar = (max: number, required?: string) =>
  z.union([z.string(), z.number().transform(String)], required ? { error: (issue) => (issue.input === undefined ? required : undefined) } : undefined).pipe(z.string().max(max, `must be at most ${max} characters`));

export const VoiceParamsSchema = z
  .object({
    CallSid: absent(scalar(256)),
    Session: absent(scalar(128)),
    // Cloudonix always sends both; without them a call cannot be routed, so the request is
    // malformed. A withheld caller still has a From (empty or "anonymous"); a To must name a number.
    From: scalar(128, "is required (the caller's number; empty if withheld)"),
    To: scalar(128, "is required (the number that was dialled)").pipe(z.string().min(1, "must not be empty (the number that was dialled)")),
    CallerName: absent(scalar(256)),
    // The diverting account (msisdn@domain) and the trunk's asserted identity, when sent: call
    // context an agent may be given (domain/call-context.ts).
    Diverted: absent(scalar(256)),
    AssertedIdentity: absent(scalar(256)),
    Direction: absent(scalar(32)),
    Domain: absent(scalar(253)),
    AccountSid: absent(scalar(253)),
    CallStatus: absent(scalar(32)),
    DialCallStatus: absent(scalar(32)),
    // Seconds the dialled leg talked, on the Dial action request. A value that is not a
    // non-negative number is dropped rather than refused: it must never cost the call its answer.
    DialCallDuration: z
      .union([z.string(), z.number(), z.null()])
      .transform((v) => (v === null || (typeof v === "string" && v.trim() === "") ? undefined : Number(v)))
      .transform((n) => (n !== undefined && Number.isFinite(n) && n >= 0 ? Math.round(n) : undefined))
      .optional()
      .meta({ description: "Dial action only: how long the dialled leg talked, in seconds" }),
    /** The full session object; read leniently (session-data.ts), never a reason to refuse a call. */
    SessionData: z.unknown().optional(),
  })
  .refine((p) => Boolean(p.Session || p.CallSid), { message: "Session or CallSid is required", path: ["Session"] });

export type VoiceParams = z.output<typeof VoiceParamsSchema>;

export function parseVoiceParams(raw: Record<string, unknown>): VoiceParams {
  const result = VoiceParamsSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new WebhookError(400, "INVALID_PARAMETERS", `${issue?.path.join(".") || "parameters"}: ${issue?.message ?? "invalid"}`);
  }
  return result.data;
}

/** The call's key: Cloudonix's Session token, else CallSid (which on some trunk calls is a SIP Call-ID). */
export const callKeyOf = (params: VoiceParams): string => (params.Session || params.CallSid)!;
