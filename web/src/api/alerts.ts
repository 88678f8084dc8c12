import { useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import type { CreateAlertRuleBody, UpdateAlertRuleBody } from "../../../workers/schemas/alerts";
import { api, query, unwrap } from "./client";
import { useApiMutation } from "./mutations";
import { auditKeys } from "./tenant";

export type CreateAlertRuleInput = z.input<typeof CreateAlertRuleBody>;
export type UpdateAlertRuleInput = z.input<typeof UpdateAlertRuleBody>;
export type AlertRule = Awaited<ReturnType<typeof listRules>>["items"][number];
export type Alert = Awaited<ReturnType<typeof listAlerts>>["items"][number];

export const alertKeys = { rules: ["alert-rules"] as const, alerts: ["alerts"] as const };

const listRules = () => unwrap(api["alert-rules"].$get());
const listAlerts = (status?: "open" | "resolved") => unwrap(api.alerts.$get({ query: query({ status, limit: 50 }) }));

export function useAlertRules() {
  return useQuery({ queryKey: [...alertKeys.rules, "list"], queryFn: listRules });
}

/** Open alerts, or the most recent ones (open and resolved); refreshed every 15 s. */
export function useAlerts(status?: "open") {
  return useQuery({ queryKey: [...alertKeys.alerts, status ?? "recent"], queryFn: () => listAlerts(status), refetchInterval: 15_000 });
}

/** The tenant's schedules by name, for the "no calls answered while open" rule. */
export function useScheduleOptions(enabled: boolean) {
  return useQuery({ queryKey: ["schedules", "options"], queryFn: () => unwrap(api.schedules.$get({ query: query({ limit: 200 }) })), enabled });
}

export function useSaveAlertRule(id?: string) {
  return useApiMutation({
    mutationFn: (input: CreateAlertRuleInput | UpdateAlertRuleInput) => (id ? unwrap(api["alert-rules"][":id"].$put({ param: { id }, json: input as UpdateAlertRuleInput })) : unwrap(api["alert-rules"].$post({ json: input as CreateAlertRuleInput }))),
    invalidates: [alertKeys.rules, alertKeys.alerts, auditKeys.all],
    success: (rule) => `Alert rule "${rule.name}" saved`,
    toastErrors: false,
  });
}

export function useToggleAlertRule() {
  return useApiMutation({
    mutationFn: ({ id, enabled }: { id: string; enabled: boolean }) => unwrap(api["alert-rules"][":id"].$put({ param: { id }, json: { enabled } })),
    invalidates: [alertKeys.rules, alertKeys.alerts, auditKeys.all],
    success: (rule) => `Alert rule "${rule.name}" ${rule.enabled ? "enabled" : "disabled"}`,
  });
}

export function useDeleteAlertRule() {
  return useApiMutation({ mutationFn: (id: string) => unwrap(api["alert-rules"][":id"].$delete({ param: { id } })), invalidates: [alertKeys.rules, alertKeys.alerts, auditKeys.all], success: "Alert rule deleted" });
}
