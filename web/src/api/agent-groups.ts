import { useRef } from "react";
import { useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import type { CreateGroupBody, ReplaceMembersBody, UpdateGroupBody } from "../../../workers/schemas/agent-groups";
import { api, query, unwrap } from "./client";
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
    entity: "agent_group",
    success: (group) => `Agent group "${group.name}" created`,
    toastErrors: false,
  });
}

/**
 * A group's settings, then its members (with the version the settings produced), as one save:
 * the group is refetched only once both are in, so the form is not rebuilt from the server
 * between the two requests and a members error reaches it with the edits intact.
 */
export function useSaveGroup(id: string) {
  const client = useQueryClient();
  // When the members failed, the settings are saved and the group is a version ahead of the
  // form: trying again starts from that version instead of failing on a conflict.
  const savedVersion = useRef<number | null>(null);
  return useApiMutation({
    mutationFn: async ({ settings, members }: { settings: UpdateGroupInput; members: MembersInput | null }) => {
      const group = await unwrap(api["agent-groups"][":id"].$put({ param: { id }, json: { ...settings, version: savedVersion.current ?? settings.version } }));
      savedVersion.current = group.version;
      if (members) {
        try {
          await unwrap(api["agent-groups"][":id"].members.$put({ param: { id }, json: { ...members, version: group.version } }));
        } catch (err) {
          // The list shows the saved settings; the form (from the detail) keeps the edits.
          void client.invalidateQueries({ queryKey: groupKeys.list() });
          throw err;
        }
      }
      savedVersion.current = null;
      return group;
    },
    invalidates: [groupKeys.all],
    entity: "agent_group",
    success: (group) => `Agent group "${group.name}" saved`,
    toastErrors: false,
  });
}

export function useDeleteGroup() {
  return useApiMutation({
    mutationFn: (id: string) => unwrap(api["agent-groups"][":id"].$delete({ param: { id } })),
    invalidates: [groupKeys.all],
    entity: "agent_group",
    success: "Agent group deleted",
  });
}

export const getGroupStats = (id: string) => unwrap(api["agent-groups"][":id"].stats.$get({ param: { id } }));

/** How a member fared with the group's balancer: taken out for health now, and its failed dials. */
export interface MemberHealth {
  agentId: string;
  healthy: boolean;
  /** Back in rotation at (epoch ms) when out now. */
  unhealthyUntil: number | null;
  consecutiveFailures: number;
  failures: number;
}

const num = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : 0);

/** The balancer's live figures are owned by it (an open record in the API): read defensively. */
export function memberHealthOf(live: Record<string, unknown> | null | undefined): Map<string, MemberHealth> {
  const out = new Map<string, MemberHealth>();
  const members = Array.isArray(live?.members) ? (live.members as Record<string, unknown>[]) : [];
  for (const m of members) {
    if (!m || typeof m.agentId !== "string") continue;
    out.set(m.agentId, {
      agentId: m.agentId,
      healthy: m.healthy !== false,
      unhealthyUntil: typeof m.unhealthyUntil === "number" ? m.unhealthyUntil : null,
      consecutiveFailures: num(m.consecutiveFailures),
      failures: num(m.failures),
    });
  }
  return out;
}

/** Each member's health in the group's balancer; polled, since health changes on its own clock (60 s cool-downs). */
const groupHealthQuery = (id: string) => ({
  queryKey: [...groupKeys.detail(id), "stats"],
  queryFn: async () => memberHealthOf((await getGroupStats(id)).live),
  refetchInterval: 15_000,
});

export function useGroupHealth(id: string | undefined) {
  return useQuery({ ...groupHealthQuery(id ?? ""), enabled: !!id });
}

/** Several groups' member health at once, by group id. */
export function useGroupsHealth(ids: string[]): Map<string, Map<string, MemberHealth>> {
  const results = useQueries({ queries: ids.map(groupHealthQuery) });
  return new Map(ids.flatMap((id, i) => (results[i]?.data ? [[id, results[i].data] as const] : [])));
}
