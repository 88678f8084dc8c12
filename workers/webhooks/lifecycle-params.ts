import { z } from "zod";
import type { CdrInput } from "../../durable-objects/call/model";
import { WebhookError } from "./params";

const text = (max: number) => z.union([z.string(), z.number().transform(String)]).pipe(z.string().max(max));
/** Epoch milliseconds, or an ISO date string; anything unparsable is dropped rather than refused. */
const time = z
  .union([z.number(), z.string()])
  .transform((v) => (typeof v === "number" ? v : Date.parse(v)))
  .transform((v) => (Number.isFinite(v) && v > 0 ? v : undefined));
const seconds = z.union([z.number(), z.string()]).transform((v) => {
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? Math.round(n) : undefined;
});

/** A Cloudonix session object as the session-update webhook sends it. */
export const SessionUpdateSchema = z.object({
  token: text(128),
  status: text(32),
  domain: text(253).optional(),
  callAnswerTime: time.optional(),
  callEndTime: time.optional(),
  answerTime: time.optional(),
  endTime: time.optional(),
});
export type SessionUpdate = z.output<typeof SessionUpdateSchema>;

/** One CDR per finished call. */
export const CdrSchema = z
  .object({
    call_id: text(256).optional(),
    domain: text(253).optional(),
    disposition: text(32),
    duration: seconds.optional(),
    billsec: seconds.optional(),
    timestamp: time.optional(),
    session: z.object({ token: text(128).optional(), callStartTime: time.optional(), callAnswerTime: time.optional(), callEndTime: time.optional() }).partial().optional(),
    owner: z.object({ domain: z.object({ name: text(253).optional() }).partial().optional() }).partial().optional(),
  })
  .refine((cdr) => Boolean(cdr.session?.token || cdr.call_id), { message: "session.token or call_id is required", path: ["session", "token"] });
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
  };
}
