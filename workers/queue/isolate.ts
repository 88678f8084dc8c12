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
 * write; if it fails for a reason of its own content, each is written alone to find the culprit.
 * A message that failed before (a suspect) is always written alone, so a poison message costs
 * its batch one extra round of single writes, once, not on every retry.
 */
export async function writeIsolated<M>(
  messages: M[],
  isSuspect: (message: M) => boolean,
  write: (messages: M[]) => Promise<void>,
): Promise<Outcome<M>> {
  const outcome: Outcome<M> = { stored: [], failed: [], unavailable: [] };
  const alone = async (message: M) => {
    try {
      await write([message]);
      outcome.stored.push(message);
    } catch (error) {
      if (isTransientDbError(error)) outcome.unavailable.push(message);
      else outcome.failed.push({ message, error });
    }
  };
  const fresh = messages.filter((m) => !isSuspect(m));
  for (const message of messages.filter(isSuspect)) await alone(message);
  if (!fresh.length) return outcome;
  try {
    await write(fresh);
    outcome.stored.push(...fresh);
  } catch (error) {
    if (isTransientDbError(error)) outcome.unavailable.push(...fresh);
    else for (const message of fresh) await alone(message);
  }
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
