import { z } from "zod";
import { toE164 } from "../campaigns/contacts";
import { CAMPAIGN_STATUSES } from "../campaigns/types";
import { Name, Page, SearchQuery, Timestamp, VersionField, pageQuery } from "./common";
import { TimeZoneField, WeeklySchema } from "./schedules";
import { CallerId } from "./trunks";

const RetryRuleSchema = z.strictObject({
  attempts: z.number().int().min(1, "must be at least 1 (1 = never retried)").max(10, "must be at most 10"),
  spacingMinutes: z.number().int().min(1, "must be at least 1 minute").max(10_080, "must be at most 10080 minutes (a week)"),
});

export const RetryPolicySchema = z
  .strictObject({ busy: RetryRuleSchema, noAnswer: RetryRuleSchema, failed: RetryRuleSchema })
  .meta({ description: "Per outcome: the attempts a contact gets in all (1 = no retry) and the minutes between them. An answered call is never retried" });

export const DEFAULT_RETRY_POLICY = { busy: { attempts: 3, spacingMinutes: 10 }, noAnswer: { attempts: 3, spacingMinutes: 60 }, failed: { attempts: 2, spacingMinutes: 30 } };
const WORKDAY = [{ open: "09:00", close: "18:00" }];
export const DEFAULT_WINDOW = { mon: WORKDAY, tue: WORKDAY, wed: WORKDAY, thu: WORKDAY, fri: WORKDAY, sat: [], sun: [] };

const Target = z.strictObject({ type: z.enum(["agent", "group"], { message: 'must be "agent" or "group"' }), id: z.string().min(1).max(64) }).meta({ description: "The agent or group that takes the answered calls" });

const fields = {
  name: Name,
  target: Target,
  callerId: CallerId.meta({ description: "The number the people called see (E.164)" }),
  trunkId: z.string().min(1).max(64).nullable().optional().meta({ description: "The trunk to call out through (its name goes to Cloudonix); null = Cloudonix's own route" }),
  timezone: TimeZoneField.optional().meta({ description: "The calling window's zone for contacts without one of their own (default: the tenant's)" }),
  callingWindow: WeeklySchema.optional().meta({ description: "Days and hours calls may be placed, in the contact's time zone (default Monday to Friday, 09:00-18:00)" }),
  maxConcurrent: z.number().int().min(1, "must be at least 1").max(1_000, "must be at most 1000").optional().meta({ description: "Calls in progress at once (default 10)" }),
  callsPerMinute: z.number().int().min(1, "must be at least 1").max(6_000, "must be at most 6000").optional().meta({ description: "Calls placed per minute, evenly spaced (default 30)" }),
  ringTimeoutSec: z.number().int().min(5, "must be at least 5 seconds").max(120, "must be at most 120 seconds").optional().meta({ description: "Seconds a contact's phone rings before the attempt counts as no answer (default 30)" }),
  retryPolicy: RetryPolicySchema.optional(),
};

export const CreateCampaignBody = z.strictObject(fields);
export type CreateCampaignInput = z.output<typeof CreateCampaignBody>;

export const UpdateCampaignBody = z
  .strictObject({
    name: fields.name.optional(),
    target: fields.target.optional(),
    callerId: fields.callerId.optional(),
    trunkId: fields.trunkId,
    timezone: fields.timezone,
    callingWindow: fields.callingWindow,
    maxConcurrent: fields.maxConcurrent,
    callsPerMinute: fields.callsPerMinute,
    ringTimeoutSec: fields.ringTimeoutSec,
    retryPolicy: fields.retryPolicy,
    version: VersionField,
  })
  .meta({ description: "Only the fields sent change; a running campaign dials by the new settings from its next call" });

export const CampaignProgressSchema = z.object({
  status: z.enum(CAMPAIGN_STATUSES),
  lastError: z.string().nullable().meta({ description: "Why the campaign paused itself (e.g. Cloudonix refused the API key)" }),
  contacts: z.number().int(),
  doNotCall: z.number().int().meta({ description: "Contacts on the do-not-call list: never dialled" }),
  remaining: z.number().int().meta({ description: "Contacts still to call (first attempt or a retry)" }),
  reached: z.number().int().meta({ description: "Contacts who answered" }),
  exhausted: z.object({ busy: z.number().int(), noAnswer: z.number().int(), failed: z.number().int() }).meta({ description: "Contacts whose attempts ran out, by their last outcome" }),
  dialled: z.number().int().meta({ description: "Calls placed (attempts)" }),
  answered: z.number().int(),
  busy: z.number().int(),
  noAnswer: z.number().int(),
  failed: z.number().int(),
  inProgress: z.number().int(),
  maxConcurrent: z.number().int(),
  callsPerMinute: z.number().int(),
  ratePerMinute: z.number().int().meta({ description: "Calls placed in the last 60 seconds" }),
  accountFree: z.number().int().nullable().meta({ description: "Provider-account slots left for new calls at the last look (free slots less the campaign's own calls that will take one); null: no account limits it" }),
  heldByAccount: z.boolean().meta({ description: "The provider accounts' free slots, not the campaign's own limits, held back its last dials (other calls, e.g. inbound, use them)" }),
  startedAt: Timestamp.nullable(),
  finishedAt: Timestamp.nullable(),
});

