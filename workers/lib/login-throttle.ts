import { AppError } from "./errors";
import type { AttemptCounter, WindowCount } from "./rate-limit";

/**
 * Sign-ins are limited per account (stops guessing one password from many addresses) and per
 * client address (stops one address trying many accounts). Each attempt is counted before its
 * password is checked, so parallel requests cannot all slip through under the limit; a correct
 * password clears the account's count and gives the address its attempt back, so only
 * failures (and refused attempts) add up. Windows start at the first attempt.
 */
export const LOGIN_LIMITS = {
  account: { max: 5, windowMs: 15 * 60_000 },
  address: { max: 20, windowMs: 15 * 60_000 },
} as const;

const accountKey = (email: string) => `cxlb:login-fail:acct:${email.toLowerCase()}`;
const addressKey = (ip: string | null) => `cxlb:login-fail:ip:${ip ?? "unknown"}`;

function tooMany(which: "account" | "address", window: WindowCount): AppError {
  const seconds = Math.max(1, Math.ceil(window.resetInMs / 1000));
  const minutes = Math.ceil(seconds / 60);
  const message = which === "account" ? `Too many failed sign-ins for this account; try again in ${minutes} minute${minutes === 1 ? "" : "s"}` : `Too many failed sign-ins from your address; try again in ${minutes} minute${minutes === 1 ? "" : "s"}`;
  return new AppError(429, "TOO_MANY_ATTEMPTS", message, { retryAfterSeconds: seconds }, { "Retry-After": String(seconds) });
}

/** Counts this attempt; throws 429 (with Retry-After) when it is over the account's or the address's limit. */
export async function countLoginAttempt(counter: AttemptCounter, email: string, ip: string | null): Promise<void> {
  // Both limits share one window length, so one call counts both.
  const [account, address] = await counter.hit([accountKey(email), addressKey(ip)], LOGIN_LIMITS.account.windowMs);
  if (account && account.count > LOGIN_LIMITS.account.max) throw tooMany("account", account);
  if (address && address.count > LOGIN_LIMITS.address.max) throw tooMany("address", address);
}

/** The password was right: the account starts afresh and the address's attempt is given back. */
export async function loginSucceeded(counter: AttemptCounter, email: string, ip: string | null): Promise<void> {
  await Promise.all([counter.reset([accountKey(email)]), counter.release([addressKey(ip)])]);
}
