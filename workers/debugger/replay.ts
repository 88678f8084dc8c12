import type { Context } from "hono";
import { log } from "../lib/log";
import type { AppEnv } from "../app-env";
import type { Db } from "../db/client";
import { isTransientDbError } from "../db/executor";
import { insertAudit } from "../db/repos/audit-log";
import { countParked, findDeadLetter, parkedLetters, resolveLetter, type DeadLetterRow } from "../db/repos/dead-letters";
import type { AuditEntry } from "../lib/audit";
import { actorLabel, auditContext } from "../lib/change";
import { AppError, notFound } from "../lib/errors";
import { eventsOf, type CallEventMessage, type QueueMessage, type WebhookDeliveryMessage } from "../queue/messages";
import { storeCallEvents, storeWebhookDeliveries } from "../queue/store";
import { MAX_REPLAY_ALL } from "../schemas/dead-letters";
import { toDeadLetterDto } from "./dto";
import { letterMessage } from "./letter-message";

/*
 * Replaying and discarding parked letters. A replay stores the letter's message with the very
 * writers the queue consumer uses, which are idempotent (records by tenant + call with the
 * newest event winning, events by sequence, deliveries by id): a message stored before it was
 * parked, or replayed twice, is stored once. The letter is marked only after its message is
 * stored, so a failure leaves it parked and the replay can simply be tried again.
 */

/** Bounds the work of one "replay all": at most this many parked letters are read. */
const MAX_SCANNED = 1_000;

async function store(db: Db, messages: QueueMessage[]): Promise<void> {
  const calls = messages.flatMap((m): CallEventMessage[] => (m.kind === "call_events" ? eventsOf(m) : m.kind === "call_event" ? [m] : []));
  const deliveries = messages.flatMap((m): WebhookDeliveryMessage[] => (m.kind === "webhook" ? [m] : m.kind === "call_events" ? (m.deliveries ?? []) : []));
  await storeCallEvents(db, calls);
  await storeWebhookDeliveries(db, deliveries);
}

function storeFailed(c: Context<AppEnv>, err: unknown): AppError {
  log.error("dead_letters.replay_failed", { tenantId: c.get("auth").tenantId, error: err });
  return new AppError(503, "REPLAY_FAILED", isTransientDbError(err) ? "MySQL is unavailable right now; the letter stays parked: try again in a moment" : "MySQL refused to store the message; the letter stays parked (discard it if it can never be stored)");
}

const resolvedText = (letter: DeadLetterRow) => [letter.status, letter.resolvedAt && `at ${letter.resolvedAt.toISOString()}`, letter.resolvedBy && `by ${letter.resolvedBy}`].filter(Boolean).join(" ");

/** Marks letters resolved and audits each one this request resolved, in one transaction. */
async function resolve(c: Context<AppEnv>, db: Db, letters: DeadLetterRow[], status: "replayed" | "discarded"): Promise<Set<number>> {
  const context = auditContext(c);
  const by = actorLabel(c.get("auth"));
  return db.transaction(async (tx) => {
    const resolved = new Set<number>();
    const entries: AuditEntry[] = [];
    for (const letter of letters) {
      if (!(await resolveLetter(tx, context.tenantId, letter.id, status, by))) continue;
      resolved.add(letter.id);
      const what = { queue: letter.queue, messageId: letter.messageId, kind: letter.kind, callId: letter.callId };
      entries.push({ action: `dead_letter.${status}`, entityType: "dead_letter", entityId: String(letter.id), before: { ...what, status: "parked" }, after: { ...what, status } });
    }
    await insertAudit(tx, context, entries);
    return resolved;
  });
}

async function parkedOr404(db: Db, tenantId: string, id: number | null): Promise<DeadLetterRow> {
  const letter = id === null ? null : await findDeadLetter(db, tenantId, id);
  if (!letter) throw notFound("Dead letter");
  return letter;
}

async function outcome(db: Db, tenantId: string, letter: DeadLetterRow, changed: boolean, done: string) {
  const now = (await findDeadLetter(db, tenantId, letter.id)) ?? letter;
  return { changed, message: changed ? done : `Nothing changed: this letter was already ${resolvedText(now)}`, letter: toDeadLetterDto(now) };
}

