import { DurableObject } from "cloudflare:workers";
import type { Contact } from "../workers/campaigns/contacts";
import { pace } from "../workers/campaigns/pacing";
import { sessionOutcome, type AttemptOutcome } from "../workers/campaigns/retry";
import { progressDto } from "../workers/campaigns/progress-dto";
import type { CampaignConnect, CampaignProgress, ContactResult, RunnerConfig, TargetAccount } from "../workers/campaigns/runner-types";
import type { CampaignStatus } from "../workers/campaigns/types";
import { windowAt } from "../workers/campaigns/window";
import type { Env } from "../workers/env";
import { decryptSecret } from "../workers/lib/secrets";
import { ACCOUNT_RECHECK_MS, accountRoom } from "./campaign/account-room";
import { checkAt, checkSessions, endAttempt } from "./campaign/attempt-ends";
import { contactResults, progressCounts } from "./campaign/figures";
import { placeAttempt, type CallDeps } from "./campaign/place";
import { ProgressPush } from "./campaign/progress-push";
import { CampaignStore, type AttemptRow, type ContactRow } from "./campaign/store";

/** Contacts looked at per tick beyond those to dial (the rest wait for their window). */
const SCAN_EXTRA = 200;

/**
 * One per campaign (named tenant:campaign): its contacts, their attempts and the pacing of its
 * dials, by alarm. Each tick places as many calls as the limit on calls in progress, the calls
 * per minute, the free slots of its agents' provider accounts and the contacts' calling windows
 * allow, through Cloudonix's API with the tenant's key. The voice webhook asks it who an answered
 * call is (`connectContact`), the session updates tell it how each attempt ended (`report`), and
 * the retry policy decides what comes next. Its progress is pushed to the tenant's dashboards.
 */
