import { useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import type { CreateCampaignBody, ResultsPage, UpdateCampaignBody } from "../../../workers/schemas/campaigns";
import { api, query, unwrap } from "./client";
import { errorFromResponse } from "./errors";
import { useApiMutation } from "./mutations";
import { uploadCsv } from "./upload";
import { session } from "./session";

export type Campaign = Awaited<ReturnType<typeof getCampaign>>;
export type CampaignProgress = NonNullable<Campaign["progress"]>;
export type CreateCampaignInput = z.input<typeof CreateCampaignBody>;
export type UpdateCampaignInput = z.input<typeof UpdateCampaignBody>;
export type ContactResults = Awaited<ReturnType<typeof getResults>>;

export const campaignKeys = {
  all: ["campaigns"] as const,
  detail: (id: string) => ["campaigns", "detail", id] as const,
  results: (id: string, after: number) => ["campaigns", "results", id, after] as const,
  dnc: ["campaigns", "do-not-call"] as const,
};

export const getCampaign = (id: string) => unwrap(api.campaigns[":id"].$get({ param: { id } }));
/** (The route also answers CSV, so its JSON type is spelled out here.) */
const getResults = (id: string, after: number) => unwrap(api.campaigns[":id"].results.$get({ param: { id }, query: query({ after, limit: 50 }) as { after?: string; limit?: string } })) as Promise<z.output<typeof ResultsPage>>;

export function useCampaigns() {
  return useQuery({ queryKey: [...campaignKeys.all, "list"], queryFn: () => unwrap(api.campaigns.$get({ query: query({ limit: 200, sort: "createdAt", order: "desc" }) })) });
}
/** While the live feed is down, a campaign under way is read this often (its progress is pushed otherwise). */
export const CAMPAIGN_POLL_MS = 15_000;

/**
 * A campaign with its progress. While it runs (or finishes its calls) the progress comes pushed
 * over the live feed (realtime/campaign-progress.ts), so it is polled only when `pushed` is
 * false: every 15 s.
 */
export function useCampaign(id: string | undefined, pushed = false) {
  return useQuery({
    queryKey: campaignKeys.detail(id ?? ""),
    queryFn: () => getCampaign(id!),
    enabled: !!id,
    refetchInterval: (q) => {
      const data = q.state.data;
      return !pushed && data && (data.status === "running" || (data.progress?.inProgress ?? 0) > 0) ? CAMPAIGN_POLL_MS : false;
    },
  });
}
export function useCampaignResults(id: string, after: number, live: boolean) {
  return useQuery({ queryKey: campaignKeys.results(id, after), queryFn: () => getResults(id, after), refetchInterval: live ? 5_000 : false });
}
export function useDoNotCall() {
  return useQuery({ queryKey: [...campaignKeys.dnc, "list"], queryFn: () => unwrap(api["do-not-call"].$get({ query: query({ limit: 500 }) })) });
}

export function useSaveCampaign(id?: string) {
  return useApiMutation({
    mutationFn: (input: CreateCampaignInput | UpdateCampaignInput) => (id ? unwrap(api.campaigns[":id"].$put({ param: { id }, json: input })) : unwrap(api.campaigns.$post({ json: input as CreateCampaignInput }))),
    invalidates: [campaignKeys.all],
    entity: "campaign",
    success: (campaign) => `Campaign "${campaign.name}" saved`,
    toastErrors: false,
  });
}

export function useDeleteCampaign() {
  return useApiMutation({ mutationFn: (id: string) => unwrap(api.campaigns[":id"].$delete({ param: { id } })), invalidates: [campaignKeys.all], entity: "campaign", success: "Campaign deleted" });
}

export type ControlAction = "start" | "pause" | "resume" | "stop";

export function useCampaignControl(id: string) {
  return useApiMutation({
    mutationFn: (action: ControlAction) => unwrap(api.campaigns[":id"][action].$post({ param: { id } })),
    invalidates: [campaignKeys.all],
    entity: "campaign",
    success: (campaign) => `Campaign ${campaign.status}`,
  });
}

/** What an upload reports: loaded, merged, invalid rows by line. */
export interface UploadResult {
  rows: number;
  imported: number;
  merged: number;
  invalid: number;
  doNotCall: number;
  errors: { line: number; field: string | null; message: string }[];
}

/** Uploads the contact list as CSV; a refused file throws the API's error, its invalid rows by line in the details. */
export const uploadContacts = (id: string, csv: Blob | string, skipInvalid: boolean) => uploadCsv<UploadResult>("PUT", `/api/campaigns/${encodeURIComponent(id)}/contacts${skipInvalid ? "?skipInvalid=true" : ""}`, csv);

export function useUploadContacts(id: string) {
  return useApiMutation({
    mutationFn: ({ csv, skipInvalid }: { csv: Blob | string; skipInvalid: boolean }) => uploadContacts(id, csv, skipInvalid),
    invalidates: [campaignKeys.all],
    entity: "campaign",
    success: (result) => `${result.imported.toLocaleString()} contacts loaded`,
    toastErrors: false,
  });
}

/** The results as a CSV download (with the session's token, so not a plain link). */
export async function downloadResults(id: string): Promise<Blob> {
  const token = session.get()?.token;
  const res = await fetch(`${window.location.origin}/api/campaigns/${encodeURIComponent(id)}/results?format=csv`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw await errorFromResponse(res);
  return res.blob();
}

export function useAddDoNotCall() {
  return useApiMutation({
    mutationFn: (input: { numbers: string[]; note?: string }) => unwrap(api["do-not-call"].$post({ json: input })),
    invalidates: [campaignKeys.dnc],
    success: (result) => `${result.added} number${result.added === 1 ? "" : "s"} added to the do-not-call list`,
  });
}
export function useRemoveDoNotCall() {
  return useApiMutation({ mutationFn: (number: string) => unwrap(api["do-not-call"][":number"].$delete({ param: { number } })), invalidates: [campaignKeys.dnc], success: "Number removed from the do-not-call list" });
}