export async function replayLetter(c: Context<AppEnv>, id: number | null) {
  const { tenantId } = c.get("auth");
  const db = await c.get("services").db();
  const letter = await parkedOr404(db, tenantId, id);
  if (letter.status === "replayed") return outcome(db, tenantId, letter, false, "");
  if (letter.status === "discarded") throw new AppError(409, "LETTER_RESOLVED", `This letter was ${resolvedText(letter)}; a discarded letter is not replayed`);
  const parsed = letterMessage(letter, tenantId);
  if (parsed.problem !== null) throw new AppError(422, "NOT_REPLAYABLE", `This letter cannot be replayed: ${parsed.problem}`);
  let changed: boolean;
  try {
    await store(db, [parsed.message]);
    changed = (await resolve(c, db, [letter], "replayed")).has(letter.id);
  } catch (err) {
    throw storeFailed(c, err);
  }
  return outcome(db, tenantId, letter, changed, "Replayed: its message is stored");
}

export async function discardLetter(c: Context<AppEnv>, id: number | null) {
  const { tenantId } = c.get("auth");
  const db = await c.get("services").db();
  const letter = await parkedOr404(db, tenantId, id);
  if (letter.status === "discarded") return outcome(db, tenantId, letter, false, "");
  if (letter.status === "replayed") throw new AppError(409, "LETTER_RESOLVED", `This letter was ${resolvedText(letter)}; its message is stored, there is nothing to discard`);
  const changed = (await resolve(c, db, [letter], "discarded")).has(letter.id);
  return outcome(db, tenantId, letter, changed, "Discarded: it stays listed, and is no longer parked");
}

/**
 * Replays up to MAX_REPLAY_ALL of the tenant's parked letters, oldest first, reading at most
 * MAX_SCANNED, so letters that cannot be replayed never keep the others waiting; those are
 * reported (skipped) and stay parked.
 */
export async function replayAllLetters(c: Context<AppEnv>) {
  const { tenantId } = c.get("auth");
  const db = await c.get("services").db();
  const ready: { letter: DeadLetterRow; message: QueueMessage }[] = [];
  const skipped: { id: number; problem: string }[] = [];
  let afterId = 0;
  for (let scanned = 0; ready.length < MAX_REPLAY_ALL && scanned < MAX_SCANNED; ) {
    const rows = await parkedLetters(db, tenantId, afterId, Math.min(MAX_REPLAY_ALL, MAX_SCANNED - scanned));
    if (!rows.length) break;
    for (const letter of rows) {
      scanned++;
      afterId = letter.id;
      const parsed = letterMessage(letter, tenantId);
      if (parsed.problem !== null) skipped.push({ id: letter.id, problem: parsed.problem });
      else ready.push({ letter, message: parsed.message });
      if (ready.length >= MAX_REPLAY_ALL) break;
    }
  }
  const stored = await storeEach(c, db, ready, skipped);
  let replayed: Set<number>;
  try {
    replayed = await resolve(c, db, stored, "replayed");
  } catch (err) {
    throw storeFailed(c, err);
  }
  return { replayed: replayed.size, skipped, remaining: await countParked(db, tenantId) };
}

/**
 * Stores the messages in one go; when MySQL refuses that (not an outage), one at a time, so
 * one message it refuses costs only its own letter, which is then reported as skipped.
 */
async function storeEach(c: Context<AppEnv>, db: Db, ready: { letter: DeadLetterRow; message: QueueMessage }[], skipped: { id: number; problem: string }[]): Promise<DeadLetterRow[]> {
  try {
    await store(
      db,
      ready.map((r) => r.message),
    );
    return ready.map((r) => r.letter);
  } catch (err) {
    if (isTransientDbError(err)) throw storeFailed(c, err);
  }
  const stored: DeadLetterRow[] = [];
  for (const { letter, message } of ready) {
    try {
      await store(db, [message]);
      stored.push(letter);
    } catch (err) {
      if (isTransientDbError(err)) throw storeFailed(c, err);
      skipped.push({ id: letter.id, problem: "MySQL refused to store its message" });
    }
  }
  return stored;
}
