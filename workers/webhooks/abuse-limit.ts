import type { Context } from "hono";
import { log } from "../lib/log";
import type { AppEnv } from "../app-env";
import { rejectCxml } from "../domain/cxml";
import { clientIp } from "../lib/client-ip";
import { AppError } from "../lib/errors";
import { attemptCounter, type AttemptCounter, type WindowCount } from "../lib/rate-limit";
import { recordDelivery, type DeliveryFacts } from "./respond";

/**
 * Refused webhook requests (malformed, no or wrong credential, unknown domain) are counted per
 * client address and per claimed domain; past the limit, further requests that do not
 * authenticate are answered 429 with Retry-After instead. Only what would be refused anyway is
 * ever limited: a request that authenticates is never counted nor held back, whatever its
 * address or domain, so these figures cannot cost a tenant a call. They bound what a flood costs:
 * - 60 a minute per address (one a second): a working Cloudonix domain gets no refusals at
 *   all, so an address past this is a scanner or a broken client; from then on each of its
 *   requests without a credential costs one counter step, not a body read and a tenant lookup.
 * - 300 a minute per domain: a domain's traffic comes from several Cloudonix addresses, so five
 *   addresses' worth; a flood claiming one domain from many addresses is cut there.
 * Without CF-Connecting-IP (only off Cloudflare: local runs and tests) no address is counted.
 */
export const WEBHOOK_REFUSAL_LIMITS = {
  windowMs: 60_000,
  perAddress: 60,
  perDomain: 300,
} as const;

export interface Limited {
  retryAfterSeconds: number;
}

const addressKey = (ip: string) => `cxlb:webhook-refused:ip:${ip}`;
const domainKey = (domain: string) => `cxlb:webhook-refused:domain:${domain.trim().toLowerCase().slice(0, 253)}`;

export class WebhookAbuseLimit {
  #addressCounted = false;

  constructor(
    private readonly counter: AttemptCounter,
    private readonly ip: string | null,
  ) {}

  /**
   * A request that presents no credential at all can never authenticate: its refusal is counted
   * against its address before its body is read, and past the limit it is answered at once.
   */
  async countUncredentialed(): Promise<Limited | null> {
    if (!this.ip) return null;
    this.#addressCounted = true;
    return this.#count([{ key: addressKey(this.ip), max: WEBHOOK_REFUSAL_LIMITS.perAddress }]);
  }

  /** Counts the refusal of a request that did not authenticate: its address (unless already counted) and the domain it claimed. */
  async countRefusal(domain: string | null): Promise<Limited | null> {
    const limits: { key: string; max: number }[] = [];
    if (this.ip && !this.#addressCounted) limits.push({ key: addressKey(this.ip), max: WEBHOOK_REFUSAL_LIMITS.perAddress });
    if (domain?.trim()) limits.push({ key: domainKey(domain), max: WEBHOOK_REFUSAL_LIMITS.perDomain });
    this.#addressCounted = true;
    return limits.length ? this.#count(limits) : null;
  }

  async #count(limits: { key: string; max: number }[]): Promise<Limited | null> {
    let windows: WindowCount[];
    try {
      windows = await this.counter.hit(
        limits.map((l) => l.key),
        WEBHOOK_REFUSAL_LIMITS.windowMs,
      );
    } catch (err) {
      // The counters fall back to memory on their own; should that fail too, a refusal still answers.
      log.warn("webhook_abuse_limit.not_counted", { error: err });
      return null;
    }
    const over = windows.filter((w, i) => w.count > limits[i]!.max);
    if (!over.length) return null;
    return { retryAfterSeconds: Math.max(1, ...over.map((w) => Math.ceil(w.resetInMs / 1000))) };
  }
}

export function webhookAbuseLimit(c: Context<AppEnv>): WebhookAbuseLimit {
  const services = c.get("services");
  return new WebhookAbuseLimit(attemptCounter(services.redis, services.config.upstash?.url), clientIp(c));
}

/** Authorization, or the capability token of a callback URL (…/c/{token}/…). */
export const presentsCredential = (c: Context<AppEnv>): boolean => Boolean(c.req.header("authorization") || c.req.param("token"));

export const RATE_LIMITED = "RATE_LIMITED";

/**
 * The limited answer, recorded as a delivery like every other: the voice webhooks get CXML
 * (a Reject the caller hears as busy, never billed), session updates and CDRs the JSON envelope.
 */
export function rateLimited(c: Context<AppEnv>, spec: { name: string; json?: boolean }, limited: Limited, delivery: Omit<DeliveryFacts, "statusCode" | "outcome" | "error" | "response">): Response {
  const seconds = String(limited.retryAfterSeconds);
  const message = `Too many refused webhook requests; try again in ${seconds} s`;
  const body = spec.json ? JSON.stringify({ error: { code: RATE_LIMITED, message } }) : rejectCxml("busy");
  recordDelivery(c, { ...delivery, statusCode: 429, outcome: RATE_LIMITED, error: message, response: body });
  if (spec.json) throw new AppError(429, RATE_LIMITED, message, { retryAfterSeconds: limited.retryAfterSeconds }, { "Retry-After": seconds });
  return c.body(body, 429, { "Content-Type": "application/xml; charset=utf-8", "Retry-After": seconds, "X-Error-Code": RATE_LIMITED });
}
