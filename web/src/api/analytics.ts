import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import type { QualityQuery, SummaryQuery } from "../../../workers/schemas/analytics";
import { api, query, unwrap } from "./client";

export type SummaryParams = { [K in keyof z.input<typeof SummaryQuery>]?: string };
export const getSummary = (params: SummaryParams) => unwrap(api.analytics.summary.$get({ query: query(params) }));
export type Summary = Awaited<ReturnType<typeof getSummary>>;

export function useSummary(params: SummaryParams, options: { refetchInterval?: number } = {}) {
  return useQuery({ queryKey: ["analytics", "summary", params], queryFn: () => getSummary(params), placeholderData: keepPreviousData, ...options });
}

export type QualityParams = { [K in keyof z.input<typeof QualityQuery>]?: string };
export const getQuality = (params: QualityParams) => unwrap(api.analytics.quality.$get({ query: query(params) }));
export type Quality = Awaited<ReturnType<typeof getQuality>>;
export type QualityRow = Quality["rows"][number];

export function useQuality(params: QualityParams) {
  return useQuery({ queryKey: ["analytics", "quality", params], queryFn: () => getQuality(params), placeholderData: keepPreviousData });
}
