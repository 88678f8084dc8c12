import { useQuery } from "@tanstack/react-query";
import type { CreateApiKeyInput } from "../../../workers/schemas/api-keys";
import { api, unwrap } from "./client";
import { useApiMutation } from "./mutations";
import { auditKeys } from "./tenant";

export type { CreateApiKeyInput };
export type ApiKey = Awaited<ReturnType<typeof listApiKeys>>["items"][number];
export type CreatedApiKey = Awaited<ReturnType<typeof createApiKey>>;

export const apiKeyKeys = { all: ["api-keys"] as const };

const listApiKeys = () => unwrap(api["api-keys"].$get());
const createApiKey = (input: CreateApiKeyInput) => unwrap(api["api-keys"].$post({ json: input }));

/** Admins only: the API answers 403 to anyone else, so the query is not even made for them. */
export function useApiKeys(enabled = true) {
  return useQuery({ queryKey: apiKeyKeys.all, queryFn: listApiKeys, enabled });
}

/** The new key is in the result only: it is never shown again. */
export function useCreateApiKey() {
  return useApiMutation({ mutationFn: createApiKey, invalidates: [apiKeyKeys.all, auditKeys.all], toastErrors: false });
}

export function useRevokeApiKey() {
  return useApiMutation({
    mutationFn: (id: string) => unwrap(api["api-keys"][":id"].revoke.$post({ param: { id } })),
    invalidates: [apiKeyKeys.all, auditKeys.all],
    success: (key) => `API key "${key.name}" revoked`,
  });
}

export function useDeleteApiKey() {
  return useApiMutation({ mutationFn: (id: string) => unwrap(api["api-keys"][":id"].$delete({ param: { id } })), invalidates: [apiKeyKeys.all, auditKeys.all], success: "API key deleted" });
}
