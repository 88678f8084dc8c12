import { base64Url, fromBase64Url, randomToken } from "./ids";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

/**
 * Webhook request keys are long random tokens, so a plain SHA-256 is enough (no KDF needed
 * against guessing) and keeps verification cheap on the hot path.
 */
export async function hashRequestKey(key: string): Promise<string> {
  return `sha256$${base64Url(await sha256(key))}`;
}

export async function verifyRequestKey(presented: string, storedHash: string): Promise<boolean> {
  const expected = storedHash.startsWith("sha256$") ? fromBase64Url(storedHash.slice(7)) : new Uint8Array();
  return constantTimeEqual(await sha256(presented), expected);
}

export function newRequestKey(): string {
  return `cxrk_${randomToken(32)}`;
}

/**
 * The capability token in a tenant's callback URLs (…/api/webhooks/c/{token}/cdr). Hashed and
 * checked like a request key (hashRequestKey, verifyRequestKey): 32 random bytes, URL-safe.
 */
export function newCallbackToken(): string {
  return `cxcb_${randomToken(32)}`;
}

const keyCache = new Map<string, Promise<CryptoKey>>();

function aesKey(base64Key: string): Promise<CryptoKey> {
  let key = keyCache.get(base64Key);
  if (!key) {
    const raw = Uint8Array.from(atob(base64Key), (c) => c.charCodeAt(0));
    key = crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
    keyCache.set(base64Key, key);
  }
  return key;
}

/** AES-256-GCM; stored as "v1.<iv>.<ciphertext>" so the key can be rotated by version later. */
export async function encryptSecret(plaintext: string, base64Key: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await aesKey(base64Key), encoder.encode(plaintext));
  return `v1.${base64Url(iv)}.${base64Url(new Uint8Array(sealed))}`;
}

export async function decryptSecret(stored: string, base64Key: string): Promise<string> {
  const [version, iv, sealed] = stored.split(".");
  if (version !== "v1" || !iv || !sealed) throw new Error("unrecognised secret format");
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64Url(iv) }, await aesKey(base64Key), fromBase64Url(sealed));
  return decoder.decode(plain);
}
