import { DurableObject } from "cloudflare:workers";
import type { Contact } from "../workers/campaigns/contacts";
import { pace } from "../workers/campaigns/pacing";
import { afterAttempt, sessionOutcome, type AttemptOutcome } from "../workers/campaigns/retry";
import type { AttemptResult, CampaignConnect, CampaignProgress, ContactResult, RunnerConfig } from "../workers/campaigns/runner-types";
import type { CampaignStatus } from "../workers/campaigns/types";
import { windowAt } from "../workers/campaigns/window";
import { sessionOf, startCall } from "../workers/cloudonix/calls";
import type { Env } from "../workers/env";
import { log } from "../workers/lib/log";
import { decryptSecret } from "../workers/lib/secrets";
import { CampaignStore, type AttemptRow, type ContactRow } from "./campaign/store";

/** An attempt Cloudonix never reported on is looked up (its session) this long after its ring timeout. */
const REPORT_GRACE_MS = 60_000;
/** An answered call is looked up after this long without its end, and again as often while it lasts. */
const ANSWERED_CHECK_MS = 10 * 60_000;
/** Beyond this an attempt with no end is given up even if Cloudonix cannot be asked (the CallSession's silence timeout). */
const GIVE_UP_MS = 4 * 3_600_000;
/** Sessions looked up per tick: Cloudonix limits requests per domain, and placing calls comes first. */
const CHECKS_PER_TICK = 5;
/** Contacts looked at per tick beyond those to dial (the rest wait for their window). */
const SCAN_EXTRA = 200;

/**
 * One per campaign (named tenant:campaign): its contacts, their attempts and the pacing of its
 * dials, by alarm. Each tick places as many calls as the limit on calls in progress, the calls
 * per minute and the contacts' calling windows allow, through Cloudonix's API with the tenant's
 * key. The voice webhook asks it who an answered call is (`connectContact`), the session updates tell
 * it how each attempt ended (`report`), and the retry policy decides what comes next.
 */
