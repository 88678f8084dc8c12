import { z } from "zod";
import { BooleanQuery, Page, SearchQuery, Timestamp, VersionField, pageQuery } from "./common";

export const RoleSchema = z.enum(["admin", "user"], { message: 'must be "admin" (may change everything) or "user" (read-only)' });

export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(320)
  .pipe(z.email({ message: "must be an email address like ops@example.com" }));

export const NewPassword = z
  .string()
  .min(12, "must be at least 12 characters")
  .max(256, "must be at most 256 characters")
  .refine((value) => value.trim().length === value.length, "must not start or end with spaces");

export const UserSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: RoleSchema,
  disabled: z.boolean(),
  lastLoginAt: Timestamp.nullable(),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type UserDto = z.output<typeof UserSchema>;

export const UserPage = Page(UserSchema);

export const CreateUserBody = z.strictObject({
  email: Email,
  name: z.string().trim().max(200).optional(),
  role: RoleSchema.default("user"),
  password: NewPassword.meta({ description: "The user's initial password (12+ characters); stored only as a PBKDF2 hash" }),
});

export const UpdateUserBody = z.strictObject({
  name: z.string().trim().max(200).optional(),
  role: RoleSchema.optional(),
  disabled: z.boolean().optional().meta({ description: "A disabled user cannot sign in and their sessions end at once" }),
  password: NewPassword.optional().meta({ description: "Sets a new password and ends the user's sessions" }),
  version: VersionField,
});

export const USER_SORTS = ["email", "name", "createdAt"] as const;
export const ListUsersQuery = z.strictObject({
  q: SearchQuery.meta({ description: "Matches email or name" }),
  role: RoleSchema.optional(),
  disabled: BooleanQuery.optional(),
  ...pageQuery(USER_SORTS, "email", 200),
});

export function toUserDto(row: { id: string; email: string; name: string; role: "admin" | "user"; disabled: boolean; lastLoginAt: Date | null; version: number; createdAt: Date; updatedAt: Date }): UserDto {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    disabled: row.disabled,
    lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

// --- auth -------------------------------------------------------------------------------

export const LoginBody = z.strictObject({
  email: z.string().trim().min(1, "enter your email").max(320),
  password: z.string().min(1, "enter your password").max(1024),
});

export const SessionUser = z.object({ id: z.string(), email: z.string(), name: z.string(), role: RoleSchema });
export const SessionTenant = z.object({ id: z.string(), name: z.string() });

export const TokenResponse = z.object({
  token: z.string().meta({ description: "Send as Authorization: Bearer <token>" }),
  tokenType: z.literal("Bearer"),
  expiresAt: Timestamp,
  user: SessionUser,
  tenant: SessionTenant,
});

export const MeResponse = z.object({
  user: SessionUser,
  role: RoleSchema,
  tenant: SessionTenant,
  session: z.object({ id: z.string(), expiresAt: Timestamp }),
});

export const ChangePasswordBody = z.strictObject({
  currentPassword: z.string().min(1, "enter your current password").max(1024),
  newPassword: NewPassword,
});

export const LogoutBody = z.strictObject({
  allSessions: z.boolean().optional().meta({ description: "End every session of this user (all devices), not only this one" }),
});
