import { z } from "zod";
import { CursorSchema, LimitSchema } from "./paging";
import { BooleanQuery, Page, Timestamp } from "./common";
import { CONTAINS_MAX_DAYS, containsPeriodProblem, NUMBER_MATCHES } from "../domain/number-search";

export const CALL_STATUSES = ["initiated", "routing", "ringing", "connected", "completed", "failed", "timeout"] as const;
export const RECORD_SORTS = ["startedAt", "durationSec"] as const;

export const Instant = z.iso.datetime({ offset: true, message: "must be an ISO 8601 date-time such as 2026-03-01T00:00:00Z" }).transform((text) => new Date(text));

const StatusList = z
  .union([z.string(), z.array(z.string())])
  .transform((value, ctx) => {
    const list = (Array.isArray(value) ? value : value.split(",")).map((s) => s.trim()).filter(Boolean);
    const bad = list.filter((s) => !(CALL_STATUSES as readonly string[]).includes(s));
    if (bad.length) {
      ctx.addIssue({ code: "custom", message: `unknown status ${bad.map((s) => JSON.stringify(s)).join(", ")}; use ${CALL_STATUSES.join(", ")}` });
      return z.NEVER;
    }
    return [...new Set(list)].sort();
  })
  .meta({ description: `Comma-separated call states: ${CALL_STATUSES.join(", ")}` });

const Ref = z.string().min(1).max(64);
const NumberSearch = z.string().trim().min(1, "must not be empty").max(64);
const Match = z.enum(NUMBER_MATCHES, { message: 'must be "prefix", "suffix", "exact" or "contains"' }).meta({
  description: `How the number is matched, after normalisation (separators and a leading + ignored): prefix (starts with), suffix (ends with), exact; prefix, suffix and exact are indexed. contains (anywhere in the number) scans every call of the period, so it needs since and a period of at most ${CONTAINS_MAX_DAYS} days`,
});

/** Filters shared by the list, its export and (in part) the analytics summary. */
export const recordFilterFields = {
  since: Instant.optional().meta({ description: "Calls started at or after this instant (inclusive)" }),
  until: Instant.optional().meta({ description: "Calls started before this instant (exclusive)" }),
  status: StatusList.optional(),
  direction: z.enum(["inbound", "outbound"], { message: 'must be "inbound" or "outbound"' }).optional(),
  answered: BooleanQuery.optional().meta({ description: "Only calls an agent answered (true) or not (false)" }),
  agentId: Ref.optional().meta({ description: "The agent that took (or last tried) the call" }),
  groupId: Ref.optional(),
  ruleId: Ref.optional().meta({ description: "The inbound or outbound rule that matched" }),
  trunkId: Ref.optional(),
  caller: NumberSearch.optional().meta({ description: "The caller's number (From), or its first or last digits (callerMatch); with or without +" }),
  callerMatch: Match.default("prefix"),
  callee: NumberSearch.optional().meta({ description: "The dialled number (To), or its first or last digits (calleeMatch); with or without +" }),
  calleeMatch: Match.default("prefix"),
};

const checkRange = <T extends { since?: Date | undefined; until?: Date | undefined }>(value: T, ctx: z.RefinementCtx) => {
  if (value.since && value.until && value.since >= value.until) {
    ctx.addIssue({ code: "custom", path: ["until"], message: "must be after since" });
  }
};

interface NumberFilters {
  since?: Date | undefined;
  until?: Date | undefined;
  caller?: string | undefined;
  callerMatch?: string | undefined;
  callee?: string | undefined;
  calleeMatch?: string | undefined;
}

/**
 * A "contains" search is refused over an open or long period. Checked when a list or an export
 * is asked for, not when an export's stored filters are read back (its period has aged since).
 */
export const checkContainsPeriod = (value: NumberFilters, ctx: z.RefinementCtx, path: string[] = []) => {
  const contains = (value.caller && value.callerMatch === "contains") || (value.callee && value.calleeMatch === "contains");
  const problem = contains ? containsPeriodProblem(value, Date.now()) : null;
  if (problem) ctx.addIssue({ code: "custom", path: [...path, value.since ? "until" : "since"], message: problem });
};

export const RecordFilters = z.strictObject(recordFilterFields).superRefine(checkRange);
export type RecordFilterInput = z.output<typeof RecordFilters>;

