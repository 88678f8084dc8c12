import { log } from "../lib/log";

/**
 * Runs a Durable Object call, and once more when it fails with an error the runtime marks
 * retryable (the object was reset, a connection dropped). An overloaded object is not retried:
 * a second request only deepens its queue. `call` must get a fresh stub each time, since a stub
 * that threw may be broken, and must be safe to repeat: every CallSession method answers a
 * repeated request as it answered the first.
 */
export async function retryOnce<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (!isRetryable(err)) throw err;
    log.warn("durable_object.call_failed", { action: "retrying once", error: err });
    return call();
  }
}

export function isRetryable(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  const { retryable, overloaded } = err as { retryable?: unknown; overloaded?: unknown };
  return retryable === true && overloaded !== true;
}
