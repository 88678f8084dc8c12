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

  constructor(
    readonly env: Env,
    readonly config: AppConfig,
  ) {}

  async db(): Promise<Db> {
    this.#db ??= connectDb(this.env.HYPERDRIVE);
    return (await this.#db).db;
  }

  /** Releases what the request opened; safe to call when nothing was. */
  async close(): Promise<void> {
    const pending = this.#db;
    this.#db = undefined;
    if (pending) await pending.then((handle) => handle.close(), () => {});
  }

  /** null when Upstash is not configured. */
  get redis(): Redis | null {
    if (this.#redis === undefined) {
      this.#redis = this.config.upstash ? createRedis(this.config.upstash) : null;
    }
    return this.#redis;
  }
}
