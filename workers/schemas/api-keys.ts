import { z } from "zod";
import { Timestamp } from "./common";
import { RoleSchema } from "./users";

/** The longest an API key may live: a key meant to last should still be rotated now and then. */
export const MAX_KEY_LIFETIME_DAYS = 730;

export const ApiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  role: RoleSchema,
  hint: z.string().meta({ description: "The key's last 4 characters" }),
  status: z.enum(["active", "expired", "revoked"]),
  expiresAt: Timestamp.nullable(),
  lastUsedAt: Timestamp.nullable().meta({ description: "When the key last authenticated a request (updated at most once a minute)" }),
  revokedAt: Timestamp.nullable(),
  createdAt: Timestamp,
  createdBy: z.object({ userId: z.string().nullable(), apiKeyId: z.string().nullable(), name: z.string().nullable() }).meta({ description: "The user (email) or API key (name) that created it" }),
});
export type ApiKeyDto = z.output<typeof ApiKeySchema>;

export const ApiKeyList = z.object({ items: z.array(ApiKeySchema) });

export const CreatedApiKey = ApiKeySchema.extend({
  key: z.string().meta({ description: "The key itself: shown this once, never again. Send it as Authorization: Bearer <key>" }),
});

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses (a name is shown in lists and the audit log).
const CONTROL = /[\u0000-\u001f\u007f]/;

export const KeyName = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(100, "must be at most 100 characters")
  .refine((value) => !CONTROL.test(value), "must not contain control characters");

export const CreateApiKeyBody = z.strictObject({
  name: KeyName.meta({ description: "What the key is for, e.g. the system that uses it" }),
  role: RoleSchema.default("user").meta({ description: "admin (may change everything) or user (read-only, the default); never above the role of the key creating it" }),
  expiresAt: z.iso
    .datetime({ offset: true, message: "must be an ISO 8601 date-time like 2027-01-31T00:00:00Z" })
    .nullable()
    .optional()
    .refine((value) => !value || Date.parse(value) > Date.now(), "must be in the future")
    .refine((value) => !value || Date.parse(value) <= Date.now() + MAX_KEY_LIFETIME_DAYS * 86_400_000, `must be at most ${MAX_KEY_LIFETIME_DAYS} days from now`)
    .meta({ description: `When the key stops working (at most ${MAX_KEY_LIFETIME_DAYS} days ahead); omitted or null: until revoked` }),
});
export type CreateApiKeyInput = z.input<typeof CreateApiKeyBody>;

export function toApiKeyDto(
  row: {
    id: string;
    name: string;
    role: "admin" | "user";
    keyHint: string;
    expiresAt: Date | null;
    lastUsedAt: Date | null;
    revokedAt: Date | null;
    createdAt: Date;
    createdByUserId: string | null;
    createdByApiKeyId: string | null;
    createdByName: string | null;
  },
  now = new Date(),
): ApiKeyDto {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    hint: row.keyHint,
    status: row.revokedAt ? "revoked" : row.expiresAt && row.expiresAt <= now ? "expired" : "active",
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    createdBy: { userId: row.createdByUserId, apiKeyId: row.createdByApiKeyId, name: row.createdByName },
  };
}
