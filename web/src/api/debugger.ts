import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import type { ListDeadLettersQuery } from "../../../workers/schemas/dead-letters";
import type { ListDeliveriesQuery } from "../../../workers/schemas/webhook-deliveries";
import { api, query, unwrap } from "./client";
import { useApiMutation } from "./mutations";

/** Query parameters as the URL carries them (dates as ISO text). */
type Params<T extends z.ZodType> = { [K in keyof z.input<T>]?: string | number };
export type DeliveryParams = Params<typeof ListDeliveriesQuery>;
export type DeadLetterParams = Params<typeof ListDeadLettersQuery>;

export const debuggerKeys = { all: ["debugger"] as const, letters: ["debugger", "dead-letters"] as const };
const auditKey = ["audit-log"] as const;

const listDeliveries = (params: DeliveryParams) => unwrap(api["webhook-deliveries"].$get({ query: query(params) }));
const getDelivery = (id: number) => unwrap(api["webhook-deliveries"][":id"].$get({ param: { id: String(id) } }));
const getSummary = () => unwrap(api["webhook-deliveries"].summary.$get({ query: { window: "15m" } }));
const listLetters = (params: DeadLetterParams) => unwrap(api["dead-letters"].$get({ query: query(params) }));
const getLetter = (id: number) => unwrap(api["dead-letters"][":id"].$get({ param: { id: String(id) } }));

export type Delivery = Awaited<ReturnType<typeof listDeliveries>>["items"][number];
export type DeliveryDetail = Awaited<ReturnType<typeof getDelivery>>;
export type DeadLetter = Awaited<ReturnType<typeof listLetters>>["items"][number];
export type DeadLetterDetail = Awaited<ReturnType<typeof getLetter>>;
export type DeliverySummary = Awaited<ReturnType<typeof getSummary>>;

export function useDeliveries(params: DeliveryParams) {
  return useQuery({ queryKey: [...debuggerKeys.all, "deliveries", params], queryFn: () => listDeliveries(params), placeholderData: keepPreviousData });
}

export function useDelivery(id: number | null) {
  return useQuery({ queryKey: [...debuggerKeys.all, "delivery", id], queryFn: () => getDelivery(id!), enabled: id !== null });
}

/** The last 15 minutes of deliveries and the parked letters, for the dashboard's alert. */
export function useDeliverySummary() {
  return useQuery({ queryKey: [...debuggerKeys.all, "summary"], queryFn: getSummary, refetchInterval: 60_000 });
}

export function useDeadLetters(params: DeadLetterParams) {
  return useQuery({ queryKey: [...debuggerKeys.letters, params], queryFn: () => listLetters(params), placeholderData: keepPreviousData });
}

export function useDeadLetter(id: number | null) {
  return useQuery({ queryKey: [...debuggerKeys.letters, "detail", id], queryFn: () => getLetter(id!), enabled: id !== null });
}

export function useReplayLetter() {
  return useApiMutation({
    mutationFn: (id: number) => unwrap(api["dead-letters"][":id"].replay.$post({ param: { id: String(id) } })),
    // A replay stores deliveries and call records: every debugger list may change.
    invalidates: [debuggerKeys.all, auditKey, ["call-records"]],
    success: (result) => result.message,
  });
}

export function useDiscardLetter() {
  return useApiMutation({
    mutationFn: (id: number) => unwrap(api["dead-letters"][":id"].discard.$post({ param: { id: String(id) } })),
    invalidates: [debuggerKeys.all, auditKey],
    success: (result) => result.message,
  });
}

export function useReplayAll() {
  return useApiMutation({
    mutationFn: () => unwrap(api["dead-letters"].replay.$post()),
    invalidates: [debuggerKeys.all, auditKey, ["call-records"]],
    success: (r) => `Replayed ${r.replayed}; ${r.skipped.length} could not be replayed; ${r.remaining} still parked`,
  });
}
