import { z } from "zod";
import { BooleanQuery, Page, SearchQuery, Timestamp, VersionField, pageQuery } from "./common";
import { PatternList } from "./tenant";

export const TrunkName = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(120, "must be at most 120 characters")
  .regex(/^[^\s,"'<>&]+$/, "must be the trunk's name in Cloudonix: no spaces, commas, quotes or <>&")
  .meta({ description: 'The trunk\'s name in Cloudonix, as used in <Dial trunks="…">' });

export const CallerId = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const compact = value.replace(/[\s().-]/g, "");
    const withPlus = compact.startsWith("+") ? compact : `+${compact}`;
    if (!/^\+[1-9]\d{6,14}$/.test(withPlus)) {
      ctx.addIssue({ code: "custom", message: `must be a phone number in E.164 form like +14155550100, got "${value}"` });
      return z.NEVER;
    }
    return withPlus;
  });

export const CreateTrunkBody = z.strictObject({
  name: TrunkName,
  description: z.string().trim().max(1000).optional(),
  callerIdOverride: CallerId.nullable().optional().meta({ description: "Caller ID presented on calls out of this trunk; null = the caller's" }),
  enabled: z.boolean().optional(),
});

export const UpdateTrunkBody = z
  .strictObject({
    name: TrunkName.optional(),
    description: z.string().trim().max(1000).optional(),
    callerIdOverride: CallerId.nullable().optional(),
    enabled: z.boolean().optional(),
    version: VersionField,
  })
  .meta({ description: "Only the fields sent change" });

export const TrunkSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  callerIdOverride: z.string().nullable(),
  enabled: z.boolean(),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type TrunkDto = z.output<typeof TrunkSchema>;
export const TrunkPage = Page(TrunkSchema);

export const TRUNK_SORTS = ["name", "createdAt", "updatedAt"] as const;
export const ListTrunksQuery = z.strictObject({
  q: SearchQuery.meta({ description: "Matches name or description" }),
  enabled: BooleanQuery.optional(),
  ...pageQuery(TRUNK_SORTS, "name", 200),
});

// --- outbound rules -----------------------------------------------------------------------

export const DestinationPrefix = z
  .string()
  .trim()
  .max(40)
  .transform((value, ctx) => {
    const compact = value
      .replace(/[\s().-]/g, "")
      .replace(/^\+/, "")
      .replace(/\*$/, "");
    if (!/^\d{0,20}$/.test(compact)) {
      ctx.addIssue({ code: "custom", message: `must be digits such as +44 or 1212 (empty for every destination), got "${value}"` });
      return z.NEVER;
    }
    return compact;
  })
  .meta({ description: 'Destinations starting with this ("+44", "1212"); "" matches every destination. The longest matching prefix wins.' });

const TrunkIds = z
  .array(z.string().min(1).max(64))
  .min(1, "list at least one trunk")
  .max(10, "at most 10 trunks")
  .refine((ids) => new Set(ids).size === ids.length, "each trunk may appear only once")
  .meta({ description: "Trunk ids in dialling order: the first is tried first, the rest on failure" });

const Priority = z.number().int().min(0, "must be 0 to 10000").max(10_000, "must be 0 to 10000");

export const CreateOutboundBody = z.strictObject({
  name: z.string().trim().max(200).optional(),
  callerPatterns: PatternList(50).optional().meta({ description: "Callers this rule applies to (+1555*, +14155550100); empty = every caller" }),
  destinationPrefix: DestinationPrefix,
  trunkIds: TrunkIds,
  priority: Priority.optional().meta({ description: "Lower wins among rules with the same prefix (default 100)" }),
  enabled: z.boolean().optional(),
});

export const UpdateOutboundBody = z
  .strictObject({
    name: z.string().trim().max(200).optional(),
    callerPatterns: PatternList(50).optional(),
    destinationPrefix: DestinationPrefix.optional(),
    trunkIds: TrunkIds.optional(),
    priority: Priority.optional(),
    enabled: z.boolean().optional(),
    version: VersionField,
  })
  .meta({ description: "Only the fields sent change" });

export const OutboundRuleSchema = z.object({
  id: z.string(),
  name: z.string(),
  callerPatterns: z.array(z.string()),
  destinationPrefix: z.string(),
  trunkIds: z.array(z.string()),
  priority: z.number().int(),
  enabled: z.boolean(),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type OutboundRuleDto = z.output<typeof OutboundRuleSchema>;
export const OutboundRulePage = Page(OutboundRuleSchema);

export const OUTBOUND_SORTS = ["destinationPrefix", "priority", "name", "createdAt", "updatedAt"] as const;
export const ListOutboundQuery = z.strictObject({
  q: SearchQuery.meta({ description: "Matches the name or the destination prefix" }),
  enabled: BooleanQuery.optional(),
  trunkId: z.string().max(64).optional().meta({ description: "Only rules that use this trunk" }),
  ...pageQuery(OUTBOUND_SORTS, "destinationPrefix", 500),
});