export const ListRecordsQuery = z
  .object({
    ...recordFilterFields,
    sort: z.enum(RECORD_SORTS, { message: `must be one of ${RECORD_SORTS.join(", ")}` }).default("startedAt"),
    order: z.enum(["asc", "desc"], { message: 'must be "asc" or "desc"' }).default("desc"),
    limit: LimitSchema(200),
    cursor: CursorSchema,
  })
  .superRefine(checkRange)
  .superRefine((value, ctx) => checkContainsPeriod(value, ctx));

export const RecordIdParams = z.object({ id: z.string().min(1).max(64).meta({ description: "The call record's id (cal_…)" }) });

export const CallRecordSchema = z.object({
  id: z.string(),
  callId: z.string().meta({ description: "Cloudonix's Session token (else CallSid)" }),
  direction: z.enum(["inbound", "outbound"]),
  from: z.string(),
  to: z.string(),
  callerName: z.string().nullable(),
  status: z.string(),
  disposition: z.string().nullable(),
  endReason: z.string().nullable(),
  ruleId: z.string().nullable(),
  groupId: z.string().nullable(),
  agentId: z.string().nullable(),
  trunkId: z.string().nullable(),
  attemptCount: z.number().int(),
  startedAt: Timestamp,
  answeredAt: Timestamp.nullable(),
  endedAt: Timestamp.nullable(),
  durationSec: z.number().int().nullable().meta({ description: "Talk time of an answered call (0 for unanswered calls, null while live)" }),
  billableSec: z.number().int().nullable(),
  wait: z
    .object({
      position: z.number().int().meta({ description: "Place in line on joining (1 = next)" }),
      waitSec: z.number().int().nullable().meta({ description: "Seconds waited; null while still waiting" }),
      outcome: z.string().meta({ description: "waiting, connected (an agent took the call), timeout (the maximum wait passed), abandoned (the caller hung up) or no_agents" }),
    })
    .nullable()
    .meta({ description: "The caller's time in a waiting room when the group was full; null when it never waited" }),
});
export type CallRecordDto = z.infer<typeof CallRecordSchema>;

export const CallRecordPage = Page(CallRecordSchema);

const Named = z.object({ id: z.string(), name: z.string().nullable().meta({ description: "null when it has since been deleted" }) }).nullable();

export const CallRecordDetailSchema = CallRecordSchema.extend({
  rule: Named,
  group: Named,
  agent: Named,
  trunk: Named,
  attempts: z.array(z.record(z.string(), z.unknown())).meta({ description: "Every dial, in order: target, stage, times, outcome, dial status" }),
  routing: z.unknown().meta({ description: "The routing trace: rule tried, candidates, why each was skipped, picks and refusals" }),
  flags: z
    .array(z.object({ field: z.string(), reported: z.union([z.string(), z.number(), z.null()]), used: z.union([z.string(), z.number(), z.null()]), reason: z.string() }))
    .meta({ description: "Figures Cloudonix reported that could not be true (a CDR longer than the call, an answered call reported busy): kept as reported beside what the record used instead" }),
  carrierHeaders: z.record(z.string(), z.string()).nullable().meta({ description: "The carrier's SIP headers of a trunk-inbound call (Cloudonix's trunk-sip-headers, at most 50), as routing read them; null when it had none" }),
  quality: z
    .object({ mosRx: z.number().nullable(), mosTx: z.number().nullable(), jitterMs: z.number().nullable(), packetLossPct: z.number().nullable() })
    .meta({ description: "Voice quality from the CDR (session.profile.qos): MOS received and sent (1-5), jitter in ms, packet loss in percent; null when not reported" }),
  cost: z
    .object({ rated: z.number().nullable(), sell: z.number().nullable(), ratedPerMinute: z.number().nullable(), sellPerMinute: z.number().nullable() })
    .meta({ description: "Cost from the CDR (rated_cost, else approx_cost; sell_cost) and per billed minute (null without billed seconds)" }),
  amdResult: z.string().nullable().meta({ description: "Answering-machine detection result from the CDR (session.profile.amd)" }),
  recordingUrl: z.string().nullable().meta({ description: "The call's recording, an http(s) URL" }),
  cxTrunkId: z.string().nullable().meta({ description: "Cloudonix's trunk of the call (CDR cx_trunk_id)" }),
  cxRoute: z.string().nullable().meta({ description: "Cloudonix's route of the call (CDR route)" }),
  events: z.array(z.object({ seq: z.number().int(), type: z.string(), at: Timestamp, data: z.record(z.string(), z.unknown()) })).meta({ description: "The call's event timeline, in order" }),
});
