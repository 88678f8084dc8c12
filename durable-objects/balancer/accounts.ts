import type { Env } from "../../workers/env";
import { log } from "../../workers/lib/log";
import type { PickMember, SkipReason } from "../logic/strategies";
import type { MemberTrace } from "./types";

/*
 * A group balancer's requests to the provider accounts (ProviderAccount) of the agents it picks:
 * a slot asked for as an agent is claimed, freed with the agent's, and (for Explain) a look at
 * whether an account is full.
 */

/** Null when the account granted the call a slot, else why not. */
export async function askAccount(env: Env, account: { id: string; cap: number }, callKey: string, agentId: string, claimTtlMs: number | undefined): Promise<SkipReason | null> {
  try {
    const result = await env.PROVIDER_ACCOUNT.getByName(account.id).claim({ callKey, agentId, cap: account.cap, claimTtlMs });
    return result.granted ? null : "account_full";
  } catch (err) {
    log.warn("balancer.account_unavailable", { accountId: account.id, error: err });
    return "account_unavailable";
  }
}

/** Frees the call's account slot; if the account cannot be asked, its claim expires on its own. */
export async function releaseAccount(env: Env, accountId: string, callKey: string): Promise<void> {
  try {
    await env.PROVIDER_ACCOUNT.getByName(accountId).release(callKey);
  } catch (err) {
    log.warn("balancer.account_release_failed", { accountId, error: err });
  }
}

/**
 * `order` without the agents whose provider account is full now (read-only: one request per
 * account, for a dry run only); `skipped` gets why. An account that cannot be asked counts as
 * unavailable, as it would for a real pick.
 */
export async function withoutFullAccounts(env: Env, order: readonly string[], members: Map<string, PickMember>, skipped: MemberTrace[]): Promise<string[]> {
  const verdicts = new Map<string, Promise<SkipReason | null>>();
  const verdictOf = (account: { id: string; cap: number }) => {
    let verdict = verdicts.get(account.id);
    if (!verdict) {
      verdict = env.PROVIDER_ACCOUNT.getByName(account.id)
        .status(0)
        .then((status): SkipReason | null => (status.active >= account.cap ? "account_full" : null))
        .catch((): SkipReason => "account_unavailable");
      verdicts.set(account.id, verdict);
    }
    return verdict;
  };
  const kept: string[] = [];
  for (const agentId of order) {
    const account = members.get(agentId)?.account;
    const why = account ? await verdictOf(account) : null;
    if (why) skipped.push({ agentId, reason: why });
    else kept.push(agentId);
  }
  return kept;
}

/** Each account's free slots under its cap (an account that cannot be asked has none). */
export async function accountsFree(env: Env, caps: ReadonlyMap<string, number>): Promise<Map<string, number>> {
  const entries = await Promise.all(
    [...caps].map(async ([id, cap]): Promise<[string, number]> => {
      try {
        const status = await env.PROVIDER_ACCOUNT.getByName(id).status(0);
        return [id, Math.max(0, cap - status.active)];
      } catch (err) {
        log.warn("balancer.account_unavailable", { accountId: id, error: err });
        return [id, 0];
      }
    }),
  );
  return new Map(entries);
}