export class CampaignRunner extends DurableObject<Env> {
  readonly #store: CampaignStore;
  #ticking = false;
  #again = false;
  #secrets = new Map<string, string>();
  /** What the provider accounts left at the last look (memory only: the next tick looks again). */
  #account: { free: number; held: boolean; recheckAt: number } | null = null;
  readonly #push = new ProgressPush(
    () => this.#pushProgress(),
    () => this.#status(),
  );

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#store = new CampaignStore(ctx.storage);
  }

  // --- configuration and contacts ---------------------------------------------------------

  async configure(config: RunnerConfig): Promise<CampaignProgress> {
    this.#store.setMeta("config", config);
    if (!this.#store.meta("status")) this.#store.setMeta("status", "draft");
    if (this.#status() === "running") await this.#arm(0);
    this.#push.changed();
    return this.#progress();
  }

  /** The target's provider accounts changed (an agent moved, a cap changed): paced by them from the next dial. */
  async setAccounts(accounts: TargetAccount[] | null): Promise<void> {
    const config = this.#config();
    if (!config) return;
    this.#store.setMeta("config", { ...config, accounts });
    this.#account = null;
    if (this.#status() === "running") await this.#arm(0);
  }

  /** Replaces (reset) or extends the contact list; only before the campaign starts. */
  async loadContacts(contacts: Contact[], doNotCall: string[], reset: boolean): Promise<{ ok: boolean; contacts: number; message?: string }> {
    if (this.#status() !== "draft") return { ok: false, contacts: this.#contactCount(), message: "contacts can only be changed before the campaign starts" };
    if (reset) this.#store.clearContacts();
    this.#store.addContacts(contacts, new Set(doNotCall));
    return { ok: true, contacts: this.#contactCount() };
  }

  /** Numbers put on the tenant's do-not-call list: contacts not yet dialled with them never will be. */
  async markDoNotCall(numbers: string[]): Promise<{ marked: number }> {
    return { marked: this.#store.markDnc(numbers) };
  }

  /** The pending contacts' numbers, a page at a time, for checking against the do-not-call list. */
  async pendingNumbers(afterId: number, limit: number): Promise<{ id: number; number: string }[]> {
    return this.#store.numbersAfter(afterId, Math.min(limit, 10_000));
  }

  // --- controls ---------------------------------------------------------------------------

  async start(config: RunnerConfig): Promise<CampaignProgress> {
    this.#store.setMeta("config", config);
    const status = this.#status();
    if (status === "draft" || status === "paused") {
      this.#store.setMeta("status", "running");
      this.#store.setMeta("lastError", null);
      if (!this.#store.meta("startedAt")) this.#store.setMeta("startedAt", this.#now());
      await this.#arm(0);
    }
    this.#push.changed();
    return this.#progress();
  }

  /** No new dials from now on; calls in progress finish and are recorded. */
  async pause(): Promise<CampaignProgress> {
    if (this.#status() === "running") this.#store.setMeta("status", "paused");
    this.#push.changed();
    return this.#progress();
  }

  async stop(): Promise<CampaignProgress> {
    const status = this.#status();
    if (status !== "stopped" && status !== "completed") {
      this.#store.setMeta("status", "stopped");
      this.#store.setMeta("finishedAt", this.#now());
    }
    this.#push.changed();
    return this.#progress();
  }

  /** Tests move the runner's clock (never in production): pacing and windows read it. */
  async setClock(offsetMs: number): Promise<{ now: number }> {
    if (this.env.ENVIRONMENT === "production") throw new Error("the clock cannot be moved in production");
    this.#store.setMeta("clockOffset", offsetMs);
    if (this.#status() === "running") await this.#arm(0);
    return { now: this.#now() };
  }

  async destroy(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
  }

  // --- what Cloudonix tells us ------------------------------------------------------------

  /** The voice webhook of an answered campaign call: who it is and where it goes. Idempotent. */
  async connectContact(request: { contactId: number; attempt: number; callKey: string }): Promise<CampaignConnect> {
    const config = this.#config();
    const attempt = this.#store.attempt(request.contactId, request.attempt);
    const contact = this.#store.contact(request.contactId);
    if (!config || !attempt || !contact) return { ok: false, reason: `no attempt ${request.attempt} of contact ${request.contactId} in this campaign` };
    if (attempt.state === "placing" || attempt.state === "ringing") {
      this.#store.sql.exec("UPDATE attempts SET state = 'answered', answered_at = ?, call_key = ? WHERE contact_id = ? AND n = ?", this.#now(), request.callKey, attempt.contact_id, attempt.n);
      this.#push.changed();
    } else if (attempt.call_key === null) {
      this.#store.sql.exec("UPDATE attempts SET call_key = ?, answered_at = COALESCE(answered_at, ?) WHERE contact_id = ? AND n = ?", request.callKey, this.#now(), attempt.contact_id, attempt.n);
    }
    return { ok: true, campaignId: config.campaignId, name: config.name, target: config.target, contactId: contact.id, number: contact.number, variables: JSON.parse(contact.variables) as Record<string, string> };
  }

  /** A session update of a campaign call: an answer, or how the attempt ended. Repeats change nothing. */
  async report(request: { contactId: number; attempt: number; status: string; token?: string | null }): Promise<{ applied: boolean; outcome?: AttemptOutcome }> {
    const attempt = this.#store.attempt(request.contactId, request.attempt);
    if (!attempt || attempt.state === "ended") return { applied: false };
    if (attempt.token && request.token && attempt.token !== request.token) return { applied: false };
    if (!attempt.token && request.token) this.#store.sql.exec("UPDATE attempts SET token = ? WHERE contact_id = ? AND n = ?", request.token, attempt.contact_id, attempt.n);
    const status = request.status.trim().toLowerCase();
    const answered = attempt.state === "answered";
    if (status === "connected" || status === "answer" || status === "answered") {
      if (answered) return { applied: false };
      this.#store.sql.exec("UPDATE attempts SET state = 'answered', answered_at = ? WHERE contact_id = ? AND n = ?", this.#now(), attempt.contact_id, attempt.n);
      this.#push.changed();
      return { applied: true };
    }
    const outcome = sessionOutcome(status, answered);
    if (!outcome) return { applied: false };
    endAttempt(this.#store, this.#config(), attempt, outcome, null, this.#now());
    await this.#arm(0);
    this.#push.changed();
    return { applied: true, outcome };
  }

  // --- reading ----------------------------------------------------------------------------

  /** The figures, for the API: someone reading them may be watching the live feed too. */
  async progress(): Promise<CampaignProgress> {
    this.#push.watched();
    return this.#progress();
  }

  #progress(): CampaignProgress {
    const running = this.#status() === "running";
    return {
      ...progressCounts(this.#store, this.#config(), this.#now()),
      accountFree: this.#config()?.accounts?.length ? (this.#account?.free ?? null) : null,
      heldByAccount: running && (this.#account?.held ?? false),
      status: this.#status(),
      lastError: this.#store.meta<string>("lastError"),
      startedAt: this.#store.meta<number>("startedAt"),
      finishedAt: this.#store.meta<number>("finishedAt"),
      now: this.#now(),
    };
  }

  /** The latest figures to the tenant's dashboards (TenantHub.broadcast: not stored, no row written). */
  async #pushProgress(): Promise<{ viewers: number }> {
    const config = this.#config();
    if (!config) return { viewers: 0 };
    return this.env.TENANT_HUB.getByName(config.tenantId).broadcast("campaign.progress", { campaignId: config.campaignId, progress: progressDto(this.#progress()) });
  }

  #contactCount(): number {
    return Object.values(this.#store.counts()).reduce((n, v) => n + v, 0);
  }

  /** Contacts with their attempts, in id (CSV line) order, a page at a time. */
  async results(afterId: number, limit: number): Promise<ContactResult[]> {
    return contactResults(this.#store, afterId, Math.min(Math.max(limit, 1), 5_000));
  }

  // --- pacing -----------------------------------------------------------------------------

  async alarm(): Promise<void> {
    await this.#tick();
  }

  async #tick(): Promise<void> {
    if (this.#ticking) {
      this.#again = true;
      return;
    }
    this.#ticking = true;
    try {
      do {
        this.#again = false;
        await this.#tickOnce();
      } while (this.#again);
    } finally {
      this.#ticking = false;
    }
    await this.#arm();
    this.#push.changed();
  }

  async #tickOnce(): Promise<void> {
    const now = this.#now();
    const before = this.#config();
    if (before) await checkSessions(this.#deps(), before, now);
    const config = this.#config();
    if (!config || this.#status() !== "running") return;
    const inFlightRows = this.#store.inFlight();
    const inFlight = inFlightRows.length;
    if (inFlight === 0 && this.#store.nextDueAt() === null) {
      this.#store.setMeta("status", "completed");
      this.#store.setMeta("finishedAt", now);
      return;
    }
    const paced = pace({ now, maxConcurrent: config.maxConcurrent, inProgress: inFlight, callsPerMinute: config.callsPerMinute, recent: this.#store.recentPlacements(now) });
    // The campaign's own limit holds it: not the accounts.
    if (paced.count === 0 && inFlight >= config.maxConcurrent && this.#account) this.#account.held = false;
    const due = this.#store.nextDueAt();
    if (paced.count === 0 || due === null || due > now) return;
    const count = await this.#byAccounts(config, paced.count, inFlightRows, now);
    // A pause, a stop or a do-not-call number may have come in meanwhile: contacts are chosen after.
    if (count === 0 || this.#status() !== "running") return;
    const chosen = this.#choose(config, count, now);
    if (!chosen.length) return;
    // Written before any request goes out (beginAttempt): the runtime sends them only once stored.
    const placed = chosen.map((contact) => ({ contact, n: this.#store.beginAttempt(contact, now) }));
    await Promise.all(placed.map(({ contact, n }) => placeAttempt(this.#deps(), config, contact, n, now)));
    this.#again = true;
  }

  /**
   * At most `count`, and no more than the target's provider accounts have room for (free slots
   * less this campaign's calls that will take one); `count` itself when its agents have no accounts,
   * with no request made. When the accounts hold it back, it looks again in a second.
   */
  async #byAccounts(config: RunnerConfig, count: number, inFlight: readonly AttemptRow[], now: number): Promise<number> {
    if (!config.accounts?.length) {
      this.#account = null;
      return count;
    }
    const free = await accountRoom(this.env, config.accounts, inFlight);
    this.#account = { free, held: free < count, recheckAt: now + ACCOUNT_RECHECK_MS };
    return Math.min(count, free);
  }

  /** Up to `count` contacts due now whose window is open; those outside it wait for it to open. */
  #choose(config: RunnerConfig, count: number, now: number): ContactRow[] {
    const chosen: ContactRow[] = [];
    for (let round = 0; round < 5 && chosen.length < count; round++) {
      const due = this.#store.due(now, count - chosen.length + SCAN_EXTRA);
      if (!due.length) break;
      for (const contact of due) {
        if (chosen.length >= count) break;
        const window = windowAt(config.window, contact.timezone ?? config.timezone, now);
        if (window.open) chosen.push(contact);
        else this.#store.deferContact(contact.id, window.opensAt);
      }
      if (due.length < count - chosen.length + SCAN_EXTRA) break;
    }
    return chosen;
  }

  /** The next tick: now (`at` 0), or when the pace, a contact or a deadline next needs one. */
  async #arm(at?: number): Promise<void> {
    if (this.#status() !== "running") {
      // In-flight deadlines still matter while paused or stopped.
      if (!this.#store.inFlight().length) return;
    }
    let next = at ?? Number.POSITIVE_INFINITY;
    if (at === undefined) {
      const config = this.#config();
      const now = this.#now();
      if (config) {
        const inFlight = this.#store.inFlight();
        for (const a of inFlight) next = Math.min(next, checkAt(config, a));
        if (this.#status() === "running") {
          const due = this.#store.nextDueAt();
          const paced = pace({ now, maxConcurrent: config.maxConcurrent, inProgress: inFlight.length, callsPerMinute: config.callsPerMinute, recent: this.#store.recentPlacements(now) });
          // Held back by the accounts: look again when they may have room (an own call's end looks at once).
          const held = this.#account?.held && this.#account.free === 0 ? this.#account.recheckAt : now;
          if (due !== null && (paced.count > 0 || paced.nextAt !== null)) next = Math.min(next, Math.max(due, paced.count > 0 ? held : paced.nextAt!));
          if (due === null && !inFlight.length) next = now;
        }
      }
      // The runner's clock may be moved: alarms are set on the real one.
      next = next - this.#offset();
    }
    if (next === Number.POSITIVE_INFINITY) return;
    await this.ctx.storage.setAlarm(Math.max(Date.now(), next));
  }

  #config(): RunnerConfig | null {
    return this.#store.meta<RunnerConfig>("config");
  }

  #status(): CampaignStatus {
    return this.#store.meta<CampaignStatus>("status") ?? "draft";
  }

  #offset(): number {
    return this.#store.meta<number>("clockOffset") ?? 0;
  }

  #now(): number {
    return Date.now() + this.#offset();
  }

  #deps(): CallDeps {
    return { store: this.#store, apiUrl: this.env.CLOUDONIX_API_URL, secret: (encrypted) => this.#secret(encrypted), now: () => this.#now() };
  }

  async #secret(encrypted: string): Promise<string> {
    let plain = this.#secrets.get(encrypted);
    if (plain === undefined) this.#secrets.set(encrypted, (plain = await decryptSecret(encrypted, this.env.ENCRYPTION_KEY)));
    return plain;
  }
}