export class CampaignRunner extends DurableObject<Env> {
  readonly #store: CampaignStore;
  #ticking = false;
  #again = false;
  #secrets = new Map<string, string>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#store = new CampaignStore(ctx.storage);
  }

  // --- configuration and contacts ---------------------------------------------------------

  async configure(config: RunnerConfig): Promise<CampaignProgress> {
    this.#store.setMeta("config", config);
    if (!this.#store.meta("status")) this.#store.setMeta("status", "draft");
    if (this.#status() === "running") await this.#arm(0);
    return this.progress();
  }

  /** Replaces (reset) or extends the contact list; only before the campaign starts. */
  async loadContacts(contacts: Contact[], doNotCall: string[], reset: boolean): Promise<{ ok: boolean; contacts: number; message?: string }> {
    if (this.#status() !== "draft") return { ok: false, contacts: this.progressCounts().contacts, message: "contacts can only be changed before the campaign starts" };
    if (reset) this.#store.clearContacts();
    this.#store.addContacts(contacts, new Set(doNotCall));
    return { ok: true, contacts: this.progressCounts().contacts };
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
    return this.progress();
  }

  /** No new dials from now on; calls in progress finish and are recorded. */
  async pause(): Promise<CampaignProgress> {
    if (this.#status() === "running") this.#store.setMeta("status", "paused");
    return this.progress();
  }

  async stop(): Promise<CampaignProgress> {
    const status = this.#status();
    if (status !== "stopped" && status !== "completed") {
      this.#store.setMeta("status", "stopped");
      this.#store.setMeta("finishedAt", this.#now());
    }
    return this.progress();
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
      return { applied: true };
    }
    const outcome = sessionOutcome(status, answered);
    if (!outcome) return { applied: false };
    this.#end(attempt, outcome, null);
    await this.#arm(0);
    return { applied: true, outcome };
  }

  // --- reading ----------------------------------------------------------------------------

  async progress(): Promise<CampaignProgress> {
    return { ...this.progressCounts(), status: this.#status(), lastError: this.#store.meta<string>("lastError"), startedAt: this.#store.meta<number>("startedAt"), finishedAt: this.#store.meta<number>("finishedAt"), now: this.#now() };
  }

  progressCounts(): Omit<CampaignProgress, "status" | "lastError" | "startedAt" | "finishedAt" | "now"> {
    const config = this.#config();
    const c = this.#store.counts();
    const a = this.#store.attemptCounts();
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
      ratePerMinute: this.#store.recentPlacements(this.#now()).length,
    };
  }

  /** Contacts with their attempts, in id (CSV line) order, a page at a time. */
  async results(afterId: number, limit: number): Promise<ContactResult[]> {
    const contacts = this.#store.contactsAfter(afterId, Math.min(Math.max(limit, 1), 5_000));
    const last = contacts.at(-1);
    const attempts = last ? this.#store.attemptsBetween(afterId, last.id) : [];
    const byContact = new Map<number, AttemptResult[]>();
    for (const a of attempts) {
      let list = byContact.get(a.contact_id);
      if (!list) byContact.set(a.contact_id, (list = []));
      list.push({ n: a.n, state: a.state, outcome: a.outcome, token: a.token, callKey: a.call_key, placedAt: a.placed_at, answeredAt: a.answered_at, endedAt: a.ended_at, detail: a.detail });
    }
    return contacts.map((c) => ({ id: c.id, number: c.number, timezone: c.timezone, variables: JSON.parse(c.variables) as Record<string, string>, state: c.state, result: c.result, attempts: byContact.get(c.id) ?? [] }));
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
  }

  async #tickOnce(): Promise<void> {
    const now = this.#now();
    await this.#expire(now);
    const config = this.#config();
    if (!config || this.#status() !== "running") return;
    const inFlight = this.#store.inFlight().length;
    if (inFlight === 0 && this.#store.nextDueAt() === null) {
      this.#store.setMeta("status", "completed");
      this.#store.setMeta("finishedAt", now);
      return;
    }
    const { count } = pace({ now, maxConcurrent: config.maxConcurrent, inProgress: inFlight, callsPerMinute: config.callsPerMinute, recent: this.#store.recentPlacements(now) });
    if (count === 0) return;
    const chosen = this.#choose(config, count, now);
    if (!chosen.length) return;
    // Written before any request goes out (beginAttempt): the runtime sends them only once stored.
    const placed = chosen.map((contact) => ({ contact, n: this.#store.beginAttempt(contact, now) }));
    await Promise.all(placed.map(({ contact, n }) => this.#place(config, contact, n, now)));
    this.#again = true;
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

  async #place(config: RunnerConfig, contact: ContactRow, n: number, now: number): Promise<void> {
    const query = `campaign=${encodeURIComponent(config.campaignId)}&contact=${contact.id}&contactAttempt=${n}`;
    let result: Awaited<ReturnType<typeof startCall>>;
    try {
      const [apiKey, callbackToken] = await Promise.all([this.#secret(config.apiKeyEnc), this.#secret(config.callbackTokenEnc)]);
      result = await startCall(
        config.domain,
        apiKey,
        {
          destination: contact.number,
          callerId: config.callerId,
          url: `${config.baseUrl}/api/webhooks/voice-application?${query}`,
          callback: `${config.baseUrl}/api/webhooks/c/${encodeURIComponent(callbackToken)}/session-update?${query}`,
          timeoutSec: config.ringTimeoutSec,
          trunk: config.trunk,
          profile: { "cxlb-campaign": config.campaignId, "cxlb-contact": String(contact.id), "cxlb-attempt": String(n) },
        },
        { baseUrl: this.env.CLOUDONIX_API_URL },
      );
    } catch (err) {
      // A secret that no longer decrypts: nothing was sent.
      result = { ok: false, reason: "refused", status: 0, message: `the tenant's Cloudonix credentials cannot be read: ${(err as Error).message}` };
    }
    if (result.ok) {
      this.#store.sql.exec("UPDATE attempts SET state = CASE WHEN state = 'placing' THEN 'ringing' ELSE state END, token = COALESCE(token, ?) WHERE contact_id = ? AND n = ?", result.token, contact.id, n);
    } else if (result.reason === "rate_limited") {
      this.#store.undoAttempt(contact.id, n, this.#now() + result.retryAfterSec * 1000);
    } else if (result.reason === "refused") {
      // Every call would be refused the same way: stop dialling until someone fixes it.
      this.#store.undoAttempt(contact.id, n, now);
      if (this.#status() === "running") this.#store.setMeta("status", "paused");
      this.#store.setMeta("lastError", result.message);
      log.warn("campaign.paused", { campaignId: config.campaignId, reason: result.message });
    } else {
      // Perhaps placed: the attempt stands, and its callbacks (or its deadline) end it.
      this.#store.sql.exec("UPDATE attempts SET detail = ? WHERE contact_id = ? AND n = ?", result.message, contact.id, n);
    }
  }

  /** Ends an attempt and moves its contact on by the retry policy. */
  #end(attempt: AttemptRow, outcome: AttemptOutcome, detail: string | null): void {
    const now = this.#now();
    const config = this.#config();
    const contact = this.#store.contact(attempt.contact_id);
    this.ctx.storage.transactionSync(() => {
      this.#store.sql.exec("UPDATE attempts SET state = 'ended', ended_at = ?, outcome = ?, detail = COALESCE(?, detail) WHERE contact_id = ? AND n = ?", now, outcome, detail, attempt.contact_id, attempt.n);
      // Only the contact's latest attempt moves it (an old attempt reported late changes nothing more).
      if (!contact || !config || contact.attempts !== attempt.n || contact.state !== "in_flight") return;
      const next = afterAttempt(config.retry, outcome, contact.attempts, now);
      if (next.done) this.#store.sql.exec("UPDATE contacts SET state = 'done', result = ?, last_outcome = ? WHERE id = ?", next.result, outcome, contact.id);
      else this.#store.sql.exec("UPDATE contacts SET state = 'pending', next_at = ?, last_outcome = ? WHERE id = ?", next.nextAt, outcome, contact.id);
    });
  }

  /**
   * Attempts Cloudonix has told us nothing more of for too long (a lost callback, a restart of
   * ours): their session is looked up; one that has ended ends the attempt (an answered call as
   * answered, any other as failed), one that lives is looked at again later. An attempt whose
   * request never got a token, or that Cloudonix cannot be asked about for hours, is given up.
   */
  async #expire(now: number): Promise<void> {
    const config = this.#config();
    if (!config) return;
    let checks = 0;
    for (const attempt of this.#store.inFlight()) {
      const since = attempt.state === "answered" ? (attempt.answered_at ?? attempt.placed_at) : attempt.placed_at;
      if (now >= since + GIVE_UP_MS || (!attempt.token && now >= this.#checkAt(config, attempt))) {
        this.#end(attempt, attempt.state === "answered" ? "answered" : "failed", "Cloudonix reported no end for the call in time");
        continue;
      }
      // A clock moved back leaves check times in the future, as they should be.
      if (!attempt.token || now < this.#checkAt(config, attempt) || checks >= CHECKS_PER_TICK) continue;
      checks++;
      const session = await sessionOf(config.domain, await this.#secret(config.apiKeyEnc), attempt.token, { baseUrl: this.env.CLOUDONIX_API_URL });
      const current = this.#store.attempt(attempt.contact_id, attempt.n);
      if (!current || current.state === "ended") continue;
      if (session.live === false) this.#end(current, current.state === "answered" ? "answered" : "failed", "Cloudonix no longer has the call, and reported no end for it");
      else this.#store.sql.exec("UPDATE attempts SET check_at = ? WHERE contact_id = ? AND n = ?", now + (current.state === "answered" ? ANSWERED_CHECK_MS : REPORT_GRACE_MS), current.contact_id, current.n);
    }
  }

  #checkAt(config: RunnerConfig, attempt: AttemptRow): number {
    if (attempt.check_at !== null) return attempt.check_at;
    return attempt.state === "answered" ? (attempt.answered_at ?? attempt.placed_at) + ANSWERED_CHECK_MS : attempt.placed_at + config.ringTimeoutSec * 1000 + REPORT_GRACE_MS;
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
        for (const a of inFlight) next = Math.min(next, this.#checkAt(config, a));
        if (this.#status() === "running") {
          const due = this.#store.nextDueAt();
          const paced = pace({ now, maxConcurrent: config.maxConcurrent, inProgress: inFlight.length, callsPerMinute: config.callsPerMinute, recent: this.#store.recentPlacements(now) });
          if (due !== null && (paced.count > 0 || paced.nextAt !== null)) next = Math.min(next, Math.max(due, paced.count > 0 ? now : paced.nextAt!));
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

  async #secret(encrypted: string): Promise<string> {
    let plain = this.#secrets.get(encrypted);
    if (plain === undefined) this.#secrets.set(encrypted, (plain = await decryptSecret(encrypted, this.env.ENCRYPTION_KEY)));
    return plain;
  }
}
