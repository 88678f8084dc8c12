import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import type { BulkAgentsBody, CreateAgentBody, ListAgentsQuery, UpdateAgentBody } from "../../../workers/schemas/voice-agents";
import { api, query, unwrap } from "./client";
import { useApiMutation } from "./mutations";

export type AgentFilters = Omit<z.input<typeof ListAgentsQuery>, "cursor">;
export type Agent = Awaited<ReturnType<typeof getAgent>>;
export type CreateAgentInput = z.input<typeof CreateAgentBody>;
export type UpdateAgentInput = z.input<typeof UpdateAgentBody>;

export const agentKeys = {
  all: ["voice-agents"] as const,
  list: (filters: AgentFilters) => ["voice-agents", "list", filters] as const,
  detail: (id: string) => ["voice-agents", "detail", id] as const,
  status: (id: string) => ["voice-agents", "status", id] as const,
};

export const getAgent = (id: string) => unwrap(api["voice-agents"][":id"].$get({ param: { id } }));
export const listAgents = (filters: AgentFilters) => unwrap(api["voice-agents"].$get({ query: query({ limit: 1000, ...filters }) }));

export function useAgents(filters: AgentFilters = {}) {
  return useQuery({ queryKey: agentKeys.list(filters), queryFn: () => listAgents(filters), placeholderData: keepPreviousData });
}

export function useAgent(id: string | undefined) {
  return useQuery({ queryKey: agentKeys.detail(id ?? ""), queryFn: () => getAgent(id!), enabled: !!id });
}

/** Live figures from the group balancers; null while they are unavailable. */
export function useAgentStatus(id: string) {
  return useQuery({
    queryKey: agentKeys.status(id),
    queryFn: () => unwrap(api["voice-agents"][":id"].status.$get({ param: { id } })),
    staleTime: 15_000,
  });
}

export function useCreateAgent() {
  return useApiMutation({
    mutationFn: (input: CreateAgentInput) => unwrap(api["voice-agents"].$post({ json: input })),
    invalidates: [agentKeys.all],
    entity: "voice_agent",
    success: (agent) => `Voice agent "${agent.name}" created`,
    toastErrors: false,
  });
}

export function useUpdateAgent(id: string) {
  return useApiMutation({
    mutationFn: (input: UpdateAgentInput) => unwrap(api["voice-agents"][":id"].$put({ param: { id }, json: input })),
    invalidates: [agentKeys.all],
    entity: "voice_agent",
    success: (agent) => `Voice agent "${agent.name}" saved`,
    toastErrors: false,
  });
}

export function useToggleAgent() {
  return useApiMutation({
    mutationFn: ({ id, enabled }: { id: string; enabled: boolean }) => unwrap(api["voice-agents"][":id"].toggle.$patch({ param: { id }, json: { enabled } })),
    invalidates: [agentKeys.all],
    entity: "voice_agent",
    success: (agent) => `${agent.name} ${agent.enabled ? "enabled" : "disabled"}`,
  });
}

export function useBulkAgents() {
  return useApiMutation({
    mutationFn: (input: z.input<typeof BulkAgentsBody>) => unwrap(api["voice-agents"].bulk.$post({ json: input })),
    invalidates: [agentKeys.all],
    entity: "voice_agent",
    success: (result) => `${result.changed} agent${result.changed === 1 ? "" : "s"} ${result.action === "delete" ? "deleted" : `${result.action}d`}`,
  });
}

export function useDeleteAgent() {
  return useApiMutation({
    mutationFn: (id: string) => unwrap(api["voice-agents"][":id"].$delete({ param: { id } })),
    invalidates: [agentKeys.all],
    entity: "voice_agent",
    success: "Voice agent deleted",
  });
}

export function useProviders() {
  return useQuery({ queryKey: ["providers"], queryFn: () => unwrap(api.providers.$get()), staleTime: 5 * 60_000 });
}
export type ProviderInfo = NonNullable<ReturnType<typeof useProviders>["data"]>["providers"][number];
