import { z } from "zod";
import { HEADER_NAME, MAX_HEADER_NAME } from "../domain/carrier-headers";
import { parsePattern } from "../domain/numbers";
import { FallbackSchema, Timestamp, VersionField } from "./common";

/** An IANA time zone the runtime knows, in its canonical spelling ("europe/london" → "Europe/London"). */
export const TimeZone = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .transform((value, ctx) => {
    try {
      return new Intl.DateTimeFormat("en-US", { timeZone: value }).resolvedOptions().timeZone;
    } catch {
      ctx.addIssue({ code: "custom", message: `"${value}" is not an IANA time zone; use a name like Europe/London or America/New_York` });
      return z.NEVER;
    }
  })
  .meta({ description: "IANA time zone name, e.g. Europe/London" });

const HOSTNAME = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

export const CloudonixDomain = z.string().trim().toLowerCase().regex(HOSTNAME, "must be a domain name like acme.cloudonix.net").meta({ description: "The tenant's Cloudonix domain; webhook calls are matched to the tenant by it" });

/** Normalised number patterns ("+1555*" → "1555*"), each error naming its position. */
export const PatternList = (max: number) =>
  z
    .array(z.string().max(64))
    .max(max, `at most ${max} patterns`)
    .transform((patterns, ctx) => {
      const out: string[] = [];
      patterns.forEach((raw, index) => {
        const parsed = parsePattern(raw);
        if (!parsed.ok) ctx.addIssue({ code: "custom", path: [index], message: parsed.error });
        else if (!out.includes(parsed.pattern)) out.push(parsed.pattern);
      });
      return out;
    })
    .meta({ description: 'Number patterns: "+15551234567" (exact) or "+1555*" (prefix); stored as digits with an optional trailing *' });

export const RoutingNumberHeader = z
  .string()
  .trim()
  .min(1, "must not be empty; send null to match To")
  .max(MAX_HEADER_NAME, `must be at most ${MAX_HEADER_NAME} characters`)
  .regex(HEADER_NAME, "must be a SIP header name such as A2B-DNID (letters, digits and - . _, no spaces or colons)")
  .meta({ description: "A carrier SIP header (e.g. A2B-DNID, the number originally dialled) whose number inbound rules match instead of To when a call carries it; null = always To" });

export const CloudonixDomainUuid = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "must be a UUID like 0f8fad5b-d9cb-469f-a165-70867728950e (Cloudonix shows it on the domain)")
  .meta({ description: "The Cloudonix domain's UUID: CDRs that name their domain only by it (owner.domain.uuid) are matched to the tenant by it" });

export const TenantName = z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters");

export const UpdateTenantBody = z
  .strictObject({
    name: TenantName.optional(),
    timezone: TimeZone.optional(),
    cloudonixDomain: CloudonixDomain.nullable().optional(),
    cloudonixDomainUuid: CloudonixDomainUuid.nullable().optional(),
    cloudonixApiKey: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9._~-]{8,200}$/, "must be the API key as Cloudonix shows it (8-200 letters, digits, . _ ~ -)")
      .nullable()
      .optional()
      .meta({ description: "Write-only: stored encrypted, never returned (see hasCloudonixApiKey); null removes it" }),
    defaultFallback: FallbackSchema.nullable().optional().meta({ description: "What unmatched calls get; null = the unmatched action" }),
    unmatchedAction: z.enum(["hangup", "reject"], { message: 'must be "hangup" or "reject"' }).optional().meta({ description: "Without a default fallback, an unmatched inbound call is hung up (answered, billed) or rejected (<Reject>, not billed)" }),
    retentionDays: z.number().int().min(1, "must be at least 1 day").max(3650, "must be at most 3650 days").optional().meta({ description: "Call records older than this are deleted" }),
    outboundCallerPatterns: PatternList(100).optional().meta({ description: "Callers matching any of these are treated as outbound calls" }),
    routingNumberHeader: RoutingNumberHeader.nullable().optional(),
    version: VersionField,
  })
  .meta({ description: "Only the fields sent change" });
export type UpdateTenantInput = z.output<typeof UpdateTenantBody>;

/** The tenant's two callback URLs; the capability token in their path is their credential. */
export const CallbackUrls = z.object({
  sessionUpdate: z.string().meta({ description: "The Cloudonix domain profile's session-update-endpoint" }),
  cdr: z.string().meta({ description: "The Cloudonix domain profile's cdr-endpoint" }),
});

export const TenantSchema = z.object({
  id: z.string(),
  name: z.string(),
  timezone: z.string(),
  cloudonixDomain: z.string().nullable(),
  cloudonixDomainUuid: z.string().nullable().meta({ description: "The Cloudonix domain's UUID (entered, or read from Cloudonix with POST /api/tenant/cloudonix-domain-uuid)" }),
  hasCloudonixApiKey: z.boolean(),
  requestKey: z
    .object({ hint: z.string().meta({ description: "The key's last 4 characters" }), rotatedAt: Timestamp.nullable() })
    .nullable()
    .meta({ description: "The webhook request key Cloudonix sends as Authorization: Bearer; the key itself is shown only when rotated" }),
  webhookUrl: z.string().meta({ description: "The voice-application URL to configure in Cloudonix" }),
  hasCallbackToken: z.boolean().meta({ description: "Whether the tenant has callback URLs (session updates and CDRs)" }),
  callbackTokenRotatedAt: Timestamp.nullable(),
  callbackUrls: CallbackUrls.nullable().meta({
    description: "Admins only: the session-update and CDR URLs to configure in Cloudonix. They carry the tenant's secret callback token; null for read-only users and before a token is generated",
  }),
  defaultFallback: FallbackSchema.nullable(),
  unmatchedAction: z.enum(["hangup", "reject"]),
  retentionDays: z.number().int(),
  outboundCallerPatterns: z.array(z.string()),
  routingNumberHeader: z.string().nullable().meta({ description: "The carrier SIP header whose number inbound rules match instead of To; null = To" }),
  configVersion: z.number().int().meta({ description: "Bumped by every configuration change; routing snapshots carry it" }),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type TenantDto = z.output<typeof TenantSchema>;

const graceSeconds = (what: string) =>
  z
    .number()
    .int()
    .min(0)
    .max(7 * 86_400, "at most 7 days (604800 seconds)")
    .default(3_600)
    .meta({ description: `How long the previous ${what} keeps working, so Cloudonix can be updated without dropping calls; 0 revokes it at once` });

export const RotateRequestKeyBody = z.object({ graceSeconds: graceSeconds("key") }).strict();

export const RotateCallbackTokenBody = z.object({ graceSeconds: graceSeconds("callback URLs' token") }).strict();

export const CallbackTokenResponse = z.object({
  callbackUrls: CallbackUrls,
  rotatedAt: Timestamp,
  previousTokenValidUntil: Timestamp.nullable().meta({ description: "Until when the previous callback URLs are still accepted (null: they are not)" }),
});

export const RequestKeyResponse = z.object({
  requestKey: z.string().meta({ description: "Shown once: only its hash is stored. Set it as the Cloudonix domain's request authorization key." }),
  hint: z.string(),
  rotatedAt: Timestamp,
  previousKeyValidUntil: Timestamp.nullable().meta({ description: "Until when the previous key is still accepted (null: it is not)" }),
});
