import { z } from "zod";
import { HEADER_NAME, MAX_CARRIER_HEADERS, MAX_HEADER_NAME, MAX_HEADER_VALUE } from "../domain/carrier-headers";

export const ExplainBody = z.object({
  from: z.string().max(128).default("").meta({ description: "Caller number or subscriber id, with or without +" }),
  to: z.string().min(1, "is required: the number being called").max(128),
  direction: z.enum(["auto", "inbound", "outbound", "subscriber", "outbound-api"]).default("auto").meta({ description: "auto: decide as for a real call (caller-ID patterns); inbound/outbound force it; subscriber and outbound-api are Cloudonix's own values" }),
  headers: z
    .record(z.string(), z.string().max(MAX_HEADER_VALUE, `header values are at most ${MAX_HEADER_VALUE} characters`))
    // Names checked here rather than by a key schema, so the message names the header.
    .superRefine((headers, ctx) => {
      const names = Object.keys(headers);
      if (names.length > MAX_CARRIER_HEADERS) ctx.addIssue({ code: "custom", message: `at most ${MAX_CARRIER_HEADERS} headers` });
      for (const name of names) {
        if (name.length > MAX_HEADER_NAME || !HEADER_NAME.test(name)) {
          ctx.addIssue({ code: "custom", path: [name], message: `${JSON.stringify(name.slice(0, 80))} is not a SIP header name (letters, digits and - . _, at most ${MAX_HEADER_NAME} characters, no spaces or colons)` });
        }
      }
    })
    .optional()
    .meta({ description: 'The carrier SIP headers the call would carry (Cloudonix\'s trunk-sip-headers), e.g. {"A2B-DNID": "18005550123"}: header conditions and the routing-number header read them' }),
  time: z.iso.datetime({ offset: true }).optional().meta({ description: "When the call happens (defaults to now); echoed in the trace" }),
});

export const StageResult = z.object({
  label: z.string(),
  kind: z.enum(["group", "trunks", "person", "end"]),
  reached: z.boolean(),
  chosen: z.string().nullable(),
  candidates: z.array(z.string()),
  skipped: z.array(z.object({ agentId: z.string(), reason: z.string() })),
  eligibleCount: z.number().nullable(),
  line: z.object({ ahead: z.number().int(), position: z.number().int().nullable() }).nullable().meta({ description: "The group's waiting line when it was full: callers waiting ahead, and the place this call would take (null when it would not wait)" }),
});
export type StageOutcome = z.infer<typeof StageResult>;

const ContextList = z.array(z.object({ name: z.string(), value: z.string() })).meta({ description: "The headers (stream parameters for a WebSocket agent) this call would send" });

export const ExplainedAttempt = z.object({
  n: z.number().int(),
  stage: z.string(),
  kind: z.enum(["agent", "trunk", "person"]),
  via: z.enum(["service", "sip", "stream", "number"]).meta({ description: "How Cloudonix is told to reach it: <Service>, <Sip>, <Connect><Stream> or <Number>" }),
  targetId: z.string(),
  targetName: z.string(),
  address: z.string().meta({ description: "The number, SIP URI or WebSocket URL dialled" }),
  groupId: z.string().nullable(),
  provider: z.string().nullable(),
  timeLimitSec: z.number().int().nullable(),
  context: ContextList,
  cxml: z.string(),
});

export const ExplainResponse = z.object({
  decision: z.object({
    action: z.enum(["dial_agent", "dial_trunk", "dial_person", "wait", "hangup", "reject", "announcement"]),
    agent: z.object({ id: z.string(), name: z.string(), provider: z.string(), serviceValue: z.string(), kind: z.enum(["service", "sip", "stream", "number"]) }).nullable(),
    trunk: z.object({ id: z.string(), name: z.string() }).nullable(),
    person: z
      .object({ target: z.string(), via: z.enum(["service", "sip", "stream", "number"]) })
      .nullable()
      .meta({ description: "Escalation to a person: the number or SIP URI dialled" }),
    wait: z.object({ position: z.number().int(), maxWaitSec: z.number().int() }).nullable().meta({ description: "The call would hold in a waiting room (its group full): its place in line and the longest wait" }),
    context: ContextList,
    timeLimitSec: z.number().int().nullable().meta({ description: "Maximum call seconds (Dial timeLimit) from the rule or group" }),
    cxml: z.string().meta({ description: "The CXML a real call would get (credentials omitted)" }),
  }),
  chain: z
    .object({
      attempts: z.array(ExplainedAttempt),
      waits: z
        .array(z.object({ stage: z.string(), position: z.number().int(), beforeAttempt: z.number().int(), maxWaitSec: z.number().int(), retrySec: z.number().int(), cxml: z.string() }))
        .meta({ description: "Waiting rooms the call would hold in, each before attempt beforeAttempt, until its maximum wait (a prediction frees no slot)" }),
      end: z.object({ label: z.string(), action: z.string(), cxml: z.string() }),
    })
    .meta({ description: "What the call does were every attempt to fail: each attempt in order, then the final end, as the call flow of a real call decides it from the same counters" }),
  trace: z.looseObject({ direction: z.string(), rulesTried: z.array(z.unknown()), stages: z.array(StageResult) }),
});
export type ExplainDecision = z.infer<typeof ExplainResponse>["decision"];
