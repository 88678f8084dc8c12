import { z } from "zod";
import { Instant } from "./call-records";

export const SummaryQuery = z
  .object({
    since: Instant.optional().meta({ description: "Start (inclusive); default 24 hours before until" }),
    until: Instant.optional().meta({ description: "End (exclusive); default now" }),
    interval: z.enum(["hour", "day"], { message: 'must be "hour" or "day"' }).optional().meta({ description: "Series buckets; default hour up to 48 hours, else day" }),
    timezone: z.string().min(1).max(64).optional().meta({ description: "IANA zone for the buckets; default the tenant's time zone" }),
    direction: z.enum(["inbound", "outbound"]).optional(),
    groupId: z.string().min(1).max(64).optional(),
    agentId: z.string().min(1).max(64).optional(),
  })
  .superRefine((value, ctx) => {
    if (value.since && value.until && value.since >= value.until) ctx.addIssue({ code: "custom", path: ["until"], message: "must be after since" });
  });

const Counts = {
  calls: z.number().int().meta({ description: "Calls that ended (completed, failed or timed out)" }),
  answered: z.number().int().meta({ description: "Calls an agent answered" }),
  failed: z.number().int().meta({ description: "Calls that ended failed (every attempt failed or the call was refused)" }),
  timedOut: z.number().int(),
  abandoned: z.number().int().meta({ description: "Completed without an answer (the caller hung up first)" }),
  successRate: z.number().nullable().meta({ description: "answered / calls; null without calls" }),
  avgDurationSec: z.number().nullable().meta({ description: "Mean talk time of answered calls" }),
};

const AttemptCounts = {
  attempts: z.number().int().meta({ description: "Dials made to this agent (first picks and failovers)" }),
  firstAttempts: z.number().int().meta({ description: "Calls for which this agent was the group's first pick" }),
  attemptsAnswered: z.number().int(),
  attemptsFailed: z.number().int(),
};

export const SummarySchema = z.object({
  range: z.object({ since: z.string(), until: z.string(), timezone: z.string(), interval: z.enum(["hour", "day"]) }),
  totals: z.object({
    ...Counts,
    medianDurationSec: z.number().nullable().meta({ description: "Exact median talk time of answered calls" }),
    inProgress: z.number().int().meta({ description: "Calls started in the range that have not ended" }),
  }),
  series: z.array(z.object({ start: z.string().meta({ description: "Local start of the bucket, with its UTC offset" }), end: z.string(), ...Counts })),
  agents: z.array(z.object({ agentId: z.string(), name: z.string().nullable(), ...Counts, ...AttemptCounts })),
  groups: z.array(
    z.object({
      groupId: z.string(),
      name: z.string().nullable(),
      strategy: z.string().nullable(),
      ...Counts,
      distribution: z
        .object({
          basis: z.enum(["attempts", "firstAttempts"]),
          total: z.number().int(),
          agents: z.array(
            z.object({
              agentId: z.string(),
              name: z.string().nullable(),
              member: z.boolean(),
              count: z.number().int(),
              share: z.number(),
              targetShare: z.number(),
              deviation: z.number().meta({ description: "share − targetShare" }),
            }),
          ),
        })
        .meta({ description: "Each agent's share of the group's traffic against what the strategy targets with the current members, weights and priorities" }),
    }),
  ),
});
export type SummaryDto = z.infer<typeof SummarySchema>;

export const QUALITY_GROUPINGS = ["agent", "group", "provider"] as const;

export const QualityQuery = z
  .object({
    since: Instant.optional().meta({ description: "Calls started at or after this instant; default 24 hours before until" }),
    until: Instant.optional().meta({ description: "Calls started before this instant; default now" }),
    by: z.enum(QUALITY_GROUPINGS, { message: 'must be "agent", "group" or "provider"' }).default("agent"),
  })
  .superRefine((value, ctx) => {
    if (value.since && value.until && value.since >= value.until) ctx.addIssue({ code: "custom", path: ["until"], message: "must be after since" });
  });

const QualityFiguresSchema = {
  calls: z.number().int().meta({ description: "Calls that ended (completed, failed or timed out)" }),
  callsWithQuality: z.number().int().meta({ description: "Calls whose CDR reported MOS, jitter or packet loss" }),
  mosCalls: z.number().int().meta({ description: "Calls with a MOS reported" }),
  avgMos: z.number().nullable().meta({ description: "Mean MOS per call (the lower of receive and transmit when both were reported), 4 decimals" }),
  poorMosCalls: z.number().int().meta({ description: "Calls with MOS below 3.5" }),
  poorMosShare: z.number().nullable().meta({ description: "poorMosCalls / mosCalls" }),
  avgJitterMs: z.number().nullable(),
  avgPacketLossPct: z.number().nullable(),
  billedSec: z.number().int().meta({ description: "Billed seconds (CDR billsec) of the calls" }),
  ratedCost: z.number().meta({ description: "Total rated cost (CDR rated_cost, else approx_cost)" }),
  sellCost: z.number().meta({ description: "Total sell cost (CDR sell_cost)" }),
  ratedCostPerMinute: z.number().nullable().meta({ description: "ratedCost per billed minute of the calls whose rated cost was reported; null without billed seconds" }),
  sellCostPerMinute: z.number().nullable().meta({ description: "sellCost per billed minute of the calls whose sell cost was reported" }),
};

export const QualitySchema = z.object({
  range: z.object({ since: z.string(), until: z.string() }),
  by: z.enum(QUALITY_GROUPINGS),
  rows: z.array(
    z.object({
      key: z.string().nullable().meta({ description: "The agent id, group id or provider; null for calls with none, or (by provider) whose agent was deleted" }),
      name: z.string().nullable().meta({ description: "The agent's or group's name, the provider's label; null when missing" }),
      missing: z.enum(["none", "deleted"]).nullable().meta({ description: "none: the calls had no agent (group); deleted: it has since been deleted" }),
      ...QualityFiguresSchema,
    }),
  ),
  totals: z.object(QualityFiguresSchema),
});
export type QualityDto = z.infer<typeof QualitySchema>;
