const keys = new Map<string, Promise<CryptoKey>>();

/**
 * An HMAC-SHA256 key derived from `secret` for one purpose, imported once per isolate. The
 * purpose is part of the key material, so a MAC made for one use never verifies for another.
 */
export function hmacKey(purpose: string, secret: string): Promise<CryptoKey> {
  const material = `${purpose}:${secret}`;
  let key = keys.get(material);
  if (!key) {
    key = crypto.subtle.importKey("raw", new TextEncoder().encode(material), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    keys.set(material, key);
  }
  return key;
}
