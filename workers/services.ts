import type { Redis } from "@upstash/redis/cloudflare";
import type { AppConfig, Env } from "./env";
import { connectDb, type Db, type DbHandle } from "./db/client";
import { createRedis } from "./lib/redis";

/**
 * Per-request access to MySQL and Redis, opened lazily so that requests which need neither
 * (the webhook's steady state) never open a connection.
 */
export class Services {
  #db: Promise<DbHandle> | undefined;
  #redis: Redis | null | undefined;
  readonly #background = new Set<Promise<unknown>>();

  constructor(
    readonly env: Env,
    readonly config: AppConfig,
    /** Keeps the isolate alive for work that outlives the response (ctx.waitUntil). */
    private readonly keepAlive: (promise: Promise<unknown>) => void = () => {},
  ) {}

  async db(): Promise<Db> {
    this.#db ??= connectDb(this.env.HYPERDRIVE);
    return (await this.#db).db;
  }

  /**
   * Work that goes on after the response (a snapshot refresh, a publish). close() waits for it,
   * so a connection it opens late is closed too instead of leaking.
   */
  background(promise: Promise<unknown>): void {
    const settled = promise.then(
      () => {},
      () => {},
    );
    this.#background.add(settled);
    void settled.then(() => this.#background.delete(settled));
    this.keepAlive(settled);
  }

  /** Releases what the request opened, once its background work is done; safe to call when nothing was. */
  async close(): Promise<void> {
    while (this.#background.size) await Promise.all([...this.#background]);
    const pending = this.#db;
    this.#db = undefined;
    if (pending)
      await pending.then(
        (handle) => handle.close(),
        () => {},
      );
  }

  /** null when Upstash is not configured. */
  get redis(): Redis | null {
    if (this.#redis === undefined) {
      this.#redis = this.config.upstash ? createRedis(this.config.upstash) : null;
    }
    return this.#redis;
  }
}
