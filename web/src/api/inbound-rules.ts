import { useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import type { CreateInboundBody, UpdateInboundBody } from "../../../workers/schemas/inbound-rules";
import { api, query, unwrap } from "./client";
import { useApiMutation } from "./mutations";

export type InboundRule = Awaited<ReturnType<typeof getInboundRule>>;
export type CreateInboundInput = z.input<typeof CreateInboundBody>;
export type UpdateInboundInput = z.input<typeof UpdateInboundBody>;

export const inboundKeys = {
  all: ["inbound-rules"] as const,
  list: () => ["inbound-rules", "list"] as const,
  detail: (id: string) => ["inbound-rules", "detail", id] as const,
};

export const getInboundRule = (id: string) => unwrap(api["inbound-rules"][":id"].$get({ param: { id } }));

/** Every rule (a tenant has at most a few thousand), in match order: exact, then longer prefixes, then priority. */
export function useInboundRules() {
  return useQuery({
    queryKey: inboundKeys.list(),
    queryFn: async () => {
      const items: InboundRule[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: InboundRule[]; nextCursor: string | null } = await unwrap(api["inbound-rules"].$get({ query: query({ limit: 500, cursor }) }));
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor && items.length < 10_000);
      return items;
    },
  });
}

export function useInboundRule(id: string | undefined) {
  return useQuery({ queryKey: inboundKeys.detail(id ?? ""), queryFn: () => getInboundRule(id!), enabled: !!id });
}

export function useCreateInbound() {
  return useApiMutation({
    mutationFn: (input: CreateInboundInput) => unwrap(api["inbound-rules"].$post({ json: input })),
    invalidates: [inboundKeys.all],
    entity: "inbound_rule",
    success: (rule) => `Inbound rule ${rule.displayPattern} created`,
    toastErrors: false,
  });
}

export function useUpdateInbound(id?: string) {
  return useApiMutation({
    mutationFn: ({ ruleId, ...input }: UpdateInboundInput & { ruleId?: string }) => unwrap(api["inbound-rules"][":id"].$put({ param: { id: ruleId ?? id! }, json: input })),
    invalidates: [inboundKeys.all],
    entity: "inbound_rule",
    success: (rule) => `Inbound rule ${rule.displayPattern} ${rule.enabled ? "saved" : "saved (disabled)"}`,
    toastErrors: id === undefined,
  });
}

export function useDeleteInbound() {
  return useApiMutation({
    mutationFn: (id: string) => unwrap(api["inbound-rules"][":id"].$delete({ param: { id } })),
    invalidates: [inboundKeys.all],
    entity: "inbound_rule",
    success: "Inbound rule deleted",
  });
}
