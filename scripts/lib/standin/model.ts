// What the Cloudonix stand-in is told per domain, and what it logs of every call it places.
import { createHash, randomBytes } from "node:crypto";

/** How the called people behave: relative weights of each outcome, and how long things take. */
export interface Behaviour {
  answer: number;
  busy: number;
  noAnswer: number;
  failed: number;
  /** Milliseconds a destination rings before it answers, is busy or fails (drawn uniformly). */
  ringMs: [number, number];
  /** Milliseconds an agent leg talks before it ends and the Dial action is called. */
  talkMs: [number, number];
  /** Per destination (E.164 as dialled), an outcome that overrides the weights: for exact tests. */
  outcomes?: Record<string, Outcome>;
  /** Requests to POST /calls/{domain}/application allowed per window (HTTP 429 beyond); null = no limit. */
  rateLimit?: { requests: number; windowMs: number } | null;
}

export type Outcome = "answered" | "busy" | "no-answer" | "failed";

export const DEFAULT_BEHAVIOUR: Behaviour = { answer: 70, busy: 10, noAnswer: 15, failed: 5, ringMs: [1_000, 4_000], talkMs: [2_000, 6_000], rateLimit: null };

/** How a domain's outgoing requests (webhooks, callbacks, CDRs) leave the stand-in. */
export type Delivery = "http" | "relay";

export interface DomainState {
  name: string;
  id: number;
  uuid: string;
  /** The domain profile (authorization-api-key, session-update-endpoint, cdr-endpoint, …). */
  profile: Record<string, unknown>;
  behaviour: Behaviour;
  delivery: Delivery;
  /** Timestamps of recent call requests, for the rate limit. */
  recentRequests: number[];
  live: number;
  maxLive: number;
}

/** One outgoing request the stand-in made for a call, and what our side answered. */
export interface DeliveryLog {
  kind: "voice-application" | "dial-action" | "session-update" | "cdr";
  url: string;
  status: number;
  at: number;
  /** The answer's body (the CXML for voice requests), cut at 2 KiB. */
  answer: string;
}

/** Everything the stand-in knows of one call it placed: what tests compare our results with. */
export interface CallLog {
  token: string;
  sessionId: number;
  domain: string;
  destination: string;
  callerId: string | null;
  url: string;
  callback: string | null;
  timeoutSec: number | null;
  trunk: string | null;
  profile: Record<string, unknown> | null;
  placedAt: number;
  outcome: Outcome;
  answeredAt: number | null;
  endedAt: number | null;
  /** Seconds the agent legs talked, summed. */
  talkSec: number;
  deliveries: DeliveryLog[];
}

export const newToken = () => randomBytes(16).toString("hex");

/** Cloudonix numbers its domains; the stand-in derives a stable id and UUID from the name. */
export function domainUuid(domain: string): string {
  const h = createHash("sha256").update(domain.toLowerCase()).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const domainId = (domain: string) => Number.parseInt(createHash("sha256").update(domain.toLowerCase()).digest("hex").slice(0, 6), 16);

export const between = ([min, max]: [number, number]) => min + Math.random() * Math.max(0, max - min);

export function drawOutcome(behaviour: Behaviour, destination: string): Outcome {
  const fixed = behaviour.outcomes?.[destination];
  if (fixed) return fixed;
  const weights: [Outcome, number][] = [
    ["answered", behaviour.answer],
    ["busy", behaviour.busy],
    ["no-answer", behaviour.noAnswer],
    ["failed", behaviour.failed],
  ];
  const total = weights.reduce((sum, [, w]) => sum + Math.max(0, w), 0);
  let r = Math.random() * (total || 1);
  for (const [outcome, weight] of weights) {
    r -= Math.max(0, weight);
    if (r < 0) return outcome;
  }
  return "answered";
}
