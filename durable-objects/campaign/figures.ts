import type { AttemptResult, CampaignProgress, ContactResult, RunnerConfig } from "../../workers/campaigns/runner-types";
import type { CampaignStore } from "./store";

export type ProgressCounts = Omit<CampaignProgress, "status" | "lastError" | "startedAt" | "finishedAt" | "now" | "accountFree" | "heldByAccount">;

/** A campaign's figures from its contacts and attempts (two grouped counts and the last minute's placements). */
export function progressCounts(store: CampaignStore, config: RunnerConfig | null, now: number): ProgressCounts {
  const c = store.counts();
  const a = store.attemptCounts();
  const sum = (counts: Record<string, number>, prefix: string) => Object.entries(counts).reduce((n, [k, v]) => (k.startsWith(prefix) ? n + v : n), 0);
  const inProgress = sum(a, "placing:") + sum(a, "ringing:") + sum(a, "answered:");
  return {
    contacts: Object.values(c).reduce((n, v) => n + v, 0),
    doNotCall: sum(c, "dnc:"),
    remaining: sum(c, "pending:"),
    reached: c["done:answered"] ?? 0,
    exhausted: { busy: c["done:busy"] ?? 0, noAnswer: c["done:noAnswer"] ?? 0, failed: c["done:failed"] ?? 0 },
    dialled: Object.values(a).reduce((n, v) => n + v, 0),
    answered: (a["ended:answered"] ?? 0) + sum(a, "answered:"),
    busy: a["ended:busy"] ?? 0,
    noAnswer: a["ended:noAnswer"] ?? 0,
    failed: a["ended:failed"] ?? 0,
    inProgress,
    maxConcurrent: config?.maxConcurrent ?? 0,
    callsPerMinute: config?.callsPerMinute ?? 0,
    ratePerMinute: store.recentPlacements(now).length,
  };
}

/** Contacts after `afterId` with their attempts, in id (CSV line) order, at most `limit`. */
export function contactResults(store: CampaignStore, afterId: number, limit: number): ContactResult[] {
  const contacts = store.contactsAfter(afterId, limit);
  const last = contacts.at(-1);
  const attempts = last ? store.attemptsBetween(afterId, last.id) : [];
  const byContact = new Map<number, AttemptResult[]>();
  for (const a of attempts) {
    let list = byContact.get(a.contact_id);
    if (!list) byContact.set(a.contact_id, (list = []));
    list.push({ n: a.n, state: a.state, outcome: a.outcome, token: a.token, callKey: a.call_key, placedAt: a.placed_at, answeredAt: a.answered_at, endedAt: a.ended_at, detail: a.detail });
  }
  return contacts.map((c) => ({ id: c.id, number: c.number, timezone: c.timezone, variables: JSON.parse(c.variables) as Record<string, string>, state: c.state, result: c.result, attempts: byContact.get(c.id) ?? [] }));
}
