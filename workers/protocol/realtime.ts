import { z } from "zod";
import type { LiveCallSummary } from "../../durable-objects/hub-events";

/*
 * The dashboard WebSocket protocol (GET /api/realtime) and the per-call one
 * (GET /api/realtime/calls/{callId}). Types only cross into the SPA (type-only import).
 *
 * Server → client, in order on one socket:
 *   hello      {type, protocol, epoch, seq, heartbeatSec, ackEvery, maxInFlight}
 *   snapshot   {type, epoch, seq, calls, part, parts}    the live calls as of `seq`
 *   <event>    {type: "call.started" | "call.updated" | "call.ended" | "agent.status_changed" |
 *               "agent.health_changed" | "routing_rule.updated" | …, seq, at, data}
 *   heartbeat  {type, seq, at}                           every heartbeatSec, with the latest seq
 *   resync     {type, seq, reason}                       followed by a fresh snapshot
 *   error      {type, code, message}                     before a close for a protocol error
 *   transient  {type, event, at, data}                   the latest state of something the API also
 *                                                        serves (event "campaign.progress": data
 *                                                        {campaignId, progress}); not numbered, not
 *                                                        replayed: one missed is replaced by the next
 * Events carry consecutive `seq` numbers per tenant. A client that sees a gap (or a heartbeat
 * whose seq is ahead of the last event it saw) sends {type:"resume", since:<last seq seen>}
 * and gets the missed events replayed, or a resync + snapshot when they are too old or too
 * many (more than half of maxInFlight). A socket may resume 3 times in 10 seconds.
 *
 * Client → server:
 *   {"type":"ping"}                       answered {"type":"pong"} without waking the object;
 *                                         send one at least every heartbeatSec
 *   {type:"ack", seq}                     at least every `ackEvery` events: a socket more than
 *                                         `maxInFlight` events behind is closed (4008) so a stalled
 *                                         client cannot make the server buffer without bound
 *   {type:"resume", since, epoch?}        replay after `since` (also ?since=&epoch= on connect)
 *
 * Close codes: 4001 session ended (expired, signed out, or revoked: sign in again), 4008 too
 * slow (reconnect with ?since=), 4009 idle (no ping), 4010 role changed (reconnect), 1008
 * invalid message or too many resumes, 1013 too many viewers of one call (per-call socket).
 */

export const REALTIME_PROTOCOL = "cxlb.v1";
/** Browsers cannot set headers on a WebSocket; they may offer "cxlb.bearer.<token>" as a subprotocol. */
export const BEARER_PROTOCOL_PREFIX = "cxlb.bearer.";
export const PING = '{"type":"ping"}';
export const PONG = '{"type":"pong"}';

export const ClientMessage = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("ping") }),
  z.strictObject({ type: z.literal("ack"), seq: z.number().int().min(0) }),
  z.strictObject({ type: z.literal("resume"), since: z.number().int().min(0), epoch: z.string().max(64).optional() }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

export interface HelloMessage {
  type: "hello";
  protocol: typeof REALTIME_PROTOCOL;
  epoch: string;
  seq: number;
  heartbeatSec: number;
  ackEvery: number;
  maxInFlight: number;
}

export interface SnapshotMessage {
  type: "snapshot";
  epoch: string;
  seq: number;
  calls: LiveCallSummary[];
  part: number;
  parts: number;
}

export interface EventMessage {
  type: string;
  seq: number;
  at: number;
  data: Record<string, unknown>;
}

export interface HeartbeatMessage {
  type: "heartbeat";
  seq: number;
  at: number;
}

export interface ResyncMessage {
  type: "resync";
  seq: number;
  reason: "epoch_changed" | "too_far_behind" | "ahead_of_server";
}

export interface ErrorMessage {
  type: "error";
  code: string;
  message: string;
}

/** Outside the numbered stream: never replayed, so it carries a whole state, not a change. */
export interface TransientMessage {
  type: "transient";
  /** What it is, e.g. "campaign.progress". */
  event: string;
  at: number;
  data: Record<string, unknown>;
}

export type ServerMessage = HelloMessage | SnapshotMessage | EventMessage | HeartbeatMessage | ResyncMessage | ErrorMessage | TransientMessage;

/** Per-call socket: a snapshot of the call, then its events as they happen. */
export interface CallSnapshotMessage {
  type: "call.snapshot";
  seq: number;
  call: { state: string; record: unknown; trace: unknown };
}

export const CLOSE = {
  sessionEnded: 4001,
  tooSlow: 4008,
  idle: 4009,
  /** The session lives on but what it may see changed: a fresh connection picks that up. */
  reconnect: 4010,
  invalid: 1008,
  tryAgainLater: 1013,
} as const;

/**
 * Who the Worker authenticated for a WebSocket upgrade. The Worker forwards the upgrade to the
 * object with this header; objects are not reachable from outside, so the header is trusted.
 */
export const ViewerIdentity = z.object({
  tenantId: z.string().min(1),
  userId: z.string().min(1),
  role: z.enum(["admin", "user"]),
  sessionId: z.string().min(1),
  sessionExpiresAt: z.number(),
  /** The subprotocol to answer with, when the client offered one. */
  protocol: z.literal(REALTIME_PROTOCOL).optional(),
});
export type ViewerIdentity = z.infer<typeof ViewerIdentity>;
export const IDENTITY_HEADER = "x-cxlb-viewer";
