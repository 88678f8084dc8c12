import { log } from "../../workers/lib/log";

/** At most one push a second while figures change; a change of status goes at once. */
export const PUSH_EVERY_MS = 1_000;
/** After a push that reached no dashboard, pushes (other than status changes) rest this long. */
export const UNWATCHED_MS = 10_000;

/**
 * Paces a campaign's progress pushes to its tenant's live feed (TenantHub.broadcast): the latest
 * figures at most once a second while they change, the last change never dropped (it goes when
 * its second is up), a status change at once. A push that reached nobody rests the pushes a
 * while; an HTTP read of the progress (someone opening the campaign) ends the rest.
 */
export class ProgressPush {
  #lastAt = Number.NEGATIVE_INFINITY;
  #lastStatus: string | null = null;
  #restUntil = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;

  /**
   * `send` reads the figures at the moment of sending and returns how many dashboards it
   * reached; `status` is the campaign's status now.
   */
  constructor(
    private readonly send: () => Promise<{ viewers: number }>,
    private readonly status: () => string,
  ) {}

  /** The figures (or the status) changed. */
  changed(): void {
    const now = Date.now();
    const status = this.status();
    if (status !== this.#lastStatus) this.#push(status, now);
    else if (now < this.#restUntil || this.#timer) return;
    else if (now - this.#lastAt >= PUSH_EVERY_MS) this.#push(status, now);
    else this.#timer = setTimeout(() => this.#push(this.status(), Date.now()), this.#lastAt + PUSH_EVERY_MS - now);
  }

  /** Someone read the progress: a dashboard may be watching again. */
  watched(): void {
    this.#restUntil = 0;
  }

  #push(status: string, now: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#lastAt = now;
    this.#lastStatus = status;
    this.send().then(
      ({ viewers }) => {
        if (viewers === 0) this.#restUntil = Date.now() + UNWATCHED_MS;
      },
      (err: unknown) => log.warn("campaign.progress_push_failed", { error: err }),
    );
  }
}
