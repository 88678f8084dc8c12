/**
 * One result per key shared by every caller for `ttlMs` after it settles, and while it runs:
 * however often and however many at once callers ask, the work runs at most once per window.
 * Keys are objects held weakly (an env object: once per isolate in production). A run that
 * throws is not kept, so the next caller tries again.
 */
export class SharedCheck<K extends object, T> {
  readonly #entries = new WeakMap<K, { value: Promise<T>; settledAt: number | null }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: K, run: () => Promise<T>): Promise<T> {
    const entry = this.#entries.get(key);
    if (entry && (entry.settledAt === null || this.now() - entry.settledAt < this.ttlMs)) return entry.value;
    const fresh = { value: run(), settledAt: null as number | null };
    this.#entries.set(key, fresh);
    fresh.value.then(
      () => {
        fresh.settledAt = this.now();
      },
      () => {
        if (this.#entries.get(key) === fresh) this.#entries.delete(key);
      },
    );
    return fresh.value;
  }
}
