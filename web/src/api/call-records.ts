import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import type { ListRecordsQuery, RecordFilters as RecordFiltersSchema } from "../../../workers/schemas/call-records";
import type { CreateExportBody } from "../../../workers/schemas/exports";
import { api, query, unwrap } from "./client";
import { useApiMutation } from "./mutations";

/** The list's filters as query parameters (an export takes the same, with `answered` a boolean). */
export type RecordFilters = z.input<typeof RecordFiltersSchema>;
export type RecordPageParams = RecordFilters & Pick<z.input<typeof ListRecordsQuery>, "sort" | "order" | "limit" | "cursor">;

export const listRecords = (params: RecordPageParams) => unwrap(api["call-records"].$get({ query: query(params) }));
export const getRecord = (id: string) => unwrap(api["call-records"][":id"].$get({ param: { id } }));
export type CallRecord = Awaited<ReturnType<typeof listRecords>>["items"][number];
export type CallRecordDetail = Awaited<ReturnType<typeof getRecord>>;
export type ExportInput = z.input<typeof CreateExportBody>;

export function useRecords(params: RecordPageParams) {
  return useQuery({ queryKey: ["call-records", "list", params], queryFn: () => listRecords(params), placeholderData: keepPreviousData });
}

export function useRecord(id: string | undefined) {
  return useQuery({ queryKey: ["call-records", "detail", id], queryFn: () => getRecord(id!), enabled: !!id });
}

export function useCreateExport() {
  return useApiMutation({
    mutationFn: (input: ExportInput) => unwrap(api["call-records"].export.$post({ json: input })),
    invalidates: [],
  });
}

/** Polls an export until it is done, failed or expired. */
export function useExport(id: string | null) {
  return useQuery({
    queryKey: ["exports", id],
    queryFn: () => unwrap(api.exports[":id"].$get({ param: { id: id! } })),
    enabled: !!id,
    refetchInterval: (q) => (q.state.data && ["done", "failed", "expired"].includes(q.state.data.status) ? false : 1000),
  });
}
export type ExportJob = NonNullable<ReturnType<typeof useExport>["data"]>;
