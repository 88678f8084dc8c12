import { z } from "zod";
import { Name, Page, SearchQuery, Timestamp, VersionField, pageQuery } from "./common";

/** A provider account's cap: at least one call (an account that takes none would only refuse). */
export const AccountCap = z
  .number({ message: "must be a whole number of calls" })
  .int("must be a whole number of calls")
  .min(1, "must be at least 1: an account that takes no call would refuse every one (disable its agents instead)")
  .max(100_000, "must be at most 100000")
  .meta({ description: "Calls the account takes at once, across all its agents, from any group, rule or campaign" });

export const CreateProviderAccountBody = z.strictObject({
  name: Name,
  description: z.string().trim().max(1000).optional(),
  maxConcurrentCalls: AccountCap,
});

export const UpdateProviderAccountBody = z
  .strictObject({
    name: Name.optional(),
    description: z.string().trim().max(1000).optional(),
    maxConcurrentCalls: AccountCap.optional(),
    version: VersionField,
  })
  .meta({ description: "Only the fields sent change" });

export const ProviderAccountSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  maxConcurrentCalls: z.number().int(),
  agentCount: z.number().int().meta({ description: "Agents assigned to the account" }),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type ProviderAccountDto = z.output<typeof ProviderAccountSchema>;
export const ProviderAccountPage = Page(ProviderAccountSchema);

export const PROVIDER_ACCOUNT_SORTS = ["name", "createdAt", "updatedAt"] as const;
export const ListProviderAccountsQuery = z.strictObject({
  q: SearchQuery.meta({ description: "Matches name or description" }),
  ...pageQuery(PROVIDER_ACCOUNT_SORTS, "name", 200),
});

export const ProviderAccountStatusSchema = z.object({
  accountId: z.string(),
  maxConcurrentCalls: z.number().int(),
  active: z.number().int().meta({ description: "Calls holding one of the account's slots now" }),
  calls: z.array(z.object({ callKey: z.string(), agentId: z.string(), since: Timestamp, expiresAt: Timestamp })).meta({ description: "The calls holding a slot (at most 200), oldest first" }),
});
