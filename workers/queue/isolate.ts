import { isTransientDbError } from "../db/executor";

/** A message whose write failed on its own this many times is parked with its error instead. */
export const PARK_AFTER_ATTEMPTS = 3;
/** How long a message waits before its next try (Cloudflare's own default is immediately). */
export const RETRY_DELAY_SECONDS = 5;

export interface Outcome<M> {
  stored: M[];
  /** Failed on their own: retried alone, or parked once they have failed often enough. */
  failed: { message: M; error: unknown }[];
  /** MySQL itself failed (unreachable, lock conflicts): nothing can be said of these messages. */
  unavailable: M[];
}

/**
 * Writes messages so that one bad message never takes others with it. Fresh messages go in one
 * write; if it fails for a reason of its own content, the set is halved and each half written
 * again, down to the culprits (about 2·log2(n) writes for one poison among n, instead of n).
 * A message that failed before (a suspect) is always written alone, so a poison message costs
 * its batch that search once, not on every retry.
 */
export async function writeIsolated<M>(messages: M[], isSuspect: (message: M) => boolean, write: (messages: M[]) => Promise<void>): Promise<Outcome<M>> {
  const outcome: Outcome<M> = { stored: [], failed: [], unavailable: [] };
  const bisect = async (part: M[]): Promise<void> => {
    if (!part.length) return;
    try {
      await write(part);
      outcome.stored.push(...part);
    } catch (error) {
      if (isTransientDbError(error)) outcome.unavailable.push(...part);
      else if (part.length === 1) outcome.failed.push({ message: part[0]!, error });
      else {
        const middle = Math.ceil(part.length / 2);
        await bisect(part.slice(0, middle));
        await bisect(part.slice(middle));
      }
    }
  };
  for (const suspect of messages.filter(isSuspect)) await bisect([suspect]);
  await bisect(messages.filter((m) => !isSuspect(m)));
  return outcome;
}

/** The root cause of an error, in one line: Drizzle's wrapper repeats the whole SQL statement. */
export function errorText(error: unknown): string {
  let root = error;
  while (root instanceof Error && root.cause instanceof Error) root = root.cause;
  const code = (root as { code?: unknown }).code;
  const text = root instanceof Error ? `${typeof code === "string" ? code : root.name}: ${root.message}` : String(root);
  return text.slice(0, 1_000);
}
