import { cappedText } from "../lib/storable";

/*
 * One HTTP attempt: POST the body, wait at most ATTEMPT_TIMEOUT_MS for the answer, keep at most
 * EXCERPT_BYTES of what came back. Redirects are not followed (a receiver that moved must be
 * re-registered: following one would let a public URL send us to a private one).
 */

export const ATTEMPT_TIMEOUT_MS = 10_000;
export const EXCERPT_BYTES = 2_048;

export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  excerpt: string | null;
}

/** Reads at most `max` bytes of a body, then stops reading (a huge or endless answer costs nothing more). */
async function readExcerpt(response: Response, max: number): Promise<string | null> {
  if (!response.body) return null;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < max) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(Math.min(size, max));
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, Math.min(chunk.byteLength, bytes.length - offset));
    bytes.set(part, offset);
    offset += part.byteLength;
    if (offset >= bytes.length) break;
  }
  // A cut inside a multi-byte character decodes to U+FFFD: still text, still storable.
  return cappedText(new TextDecoder().decode(bytes), max).text;
}

export async function postOnce(url: string, body: string, headers: Record<string, string>, timeoutMs = ATTEMPT_TIMEOUT_MS): Promise<AttemptResult> {
  const started = Date.now();
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, { method: "POST", body, headers: { "Content-Type": "application/json", "User-Agent": "CloudonixAgentRouter-Webhooks/1", ...headers }, redirect: "manual", signal });
    // The status decides; a body that stalls past the timeout only loses its excerpt.
    const excerpt = await Promise.race([readExcerpt(response, EXCERPT_BYTES).catch(() => null), new Promise<null>((resolve) => signal.addEventListener("abort", () => resolve(null)))]);
    const ok = response.status >= 200 && response.status < 300;
    return { ok, statusCode: response.status, latencyMs: Date.now() - started, error: ok ? null : `the receiver answered ${response.status}`, excerpt };
  } catch (err) {
    const timedOut = signal.aborted;
    return { ok: false, statusCode: null, latencyMs: Date.now() - started, error: timedOut ? `no answer within ${timeoutMs / 1000} s` : `could not connect: ${cappedText((err as Error).message ?? String(err), 200).text}`, excerpt: null };
  }
}
