import { useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import type { CreateOutboundBody, CreateTrunkBody, UpdateOutboundBody, UpdateTrunkBody } from "../../../workers/schemas/trunks";
import { api, query, unwrap } from "./client";
import { useApiMutation } from "./mutations";

export type Trunk = Awaited<ReturnType<typeof getTrunk>>;
export type OutboundRule = Awaited<ReturnType<typeof getOutboundRule>>;
export type CreateTrunkInput = z.input<typeof CreateTrunkBody>;
export type UpdateTrunkInput = z.input<typeof UpdateTrunkBody>;
export type CreateOutboundInput = z.input<typeof CreateOutboundBody>;
export type UpdateOutboundInput = z.input<typeof UpdateOutboundBody>;

export const trunkKeys = { all: ["trunks"] as const, detail: (id: string) => ["trunks", "detail", id] as const };
export const outboundKeys = { all: ["outbound-rules"] as const, detail: (id: string) => ["outbound-rules", "detail", id] as const };

export const getTrunk = (id: string) => unwrap(api.trunks[":id"].$get({ param: { id } }));
export const getOutboundRule = (id: string) => unwrap(api["outbound-rules"][":id"].$get({ param: { id } }));

export function useTrunks() {
  return useQuery({ queryKey: [...trunkKeys.all, "list"], queryFn: () => unwrap(api.trunks.$get({ query: query({ limit: 200 }) })) });
}
export function useTrunk(id: string | undefined) {
  return useQuery({ queryKey: trunkKeys.detail(id ?? ""), queryFn: () => getTrunk(id!), enabled: !!id });
}
export function useOutboundRules() {
  return useQuery({
    queryKey: [...outboundKeys.all, "list"],
    queryFn: () => unwrap(api["outbound-rules"].$get({ query: query({ limit: 500, sort: "destinationPrefix", order: "desc" }) })),
  });
}
export function useOutboundRule(id: string | undefined) {
  return useQuery({ queryKey: outboundKeys.detail(id ?? ""), queryFn: () => getOutboundRule(id!), enabled: !!id });
}

export function useSaveTrunk(id?: string) {
  return useApiMutation({
    mutationFn: (input: CreateTrunkInput | UpdateTrunkInput) => (id ? unwrap(api.trunks[":id"].$put({ param: { id }, json: input })) : unwrap(api.trunks.$post({ json: input as CreateTrunkInput }))),
    invalidates: [trunkKeys.all],
    entity: "trunk",
    success: (trunk) => `Trunk "${trunk.name}" saved`,
    toastErrors: false,
  });
}

export function useSaveOutbound(id?: string) {
  return useApiMutation({
    mutationFn: ({ ruleId, ...input }: (CreateOutboundInput | UpdateOutboundInput) & { ruleId?: string }) => {
      const target = ruleId ?? id;
      return target ? unwrap(api["outbound-rules"][":id"].$put({ param: { id: target }, json: input })) : unwrap(api["outbound-rules"].$post({ json: input as CreateOutboundInput }));
    },
    invalidates: [outboundKeys.all],
    entity: "outbound_rule",
    success: (rule) => `Outbound rule ${rule.destinationPrefix ? `+${rule.destinationPrefix}` : "(every destination)"} saved`,
    toastErrors: id === undefined,
  });
}

export function useDeleteTrunk() {
  return useApiMutation({ mutationFn: (id: string) => unwrap(api.trunks[":id"].$delete({ param: { id } })), invalidates: [trunkKeys.all], entity: "trunk", success: "Trunk deleted" });
}
export function useDeleteOutbound() {
  return useApiMutation({ mutationFn: (id: string) => unwrap(api["outbound-rules"][":id"].$delete({ param: { id } })), invalidates: [outboundKeys.all], entity: "outbound_rule", success: "Outbound rule deleted" });
}
