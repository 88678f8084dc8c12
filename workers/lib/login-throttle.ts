import { AppError } from "./errors";
import type { FailureCounter, WindowCount } from "./rate-limit";

/**
 * Failed logins are limited per account (stops guessing one password from many addresses)
 * and per client address (stops one address trying many accounts). Successful logins clear
 * the account's count. Windows start at the first failure.
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
  const message =
    which === "account"
      ? `Too many failed sign-ins for this account; try again in ${minutes} minute${minutes === 1 ? "" : "s"}`
      : `Too many failed sign-ins from your address; try again in ${minutes} minute${minutes === 1 ? "" : "s"}`;
  return new AppError(429, "TOO_MANY_ATTEMPTS", message, { retryAfterSeconds: seconds }, { "Retry-After": String(seconds) });
}

/** Throws 429 (with Retry-After) when the account or the address is locked out. */
export async function assertLoginAllowed(counter: FailureCounter, email: string, ip: string | null): Promise<void> {
  const [account, address] = await counter.peek([accountKey(email), addressKey(ip)]);
  if (account && account.count >= LOGIN_LIMITS.account.max) throw tooMany("account", account);
  if (address && address.count >= LOGIN_LIMITS.address.max) throw tooMany("address", address);
}

export async function recordLoginFailure(counter: FailureCounter, email: string, ip: string | null): Promise<void> {
  // Both limits share one window length, so one call counts both.
  await counter.hit([accountKey(email), addressKey(ip)], LOGIN_LIMITS.account.windowMs);
}

export async function clearAccountFailures(counter: FailureCounter, email: string): Promise<void> {
  await counter.reset([accountKey(email)]);
}
