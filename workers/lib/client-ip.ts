import type { Context } from "hono";

/**
 * The caller's address as Cloudflare reports it. CF-Connecting-IP is set by the edge and
 * cannot be forged from outside; locally (wrangler dev, tests) it may be absent.
 */
export function clientIp(c: Context): string | null {
  const ip = c.req.header("cf-connecting-ip")?.trim();
  return ip ? ip.slice(0, 64) : null;
}
