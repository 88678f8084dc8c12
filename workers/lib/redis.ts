import { Redis } from "@upstash/redis/cloudflare";

/**
 * Upstash client tuned for the request path: one quick retry and a hard per-command timeout,
 * so an unreachable Redis costs milliseconds and the caller falls back (MySQL, memory)
 * instead of holding the call.
 */
export function createRedis(upstash: { url: string; token: string }): Redis {
  return new Redis({
    url: upstash.url,
    token: upstash.token,
    retry: { retries: 1, backoff: () => 25 },
    signal: () => AbortSignal.timeout(1_500),
    enableTelemetry: false,
  });
}
