import type { CampaignProgress } from "./runner-types";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A runner's progress as the API and the live feed show it: ISO times, no runner clock, the account fields always present. */
export function progressDto(p: CampaignProgress) {
  const { now: _now, accountFree, heldByAccount, ...rest } = p;
  return { ...rest, accountFree: accountFree ?? null, heldByAccount: heldByAccount ?? false, startedAt: iso(p.startedAt), finishedAt: iso(p.finishedAt) };
}

export type CampaignProgressDto = ReturnType<typeof progressDto>;
