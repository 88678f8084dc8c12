import { Redis } from "@upstash/redis/cloudflare";

// Building a client is not free (the SDK sets up its command proxies each time) and it holds
// no connection, so one per isolate and configuration serves every request.
const clients = new Map<string, Redis>();

/**
 * Upstash client tuned for the request path: one quick retry and a hard per-command timeout,
 * so an unreachable Redis costs milliseconds and the caller falls back (MySQL, memory)
 * instead of holding the call. No auto-pipelining: a pipeline shared between requests would
 * make one request wait on another's I/O.
 */
export function createRedis(upstash: { url: string; token: string }): Redis {
  const key = `${upstash.url}\n${upstash.token}`;
  let client = clients.get(key);
  if (!client) {
    client = new Redis({
      url: upstash.url,
      token: upstash.token,
      retry: { retries: 1, backoff: () => 25 },
      signal: () => AbortSignal.timeout(1_500),
      enableTelemetry: false,
      enableAutoPipelining: false,
    });
    clients.set(key, client);
  }
  return client;
}
