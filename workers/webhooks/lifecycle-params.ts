import { z } from "zod";
import type { CdrInput } from "../../durable-objects/call/model";
import { anyValue, cdrQuality } from "./cdr-quality";
import { absent, epochMs, epochSeconds, numericId, seconds, text } from "./cloudonix-values";
import { WebhookError } from "./params";

/**
 * A Cloudonix session object as the session-update webhook sends it. Some senders name the
 * session only by its numeric `id` (the voice request's SessionData.id), not its token.
 */
export const SessionUpdateSchema = z
  .object({
    token: absent(text(128)),
    id: absent(numericId),
    status: text(32),
    domain: absent(text(253)),
    callAnswerTime: absent(epochMs),
    callEndTime: absent(epochMs),
    answerTime: absent(epochMs),
    endTime: absent(epochMs),
    /** Cloudonix numbers its session events: a repeated event is applied once. */
    eventId: absent(text(128)),
  })
  .refine((update) => Boolean(update.token || update.id !== undefined), { message: "token (or the session's numeric id) is required", path: ["token"] });
export type SessionUpdate = z.output<typeof SessionUpdateSchema>;

const CdrSessionSchema = z.object({
  token: absent(text(128)),
  id: absent(numericId),
  callStartTime: absent(epochMs),
  callAnswerTime: absent(epochMs),
  callEndTime: absent(epochMs),
  profile: anyValue("The session's profile: qos (rx_mos, tx_mos, jitter, loss) and amd are read from it"),
});

/** One CDR per finished call. Its `timestamp` is in epoch seconds, its session's times in ms. */
export const CdrSchema = z
  .object({
    call_id: absent(text(256)),
    domain: absent(text(253)),
    disposition: text(32),
    duration: absent(seconds),
    billsec: absent(seconds),
    timestamp: absent(epochSeconds),
    session: absent(CdrSessionSchema),
    owner: absent(z.object({ domain: absent(z.object({ name: absent(text(253)), uuid: absent(text(64)) })) })),
    // Quality, money and route: any value is taken, what cannot be read is dropped (cdr-quality.ts).
    rated_cost: anyValue("Cost as rated (number or numeric string)"),
    approx_cost: anyValue("Approximate cost, used when rated_cost is absent"),
    sell_cost: anyValue("Cost as sold (number or numeric string)"),
    recording_url: anyValue("The call's recording (kept only when an http(s) URL)"),
    cx_trunk_id: anyValue("Cloudonix's trunk of the call"),
    route: anyValue("Cloudonix's route of the call"),
  })
  .refine((cdr) => Boolean(cdr.session?.token || cdr.call_id || cdr.session?.id !== undefined), { message: "session.token, call_id or session.id is required", path: ["session", "token"] });
export type Cdr = z.output<typeof CdrSchema>;

export function parseLifecycle<T extends z.ZodType>(schema: T, raw: unknown, what: string): z.output<T> {
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new WebhookError(400, "INVALID_PARAMETERS", `Not a well-formed ${what}: ${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}`);
  }
  return result.data;
}

/** Maps a CDR disposition (ANSWER, BUSY, CANCEL, FAILED, CONGESTION, NOANSWER) to a session status. */
function cdrStatus(disposition: string): string {
  const d = disposition.trim().toUpperCase();
  return d === "ANSWER" || d === "ANSWERED" ? "completed" : d.toLowerCase();
}

/**
 * What a CDR tells its call. The end is session.callEndTime, else the start plus the duration;
 * `timestamp` comes last because whether it marks the start, the end or the record's creation is
 * not documented. ANSWER or a billed second means answered even without
 * session.callAnswerTime, and then the answer came billsec before the end.
 */
export function cdrInput(cdr: Cdr): CdrInput {
  const { session } = cdr;
  const startPlusDuration = session?.callStartTime !== undefined && cdr.duration !== undefined ? session.callStartTime + cdr.duration * 1000 : undefined;
  const endedAt = session?.callEndTime ?? startPlusDuration ?? cdr.timestamp;
  const status = cdrStatus(cdr.disposition);
  const answered = status === "completed" || (cdr.billsec ?? 0) > 0;
  const derivedAnswer = answered && endedAt !== undefined ? endedAt - (cdr.billsec ?? 0) * 1000 : undefined;
  return {
    disposition: cdr.disposition,
    status,
    answered,
    durationSec: cdr.duration,
    billableSec: cdr.billsec,
    answeredAt: session?.callAnswerTime ?? derivedAnswer,
    endedAt,
    quality: cdrQuality({ ...cdr, profile: session?.profile }),
  };
}
