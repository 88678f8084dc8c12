import { randomToken } from "./ids";
import { hashRequestKey } from "./secrets";

/*
 * Tenant API keys for automation: "cxak_" and 32 random bytes (base64url). The prefix tells
 * them apart at a glance, in a log or a leaked-secret scan, from the webhook request key
 * ("cxrk_") and the callback token ("cxcb_"), and tells requireAuth which check to run. Only
 * the SHA-256 is stored: 256 random bits need no slow hash, and a lookup by hash costs one
 * indexed query. The last 4 characters are kept as a hint.
 */

export const API_KEY_PREFIX = "cxak_";
const API_KEY_SHAPE = /^cxak_[A-Za-z0-9_-]{43}$/;

export interface NewApiKey {
  key: string;
  hash: string;
  hint: string;
}

export async function newApiKey(): Promise<NewApiKey> {
  const key = `${API_KEY_PREFIX}${randomToken(32)}`;
  return { key, hash: await hashApiKey(key), hint: key.slice(-4) };
}

export const hashApiKey = (key: string): Promise<string> => hashRequestKey(key);

/** A bearer token meant as an API key (checked against api_keys, not as an access token). */
export const isApiKeyToken = (token: string): boolean => token.startsWith(API_KEY_PREFIX);

/** Well formed: anything else cannot be a key we issued, and is refused without a query. */
export const isWellFormedApiKey = (token: string): boolean => API_KEY_SHAPE.test(token);

/** Roles ranked: a key may create keys of its own role or below. */
const RANK = { user: 0, admin: 1 } as const;
export const roleAtMost = (role: keyof typeof RANK, ceiling: keyof typeof RANK): boolean => RANK[role] <= RANK[ceiling];
