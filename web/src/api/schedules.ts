import { useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import type { CreateScheduleBody, UpdateScheduleBody } from "../../../workers/schemas/schedules";
import { api, query, unwrap } from "./client";
import { useApiMutation } from "./mutations";

export type Schedule = Awaited<ReturnType<typeof getSchedule>>;
export type ScheduleStatus = Awaited<ReturnType<typeof getScheduleStatus>>;
export type CreateScheduleInput = z.input<typeof CreateScheduleBody>;
export type UpdateScheduleInput = z.input<typeof UpdateScheduleBody>;

export const scheduleKeys = {
  all: ["schedules"] as const,
  detail: (id: string) => ["schedules", "detail", id] as const,
  status: (id: string, at: string | null) => ["schedules", "status", id, at ?? "now"] as const,
};

export const getSchedule = (id: string) => unwrap(api.schedules[":id"].$get({ param: { id } }));
export const getScheduleStatus = (id: string, at?: string) => unwrap(api.schedules[":id"].status.$get({ param: { id }, query: query({ at }) as { at?: string } }));

export function useSchedules() {
  return useQuery({ queryKey: [...scheduleKeys.all, "list"], queryFn: () => unwrap(api.schedules.$get({ query: query({ limit: 200 }) })) });
}
export function useSchedule(id: string | undefined) {
  return useQuery({ queryKey: scheduleKeys.detail(id ?? ""), queryFn: () => getSchedule(id!), enabled: !!id });
}
/** Open or closed now (or at `at`), and the week ahead; "now" is refreshed every minute. */
export function useScheduleStatus(id: string | undefined, at: string | null = null) {
  return useQuery({ queryKey: scheduleKeys.status(id ?? "", at), queryFn: () => getScheduleStatus(id!, at ?? undefined), enabled: !!id, refetchInterval: at ? false : 60_000 });
}

export function useSaveSchedule(id?: string) {
  return useApiMutation({
    mutationFn: (input: CreateScheduleInput | UpdateScheduleInput) => (id ? unwrap(api.schedules[":id"].$put({ param: { id }, json: input })) : unwrap(api.schedules.$post({ json: input as CreateScheduleInput }))),
    invalidates: [scheduleKeys.all],
    entity: "schedule",
    success: (schedule) => `Schedule "${schedule.name}" saved`,
    toastErrors: false,
  });
}

export function useDeleteSchedule() {
  return useApiMutation({ mutationFn: (id: string) => unwrap(api.schedules[":id"].$delete({ param: { id } })), invalidates: [scheduleKeys.all], entity: "schedule", success: "Schedule deleted" });
}
