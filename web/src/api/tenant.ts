import { useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import type { ConfigChange } from "../../../workers/routing/config-changed";
import type { ListAuditQuery } from "../../../workers/schemas/audit-log";
import type { UpdateTenantBody } from "../../../workers/schemas/tenant";
import type { CreateUserBody, UpdateUserBody } from "../../../workers/schemas/users";
import { api, query, unwrap } from "./client";
import { useApiMutation } from "./mutations";

export type Tenant = Awaited<ReturnType<typeof getTenant>>;
export type UpdateTenantInput = z.input<typeof UpdateTenantBody>;
export type User = Awaited<ReturnType<typeof getUser>>;
export type CreateUserInput = z.input<typeof CreateUserBody>;
export type UpdateUserInput = z.input<typeof UpdateUserBody>;

export const tenantKeys = { all: ["tenant"] as const };
export const userKeys = { all: ["users"] as const };
export const auditKeys = { all: ["audit-log"] as const };

export const getTenant = () => unwrap(api.tenant.$get());
const getUser = (id: string) => unwrap(api.users[":id"].$get({ param: { id } }));

export function useTenant() {
  return useQuery({ queryKey: tenantKeys.all, queryFn: getTenant });
}

export function useUpdateTenant() {
  return useApiMutation({
    mutationFn: (input: UpdateTenantInput) => unwrap(api.tenant.$put({ json: input })),
    invalidates: [tenantKeys.all, auditKeys.all],
    entity: "tenant",
    success: "Settings saved",
    toastErrors: false,
  });
}

/** The new key is in the result only: it is never shown again. */
export function useRotateRequestKey() {
  return useApiMutation({
    mutationFn: () => unwrap(api.tenant["request-key"].$post()),
    invalidates: [tenantKeys.all, auditKeys.all],
    entity: "tenant",
  });
}

/** Asks Cloudonix (with the tenant's stored API key) for the domain's UUID and keeps it. */
export function useReadDomainUuid() {
  return useApiMutation({
    mutationFn: () => unwrap(api.tenant["cloudonix-domain-uuid"].$post()),
    invalidates: [tenantKeys.all, auditKeys.all],
    entity: "tenant",
    success: "Domain UUID read from Cloudonix",
    toastErrors: false,
  });
}

/** New callback URLs; the previous ones keep working for the API's default grace period (one hour). */
export function useRotateCallbackToken() {
  return useApiMutation({
    mutationFn: () => unwrap(api.tenant["callback-token"].$post()),
    invalidates: [tenantKeys.all, auditKeys.all],
    entity: "tenant",
  });
}

export function useUsers() {
  return useQuery({ queryKey: userKeys.all, queryFn: () => unwrap(api.users.$get({ query: query({ limit: 200 }) })) });
}

export function useCreateUser() {
  return useApiMutation({
    mutationFn: (input: CreateUserInput) => unwrap(api.users.$post({ json: input })),
    invalidates: [userKeys.all, auditKeys.all],
    entity: "user",
    success: (user) => `User ${user.email} created`,
    toastErrors: false,
  });
}

export function useUpdateUser() {
  return useApiMutation({
    mutationFn: ({ id, ...input }: UpdateUserInput & { id: string }) => unwrap(api.users[":id"].$put({ param: { id }, json: input })),
    invalidates: [userKeys.all, auditKeys.all],
    entity: "user",
    success: (user) => `User ${user.email} saved`,
  });
}

export function useDeleteUser() {
  return useApiMutation({ mutationFn: (id: string) => unwrap(api.users[":id"].$delete({ param: { id } })), invalidates: [userKeys.all, auditKeys.all], entity: "user", success: "User deleted" });
}

/** What the audit log records changes of: the entities the Worker reports configuration changes for. */
export type AuditEntity = ConfigChange["entity"];

export type AuditFilters = z.input<typeof ListAuditQuery>;

export function useAuditLog(filters: AuditFilters) {
  return useQuery({
    queryKey: [...auditKeys.all, filters],
    queryFn: () => unwrap(api["audit-log"].$get({ query: query({ limit: 50, ...filters }) })),
  });
}
export type AuditEntry = NonNullable<ReturnType<typeof useAuditLog>["data"]>["items"][number];
