import { afterAttempt, type AttemptOutcome } from "../../workers/campaigns/retry";
import type { RunnerConfig } from "../../workers/campaigns/runner-types";
import { sessionOf } from "../../workers/cloudonix/calls";
import type { CallDeps } from "./place";
import type { AttemptRow, CampaignStore } from "./store";

/** An attempt Cloudonix never reported on is looked up (its session) this long after its ring timeout. */
const REPORT_GRACE_MS = 60_000;
/** An answered call is looked up after this long without its end, and again as often while it lasts. */
const ANSWERED_CHECK_MS = 10 * 60_000;
/** Beyond this an attempt with no end is given up even if Cloudonix cannot be asked (the CallSession's silence timeout). */
const GIVE_UP_MS = 4 * 3_600_000;
/** Sessions looked up per tick: Cloudonix limits requests per domain, and placing calls comes first. */
const CHECKS_PER_TICK = 5;

/** Ends an attempt and moves its contact on by the retry policy. */
export function endAttempt(store: CampaignStore, config: RunnerConfig | null, attempt: AttemptRow, outcome: AttemptOutcome, detail: string | null, now: number): void {
  const contact = store.contact(attempt.contact_id);
  store.transaction(() => {
    store.sql.exec("UPDATE attempts SET state = 'ended', ended_at = ?, outcome = ?, detail = COALESCE(?, detail) WHERE contact_id = ? AND n = ?", now, outcome, detail, attempt.contact_id, attempt.n);
    // Only the contact's latest attempt moves it (an old attempt reported late changes nothing more).
    if (!contact || !config || contact.attempts !== attempt.n || contact.state !== "in_flight") return;
    const next = afterAttempt(config.retry, outcome, contact.attempts, now);
    if (next.done) store.sql.exec("UPDATE contacts SET state = 'done', result = ?, last_outcome = ? WHERE id = ?", next.result, outcome, contact.id);
    else store.sql.exec("UPDATE contacts SET state = 'pending', next_at = ?, last_outcome = ? WHERE id = ?", next.nextAt, outcome, contact.id);
  });
}

/**
 * Attempts Cloudonix has told us nothing more of for too long (a lost callback, a restart of
 * ours): their session is looked up; one that has ended ends the attempt (an answered call as
 * answered, any other as failed), one that lives is looked at again later. An attempt whose
 * request never got a token, or that Cloudonix cannot be asked about for hours, is given up.
 */
export async function checkSessions(deps: CallDeps, config: RunnerConfig, now: number): Promise<void> {
  const { store } = deps;
  let checks = 0;
  for (const attempt of store.inFlight()) {
    const since = attempt.state === "answered" ? (attempt.answered_at ?? attempt.placed_at) : attempt.placed_at;
    if (now >= since + GIVE_UP_MS || (!attempt.token && now >= checkAt(config, attempt))) {
      endAttempt(store, config, attempt, attempt.state === "answered" ? "answered" : "failed", "Cloudonix reported no end for the call in time", deps.now());
      continue;
    }
    // A clock moved back leaves check times in the future, as they should be.
    if (!attempt.token || now < checkAt(config, attempt) || checks >= CHECKS_PER_TICK) continue;
    checks++;
    const session = await sessionOf(config.domain, await deps.secret(config.apiKeyEnc), attempt.token, { baseUrl: deps.apiUrl });
    const current = store.attempt(attempt.contact_id, attempt.n);
    if (!current || current.state === "ended") continue;
    if (session.live === false) endAttempt(store, config, current, current.state === "answered" ? "answered" : "failed", "Cloudonix no longer has the call, and reported no end for it", deps.now());
    else store.sql.exec("UPDATE attempts SET check_at = ? WHERE contact_id = ? AND n = ?", now + (current.state === "answered" ? ANSWERED_CHECK_MS : REPORT_GRACE_MS), current.contact_id, current.n);
  }
}

/** When an attempt in flight is next looked up at Cloudonix. */
export function checkAt(config: RunnerConfig, attempt: AttemptRow): number {
  if (attempt.check_at !== null) return attempt.check_at;
  return attempt.state === "answered" ? (attempt.answered_at ?? attempt.placed_at) + ANSWERED_CHECK_MS : attempt.placed_at + config.ringTimeoutSec * 1000 + REPORT_GRACE_MS;
}
