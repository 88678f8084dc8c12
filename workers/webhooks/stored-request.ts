import { cappedText, type CappedText } from "../lib/storable";
import type { ReceivedWebhook } from "./params";

/** What a delivery keeps of its request and answer: text, bounded, with secrets redacted. */
export const STORED_QUERY_CHARS = 4_096;
export const STORED_BODY_CHARS = 16_384;
export const STORED_RESPONSE_CHARS = 8_192;
export const REDACTED = "[redacted]";

export interface StoredRequest {
  query: string;
  body: string;
  /** Query or body was longer than what is kept. */
  truncated: boolean;
}

const SECRET_NAME = /pass(word)?|secret|api[-_]?key|authori[sz]ation|signature|credential/i;
const SECRET_JSON_FIELD = /("[^"\\]*(?:pass(?:word)?|secret|api[-_]?key|authori[sz]ation|signature|credential)[^"\\]*"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;
const SECRET_ATTRIBUTE = /\b(password)="[^"]*"/gi;

function redactQuery(query: string): string {
  if (!query) return "";
  return query
    .split("&")
    .map((pair) => {
      const name = pair.split("=", 1)[0]!;
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // A malformed escape is kept as sent.
      }
      return SECRET_NAME.test(decoded) && pair.includes("=") ? `${name}=${REDACTED}` : pair;
    })
    .join("&");
}

/** The request as received, with secret-looking fields redacted and each part capped. */
export function storedRequest(received: ReceivedWebhook | null): StoredRequest {
  if (!received) return { query: "", body: "", truncated: false };
  const query: CappedText = cappedText(redactQuery(received.query), STORED_QUERY_CHARS);
  const body: CappedText = cappedText(received.body.replace(SECRET_JSON_FIELD, `$1"${REDACTED}"`), STORED_BODY_CHARS);
  return { query: query.text, body: body.text, truncated: query.truncated || body.truncated };
}

/** Our answer, capped, with agent passwords in Dial nouns redacted. */
export function storedResponse(body: string | null): string | null {
  return body === null ? null : cappedText(body.replace(SECRET_ATTRIBUTE, `$1="${REDACTED}"`), STORED_RESPONSE_CHARS).text;
}
