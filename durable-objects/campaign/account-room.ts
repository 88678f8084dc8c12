import type { TargetAccount } from "../../workers/campaigns/runner-types";
import type { Env } from "../../workers/env";
import { log } from "../../workers/lib/log";
import type { AttemptRow } from "./store";

/** While the accounts leave no room, they are looked at again this often (their other calls tell the runner nothing). */
export const ACCOUNT_RECHECK_MS = 1_000;

/**
 * How many more people a campaign may ring now without one who answers finding every agent's
 * provider account full: the accounts' free slots (other calls, inbound among them, hold the
 * rest) less the campaign's own calls that will take one: those still ringing, and those
 * answered that hold no slot yet (between the answer and the agent's pick, or waiting). One
 * cheap read per account (ProviderAccount.free). An account that cannot be asked counts as
 * full: the runner looks again shortly instead of ringing people nobody could take.
 */
export async function accountRoom(env: Env, accounts: readonly TargetAccount[], inFlight: readonly AttemptRow[]): Promise<number> {
  const answered = inFlight.flatMap((a) => (a.state === "answered" && a.call_key ? [a.call_key] : []));
  const slots = await Promise.all(
    accounts.map((account) =>
      env.PROVIDER_ACCOUNT.getByName(account.id)
        .free(account.cap, answered)
        .catch((err: unknown) => {
          log.warn("campaign.account_unreadable", { accountId: account.id, error: err });
          return { free: 0, held: [] as string[] };
        }),
    ),
  );
  const holding = new Set(slots.flatMap((s) => s.held));
  const needing = inFlight.filter((a) => a.state !== "answered" || !a.call_key || !holding.has(a.call_key)).length;
  return Math.max(0, slots.reduce((sum, s) => sum + s.free, 0) - needing);
}
