import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import type { SummaryQuery } from "../../../workers/schemas/analytics";
import { api, query, unwrap } from "./client";

export type SummaryParams = { [K in keyof z.input<typeof SummaryQuery>]?: string };
export const getSummary = (params: SummaryParams) => unwrap(api.analytics.summary.$get({ query: query(params) }));
export type Summary = Awaited<ReturnType<typeof getSummary>>;

export function useSummary(params: SummaryParams, options: { refetchInterval?: number } = {}) {
  return useQuery({ queryKey: ["analytics", "summary", params], queryFn: () => getSummary(params), placeholderData: keepPreviousData, ...options });
}
