import type { Redis } from "@upstash/redis/cloudflare";
import { log } from "./log";

/**
 * Fixed-window attempt counters (login throttling). Upstash when configured, so every
 * isolate sees the same counts; otherwise, or when Upstash fails, a per-isolate map, so
 * throttling never switches off. Counting is one atomic step (a Lua script, or synchronous
 * code in the isolate), so parallel requests each get a distinct count.
 */
export interface WindowCount {
  count: number;
  /** Milliseconds until the window closes (0 when nothing is counted). */
  resetInMs: number;
}

export interface AttemptCounter {
  /** Counts one more attempt under each key; the window starts at the first one. */
  hit(keys: string[], windowMs: number): Promise<WindowCount[]>;
  /** Takes back one attempt under each key (never below zero). */
  release(keys: string[]): Promise<void>;
  reset(keys: string[]): Promise<void>;
}

const HIT_SCRIPT = `
local out = {}
for i, key in ipairs(KEYS) do
  local n = redis.call('INCR', key)
  if n == 1 then redis.call('PEXPIRE', key, ARGV[1]) end
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then redis.call('PEXPIRE', key, ARGV[1]); ttl = tonumber(ARGV[1]) end
  out[#out + 1] = n
  out[#out + 1] = ttl
end
return out`;

const RELEASE_SCRIPT = `
for i, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') > 0 then redis.call('DECR', key) end
end
return 0`;

function pairs(flat: unknown): WindowCount[] {
  const values = (flat as unknown[]).map(Number);
  const out: WindowCount[] = [];
  for (let i = 0; i < values.length; i += 2) out.push({ count: values[i]!, resetInMs: values[i + 1]! });
  return out;
}

export class MemoryAttemptCounter implements AttemptCounter {
  readonly #windows = new Map<string, { count: number; resetAt: number }>();

  async hit(keys: string[], windowMs: number): Promise<WindowCount[]> {
    const now = Date.now();
    if (this.#windows.size > 10_000) this.#prune(now);
    return keys.map((key) => {
      let window = this.#windows.get(key);
      if (!window || window.resetAt <= now) this.#windows.set(key, (window = { count: 0, resetAt: now + windowMs }));
      window.count += 1;
      return { count: window.count, resetInMs: window.resetAt - now };
    });
  }

  async release(keys: string[]): Promise<void> {
    const now = Date.now();
    for (const key of keys) {
      const window = this.#windows.get(key);
      if (window && window.resetAt > now && window.count > 0) window.count -= 1;
    }
  }

  async reset(keys: string[]): Promise<void> {
    for (const key of keys) this.#windows.delete(key);
  }

  #prune(now: number): void {
    for (const [key, window] of this.#windows) if (window.resetAt <= now) this.#windows.delete(key);
  }
}

/** After Upstash fails, the memory counter takes over for this long before Upstash is tried again. */
const REDIS_RETRY_AFTER_MS = 10_000;
/** Per Upstash URL, so one bad configuration does not switch off another. */
const redisDownUntil = new Map<string, number>();

export class RedisAttemptCounter implements AttemptCounter {
  constructor(
    private readonly redis: Redis,
    private readonly fallback: AttemptCounter,
    private readonly breakerKey = "default",
  ) {}

  hit(keys: string[], windowMs: number): Promise<WindowCount[]> {
    return this.#attempt(
      async () => pairs(await this.redis.eval(HIT_SCRIPT, keys, [String(windowMs)])),
      () => this.fallback.hit(keys, windowMs),
    );
  }

  release(keys: string[]): Promise<void> {
    return this.#attempt(
      async () => void (await this.redis.eval(RELEASE_SCRIPT, keys, [])),
      () => this.fallback.release(keys),
    );
  }

  async reset(keys: string[]): Promise<void> {
    await Promise.all([
      this.#attempt(
        async () => void (await this.redis.del(...keys)),
        async () => {},
      ),
      this.fallback.reset(keys),
    ]);
  }

  /** Upstash first; while it is failing (and for a short while after), the memory counter. */
  async #attempt<T>(viaRedis: () => Promise<T>, viaMemory: () => Promise<T>): Promise<T> {
    if (Date.now() < (redisDownUntil.get(this.breakerKey) ?? 0)) return viaMemory();
    try {
      return await viaRedis();
    } catch (err) {
      redisDownUntil.set(this.breakerKey, Date.now() + REDIS_RETRY_AFTER_MS);
      log.warn("rate_limit.upstash_unavailable", { action: `counting in memory for ${REDIS_RETRY_AFTER_MS / 1000} s`, error: err });
      return viaMemory();
    }
  }
}

/** Shared by every request of the isolate, so in-memory counts persist between requests. */
const memory = new MemoryAttemptCounter();

/** `upstashUrl` names the Upstash instance for the circuit breaker. */
export function attemptCounter(redis: Redis | null, upstashUrl = "default"): AttemptCounter {
  return redis ? new RedisAttemptCounter(redis, memory, upstashUrl) : memory;
}