export const CampaignSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(CAMPAIGN_STATUSES),
  target: Target,
  callerId: z.string(),
  trunkId: z.string().nullable(),
  timezone: z.string(),
  callingWindow: z.record(z.string(), z.array(z.object({ open: z.string(), close: z.string(), overnight: z.boolean().optional() }))),
  maxConcurrent: z.number().int(),
  callsPerMinute: z.number().int(),
  ringTimeoutSec: z.number().int(),
  retryPolicy: RetryPolicySchema,
  contactCount: z.number().int(),
  progress: CampaignProgressSchema.nullable().meta({ description: "Live figures; null before contacts are loaded" }),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type CampaignDto = z.output<typeof CampaignSchema>;
export const CampaignPage = Page(CampaignSchema.omit({ progress: true }));

export const CAMPAIGN_SORTS = ["name", "createdAt", "updatedAt"] as const;
export const ListCampaignsQuery = z.strictObject({
  q: SearchQuery.meta({ description: "Matches the name" }),
  status: z.enum(CAMPAIGN_STATUSES).optional(),
  ...pageQuery(CAMPAIGN_SORTS, "createdAt", 200),
});

export const UploadContactsQuery = z.strictObject({
  skipInvalid: z.enum(["true", "false"]).optional().meta({ description: "true: load the valid rows and list the others; default: refuse the whole file when any row is invalid" }),
});

const RowErrorSchema = z.object({ line: z.number().int(), field: z.string().nullable(), message: z.string() });

export const UploadContactsResult = z.object({
  rows: z.number().int().meta({ description: "Data rows in the file" }),
  imported: z.number().int().meta({ description: "Contacts loaded (duplicates merged)" }),
  merged: z.number().int().meta({ description: "Rows whose number an earlier row already had" }),
  invalid: z.number().int(),
  doNotCall: z.number().int().meta({ description: "Contacts on the tenant's do-not-call list: loaded, never dialled" }),
  errors: z.array(RowErrorSchema).meta({ description: "Invalid rows by line (at most 1,000 listed)" }),
});

export const ResultsQuery = z.strictObject({
  format: z.enum(["json", "csv"]).optional().meta({ description: "json (a page, default) or csv (every contact, as a download)" }),
  after: z.coerce.number().int().min(0).optional().meta({ description: "json: the contacts after this id (the last page's nextAfter)" }),
  limit: z.coerce.number().int().min(1).max(1_000).optional(),
});

const AttemptSchema = z.object({
  n: z.number().int(),
  state: z.enum(["placing", "ringing", "answered", "ended"]),
  outcome: z.enum(["answered", "busy", "noAnswer", "failed"]).nullable(),
  token: z.string().nullable().meta({ description: "Cloudonix's session token of the call" }),
  callKey: z.string().nullable(),
  placedAt: Timestamp,
  answeredAt: Timestamp.nullable(),
  endedAt: Timestamp.nullable(),
  detail: z.string().nullable(),
});

export const ContactResultSchema = z.object({
  id: z.number().int().meta({ description: "The contact's line in the uploaded file" }),
  number: z.string(),
  timezone: z.string().nullable(),
  variables: z.record(z.string(), z.string()),
  state: z.enum(["pending", "in_flight", "done", "dnc"]),
  result: z.enum(["answered", "busy", "noAnswer", "failed"]).nullable(),
  attempts: z.array(AttemptSchema),
});
export const ResultsPage = z.object({ items: z.array(ContactResultSchema), nextAfter: z.number().int().nullable() });

export const ClockBody = z.strictObject({
  offsetMs: z
    .number()
    .int()
    .min(-366 * 86_400_000)
    .max(366 * 86_400_000),
});

// --- the do-not-call list ----------------------------------------------------------------

export const DncNumber = z
  .string()
  .max(40)
  .transform((value, ctx) => toE164(value) ?? (ctx.addIssue({ code: "custom", message: `must be a phone number in E.164 form like +14155550100, got ${JSON.stringify(value.slice(0, 40))}` }), z.NEVER));

export const AddDncBody = z.strictObject({
  numbers: z.array(DncNumber).min(1, "list at least one number").max(10_000, "at most 10000 numbers per request"),
  note: z.string().trim().max(200).optional(),
});

export const DncEntrySchema = z.object({ number: z.string(), note: z.string(), createdAt: Timestamp });
export const DncPage = Page(DncEntrySchema);
export const ListDncQuery = z.strictObject({
  q: z.string().trim().min(1).max(40).optional().meta({ description: "Numbers starting with these digits" }),
  ...pageQuery(["number", "createdAt"] as const, "number", 500),
});
export const DncNumberParams = z.object({ number: z.string().min(1).max(40).meta({ description: "The number, E.164 (+ may be written %2B or left out)" }) });
