import { hmacKey } from "../lib/hmac-key";
import { base64Url, fromBase64Url } from "../lib/ids";

/*
 * Short-lived download links: "<expiry epoch seconds>.<HMAC-SHA256>" over the export and its
 * tenant, so a link works for one file of one tenant for a few minutes and nothing else. The
 * browser can follow it without an Authorization header; it never carries the session token.
 */

export const DOWNLOAD_TTL_SECONDS = 300;

const PURPOSE = "export-download";

const message = (exportId: string, tenantId: string, exp: number) => new TextEncoder().encode(`${exportId}\n${tenantId}\n${exp}`);

export async function signDownload(secret: string, exportId: string, tenantId: string, nowMs = Date.now()): Promise<string> {
  const exp = Math.floor(nowMs / 1000) + DOWNLOAD_TTL_SECONDS;
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(PURPOSE, secret), message(exportId, tenantId, exp));
  return `${exp}.${base64Url(new Uint8Array(mac))}`;
}

export async function verifyDownload(secret: string, token: string, exportId: string, tenantId: string, nowMs = Date.now()): Promise<boolean> {
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return false;
  const exp = Number(match[1]);
  if (exp < Math.floor(nowMs / 1000)) return false;
  return crypto.subtle.verify("HMAC", await hmacKey(PURPOSE, secret), fromBase64Url(match[2]!), message(exportId, tenantId, exp));
}
