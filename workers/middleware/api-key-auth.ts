import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { findUsableApiKey, touchApiKey } from "../db/repos/api-keys";
import { hashApiKey, isWellFormedApiKey } from "../lib/api-keys";
import { AppError } from "../lib/errors";
import { log } from "../lib/log";
import { attemptCounter } from "../lib/rate-limit";
import type { ApiKeyAuth } from "./auth";

/** A key's last use is written at most this often: one UPDATE a minute per key, not one per request. */
export const LAST_USED_EVERY_MS = 60_000;
const RATE_WINDOW_MS = 60_000;

const refused = () => new AppError(401, "UNAUTHENTICATED", "This API key is not valid: it is unknown, revoked or expired", undefined, { "WWW-Authenticate": 'Bearer realm="api", error="invalid_token"' });

/**
 * Checks an API key (one indexed query by its SHA-256, so a revocation or expiry counts from
 * the very next request), then counts the request against the key's rate limit, and records
 * its use at most once a minute, after the answer.
 */
export async function authenticateApiKey(c: Context<AppEnv>, token: string): Promise<ApiKeyAuth> {
  if (!isWellFormedApiKey(token)) throw refused();
  const services = c.get("services");
  const db = await services.db();
  const key = await findUsableApiKey(db, await hashApiKey(token));
  if (!key) throw refused();
  await countRequest(c, key.id);
  const now = new Date();
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() >= LAST_USED_EVERY_MS) {
    services.background(touchApiKey(db, key.id, now, LAST_USED_EVERY_MS).catch((err: Error) => log.warn("api_key.touch_failed", { keyId: key.id, error: err })));
  }
  return { kind: "api_key", keyId: key.id, keyName: key.name, tenantId: key.tenantId, tenantName: key.tenantName, role: key.role };
}

/** Fixed one-minute windows per key, in Upstash (shared by every isolate) or isolate memory. */
async function countRequest(c: Context<AppEnv>, keyId: string): Promise<void> {
  const services = c.get("services");
  const limit = services.config.apiKeyRatePerMinute;
  const [window] = await attemptCounter(services.redis, services.config.upstash?.url).hit([`cxlb:api-key-rate:${keyId}`], RATE_WINDOW_MS);
  if (!window || window.count <= limit) return;
  const seconds = Math.max(1, Math.ceil(window.resetInMs / 1000));
  throw new AppError(429, "RATE_LIMITED", `This API key made more than ${limit} requests this minute; try again in ${seconds} s`, { limitPerMinute: limit, retryAfterSeconds: seconds }, { "Retry-After": String(seconds) });
}
