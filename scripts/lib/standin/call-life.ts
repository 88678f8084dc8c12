// One call the stand-in placed, from ringing to its CDR, as Cloudonix runs a call started with
// POST /calls/{domain}/application: the destination rings; if it answers, the voice application
// runs "as if the destination had called it" (Direction=outbound-api), and each <Dial> it
// answers with is followed, once the agent leg ends, by the Dial's action; session updates go to
// the call's `callback` URL (else the domain's session-update-endpoint) and the CDR to the
// domain's cdr-endpoint. A call that is not answered gets only its session updates and CDR.
import type { Outbox } from "./deliver";
import { between, type CallLog, type DeliveryLog, type DomainState } from "./model";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const MAX_STEPS = 10;
/** Pauses before each new try of a session update or CDR the router did not take: three minutes in all. */
const LIFECYCLE_RETRY_MS = [1_000, 2_000, 4_000, 8_000, 15_000, 30_000, 30_000, 30_000, 30_000, 30_000];

const SESSION_STATUS = { answered: "completed", busy: "busy", "no-answer": "noanswer", failed: "failed" } as const;
const DISPOSITION = { answered: "ANSWER", busy: "BUSY", "no-answer": "NOANSWER", failed: "FAILED" } as const;

/** The <Dial> (or <Connect>) action of a CXML answer, if it has one. */
export function actionOf(cxml: string): string | null {
  const match = /<(?:Dial|Connect)\b[^>]*\baction="([^"]*)"/.exec(cxml);
  if (!match) return null;
  return match[1]!
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** `ended` is called the moment the call ends, before its last session update and CDR go out. */
export async function runCall(outbox: Outbox, domain: DomainState, call: CallLog, ended: () => void): Promise<void> {
  let eventNo = 0;
  const send = async (kind: DeliveryLog["kind"], url: string | null, body: unknown, headers: Record<string, string> = {}) => {
    if (!url) return { status: 0, body: "" };
    // A session update or CDR that gets no answer or a 5xx is sent again, as the router expects of
    // Cloudonix (its 503 asks for it); a voice request is not: the caller cannot wait.
    const retries = kind === "session-update" || kind === "cdr" ? LIFECYCLE_RETRY_MS : [];
    for (let attempt = 0; ; attempt++) {
      const answer = await outbox.send(domain.name, domain.delivery, { url, headers, body });
      call.deliveries.push({ kind, url, status: answer.status, at: Date.now(), answer: answer.body.slice(0, 2048) });
      const again = retries[attempt];
      if ((answer.status !== 0 && answer.status < 500) || again === undefined) return answer;
      await sleep(again);
    }
  };
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const session = (status: string) => ({
    id: call.sessionId,
    domainId: domain.id,
    domain: domain.name,
    subscriberId: null,
    callerId: call.callerId,
    destination: call.destination,
    direction: "outbound-api",
    token: call.token,
    status,
    createdAt: iso(call.placedAt),
    modifiedAt: iso(Date.now()),
    callStartTime: call.placedAt,
    callAnswerTime: call.answeredAt,
    callEndTime: call.endedAt,
    startTime: iso(call.placedAt),
    answerTime: iso(call.answeredAt),
    endTime: iso(call.endedAt),
    timeLimit: null,
    profile: call.profile ?? {},
    eventId: `${call.token}-${++eventNo}`,
  });
  const sessionUpdates = call.callback ?? stringOr(domain.profile["session-update-endpoint"]);
  const update = (status: string) => send("session-update", sessionUpdates, session(status));
  const voiceParams = (extra: Record<string, unknown> = {}) => ({
    ApiVersion: "1",
    CallSid: call.token,
    Session: call.token,
    // "As if the destination has called that application": the person is the caller.
    From: call.destination,
    To: call.callerId ?? call.destination,
    Direction: "outbound-api",
    Domain: domain.name,
    AccountSid: domain.name,
    CallStatus: "in-progress",
    SessionData: {
      id: call.sessionId,
      domainId: domain.id,
      token: call.token,
      callerId: call.callerId,
      destination: call.destination,
      status: "processing",
      callStartTime: call.placedAt,
      vappServer: "127.0.0.1",
      ringing: false,
      domainNameOrId: domain.name,
      profile: call.profile ?? {},
    },
    ...extra,
  });
  const requestKey = stringOr(domain.profile["authorization-api-key"]);
  const auth: Record<string, string> = requestKey ? { authorization: `Bearer ${requestKey}` } : {};

  await update("ringing");
  const ring = between(domain.behaviour.ringMs);
  await sleep(call.outcome === "no-answer" && call.timeoutSec !== null ? Math.min(ring, call.timeoutSec * 1000) : ring);
  if (call.outcome === "answered") {
    call.answeredAt = Date.now();
    let answer = await send("voice-application", call.url, voiceParams(), auth);
    await update("connected");
    for (let step = 0; step < MAX_STEPS; step++) {
      const action = answer.status === 200 ? actionOf(answer.body) : null;
      if (!action) break;
      const talk = between(domain.behaviour.talkMs);
      await sleep(talk);
      const seconds = Math.round(talk / 1000);
      call.talkSec += seconds;
      answer = await send("dial-action", new URL(action, call.url).toString(), voiceParams({ CallStatus: "completed", DialCallStatus: "completed", DialCallDuration: String(seconds) }), auth);
    }
  }
  call.endedAt = Date.now();
  ended();
  await update(SESSION_STATUS[call.outcome]);
  const duration = Math.round((call.endedAt - call.placedAt) / 1000);
  await send("cdr", stringOr(domain.profile["cdr-endpoint"]), {
    call_id: call.token,
    domain: domain.name,
    from: call.callerId,
    to: call.destination,
    disposition: DISPOSITION[call.outcome],
    duration,
    billsec: call.outcome === "answered" ? Math.min(duration, Math.round((call.endedAt - call.answeredAt!) / 1000)) : 0,
    timestamp: Math.floor(call.endedAt / 1000),
    subscriber: null,
    application: call.url,
    session: { token: call.token, id: call.sessionId, callStartTime: call.placedAt, callAnswerTime: call.answeredAt, callEndTime: call.endedAt, status: SESSION_STATUS[call.outcome], profile: call.profile ?? {} },
    owner: { domain: { name: domain.name, uuid: domain.uuid } },
  });
}

function stringOr(value: unknown): string | null {
  return typeof value === "string" && value ? value : null;
}
