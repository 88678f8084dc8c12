import { useEffect } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { campaignKeys, type Campaign, type CampaignProgress } from "../api/campaigns";
import { useRealtime } from "./provider";

/**
 * Keeps a campaign's cached progress current from the live feed: its runner pushes it
 * ("campaign.progress", at most once a second while it runs, and at each change of status).
 * Returns whether pushes can arrive (the feed is open): while it is down the caller polls. When
 * the feed comes (back), the campaign is read once, since pushes are not replayed.
 */
export function useCampaignProgressPush(id: string): boolean {
  const { state, client } = useRealtime();
  const queryClient = useQueryClient();
  const open = state === "open";
  useEffect(() => {
    if (!client || !id) return;
    return client.subscribe({
      onTransient: (message) => {
        const data = message.data as { campaignId?: unknown; progress?: CampaignProgress };
        if (message.event !== "campaign.progress" || data.campaignId !== id || typeof data.progress?.status !== "string") return;
        const progress = data.progress;
        // A read still under way would land older figures over these: it is dropped.
        void queryClient.cancelQueries({ queryKey: campaignKeys.detail(id) });
        queryClient.setQueryData<Campaign>(campaignKeys.detail(id), (old) => (old ? { ...old, status: progress.status, progress } : old));
      },
    });
  }, [client, id, queryClient]);
  useEffect(() => {
    if (open && id) void queryClient.invalidateQueries({ queryKey: campaignKeys.detail(id) });
  }, [open, id, queryClient]);
  return open;
}
