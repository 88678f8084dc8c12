import { useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import type { CreateProviderAccountBody, UpdateProviderAccountBody } from "../../../workers/schemas/provider-accounts";
import { api, query, unwrap } from "./client";
import { useApiMutation } from "./mutations";

export type ProviderAccount = Awaited<ReturnType<typeof getProviderAccount>>;
export type CreateProviderAccountInput = z.input<typeof CreateProviderAccountBody>;
export type UpdateProviderAccountInput = z.input<typeof UpdateProviderAccountBody>;

export const providerAccountKeys = { all: ["provider-accounts"] as const, detail: (id: string) => ["provider-accounts", "detail", id] as const, status: (id: string) => ["provider-accounts", "status", id] as const };

export const getProviderAccount = (id: string) => unwrap(api["provider-accounts"][":id"].$get({ param: { id } }));

export function useProviderAccounts() {
  return useQuery({ queryKey: [...providerAccountKeys.all, "list"], queryFn: () => unwrap(api["provider-accounts"].$get({ query: query({ limit: 200 }) })) });
}
export function useProviderAccount(id: string | undefined) {
  return useQuery({ queryKey: providerAccountKeys.detail(id ?? ""), queryFn: () => getProviderAccount(id!), enabled: !!id });
}
/** The calls holding the account's slots, refreshed every 5 s. */
export function useProviderAccountStatus(id: string | undefined) {
  return useQuery({ queryKey: providerAccountKeys.status(id ?? ""), queryFn: () => unwrap(api["provider-accounts"][":id"].status.$get({ param: { id: id! } })), enabled: !!id, refetchInterval: 5_000 });
}

export function useSaveProviderAccount(id?: string) {
  return useApiMutation({
    mutationFn: (input: CreateProviderAccountInput | UpdateProviderAccountInput) => (id ? unwrap(api["provider-accounts"][":id"].$put({ param: { id }, json: input })) : unwrap(api["provider-accounts"].$post({ json: input as CreateProviderAccountInput }))),
    invalidates: [providerAccountKeys.all],
    entity: "provider_account",
    success: (account) => `Provider account "${account.name}" saved`,
    toastErrors: false,
  });
}

export function useDeleteProviderAccount() {
  return useApiMutation({ mutationFn: (id: string) => unwrap(api["provider-accounts"][":id"].$delete({ param: { id } })), invalidates: [providerAccountKeys.all], entity: "provider_account", success: "Provider account deleted" });
}
