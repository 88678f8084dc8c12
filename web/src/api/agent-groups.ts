import { useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import type { CreateGroupBody, ReplaceMembersBody, UpdateGroupBody } from "../../../workers/schemas/agent-groups";
import { api, query, unwrap, withJson } from "./client";
import { useApiMutation } from "./mutations";

export type Group = Awaited<ReturnType<typeof getGroup>>;
export type GroupMember = Group["members"][number];
export type CreateGroupInput = z.input<typeof CreateGroupBody>;
export type UpdateGroupInput = z.input<typeof UpdateGroupBody>;
export type MembersInput = z.input<typeof ReplaceMembersBody>;

export const groupKeys = {
  all: ["agent-groups"] as const,
  list: () => ["agent-groups", "list"] as const,
  detail: (id: string) => ["agent-groups", "detail", id] as const,
};

export const getGroup = (id: string) => unwrap(api["agent-groups"][":id"].$get({ param: { id } }));

export function useGroups() {
  return useQuery({ queryKey: groupKeys.list(), queryFn: () => unwrap(api["agent-groups"].$get({ query: query({ limit: 200 }) })) });
}

export function useGroup(id: string | undefined) {
  return useQuery({ queryKey: groupKeys.detail(id ?? ""), queryFn: () => getGroup(id!), enabled: !!id });
}

export function useCreateGroup() {
  return useApiMutation({
    mutationFn: (input: CreateGroupInput) => unwrap(api["agent-groups"].$post({ json: input })),
    invalidates: [groupKeys.all],
    success: (group) => `Agent group "${group.name}" created`,
    toastErrors: false,
  });
}

export function useUpdateGroup(id: string) {
  return useApiMutation({
    mutationFn: (input: UpdateGroupInput) => unwrap(api["agent-groups"][":id"].$put(withJson({ param: { id } }, input))),
    invalidates: [groupKeys.all],
    success: (group) => `Agent group "${group.name}" saved`,
    toastErrors: false,
  });
}

export function useReplaceMembers(id: string) {
  return useApiMutation({
    mutationFn: (input: MembersInput) => unwrap(api["agent-groups"][":id"].members.$put(withJson({ param: { id } }, input))),
    invalidates: [groupKeys.all],
    success: "Members saved",
    toastErrors: false,
  });
}

export function useDeleteGroup() {
  return useApiMutation({
    mutationFn: (id: string) => unwrap(api["agent-groups"][":id"].$delete({ param: { id } })),
    invalidates: [groupKeys.all],
    success: "Agent group deleted",
  });
}
