/*
 * When a failed delivery is tried again. Exponential backoff from 30 s, doubling up to 6 h, with
 * ±10 % jitter (so an endpoint's backlog does not come back in lockstep), for a day from the
 * first attempt; the last retry lands at the end of that day. With the defaults: retries after
 * 30 s, 1, 2, 4, 8, 16, 32 min, 1.1, 2.1, 4.3 h, then every 6 h, 14 attempts in all.
 * Tests shrink the base and the window through the environment (EVENT_DELIVERY_BACKOFF_SECONDS,
 * EVENT_DELIVERY_RETRY_WINDOW_SECONDS).
 */

export interface RetryPolicy {
  baseSeconds: number;
  capSeconds: number;
  windowSeconds: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseSeconds: 30, capSeconds: 6 * 3600, windowSeconds: 24 * 3600 };

export function retryPolicy(env: { EVENT_DELIVERY_BACKOFF_SECONDS?: string | undefined; EVENT_DELIVERY_RETRY_WINDOW_SECONDS?: string | undefined }): RetryPolicy {
  const base = Number(env.EVENT_DELIVERY_BACKOFF_SECONDS);
  const window = Number(env.EVENT_DELIVERY_RETRY_WINDOW_SECONDS);
  return {
    baseSeconds: Number.isFinite(base) && base > 0 ? base : DEFAULT_RETRY_POLICY.baseSeconds,
    capSeconds: DEFAULT_RETRY_POLICY.capSeconds,
    windowSeconds: Number.isFinite(window) && window > 0 ? window : DEFAULT_RETRY_POLICY.windowSeconds,
  };
}

/**
 * Seconds until the next automatic attempt after `attempts` failed ones, the first of which was
 * at `firstAttemptAt`; null when the delivery has had its day and is given up. `random` in [0, 1).
 */
export function nextRetryDelay(policy: RetryPolicy, attempts: number, firstAttemptAt: number, now: number, random = Math.random()): number | null {
  const elapsed = (now - firstAttemptAt) / 1000;
  const left = policy.windowSeconds - elapsed;
  // Less than a second of the day left: that was the last attempt.
  if (left < 1) return null;
  const backoff = Math.min(policy.baseSeconds * 2 ** Math.max(0, attempts - 1), policy.capSeconds);
  const jittered = backoff * (0.9 + 0.2 * random);
  return Math.max(0, Math.round(Math.min(jittered, left)));
}
