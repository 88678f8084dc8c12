import { CLOSE } from "../../workers/protocol/realtime";
import type { EventKey, HubEvent, LiveCallSummary } from "../hub-events";
import { isTerminal } from "../../workers/domain/call-machine";

/*
 * The TenantHub's decisions, pure: what an event does to the live-call registry, which
 * resends to drop, how a reconnecting client catches up, and when a socket must be let go.
 */

/** The LiveCallSummary inside a call.* event, or null when it has none. */
export function liveSummaryOf(event: HubEvent): LiveCallSummary | null {
  if (!event.type.startsWith("call.")) return null;
  const { event: _fine, detail: _detail, ...rest } = event.data as Record<string, unknown>;
  if (typeof rest.callId !== "string" || !rest.callId || typeof rest.startedAt !== "number") return null;
  return rest as unknown as LiveCallSummary;
}

export type RegistryAction = "upsert" | "end" | "ignore";

/**
 * Calls publish after each webhook, off the answer's path, so two publishes of one call can
 * arrive out of order: an ended call leaves a tombstone that later (older) news cannot undo,
 * and an update older than what the registry holds is ignored.
 */
export function registryAction(summary: LiveCallSummary, eventType: string, current: { at: number } | null, tombstoned: boolean, at: number): RegistryAction {
  if (eventType === "call.ended" || isTerminal(summary.state) || summary.endedAt !== null) return "end";
  if (tombstoned) return "ignore";
  if (current && current.at > at) return "ignore";
  return "upsert";
}

export const isEventKey = (key: unknown): key is EventKey => typeof key === "object" && key !== null && typeof (key as EventKey).stream === "string" && (key as EventKey).stream.length > 0 && Number.isInteger((key as EventKey).seq);

/**
 * A stream's events reach the hub in order (its publisher sends them oldest first and resends
 * only what was not acknowledged), so one remembered seq per stream tells a resend from news.
 */
export const isResend = (key: EventKey, lastSeen: number | null): boolean => lastSeen !== null && key.seq <= lastSeen;

export type ResumePlan = { kind: "replay"; after: number } | { kind: "resync"; reason: "epoch_changed" | "too_far_behind" | "ahead_of_server" } | { kind: "current" };

/** What a client that last saw `since` (of `clientEpoch`) needs to catch up. */
export function resumePlan(since: number, clientEpoch: string | undefined, hub: { seq: number; epoch: string; oldestBuffered: number | null }, maxReplay: number): ResumePlan {
  if (clientEpoch !== undefined && clientEpoch !== hub.epoch) return { kind: "resync", reason: "epoch_changed" };
  if (since > hub.seq) return { kind: "resync", reason: "ahead_of_server" };
  if (since === hub.seq) return { kind: "current" };
  const oldest = hub.oldestBuffered ?? hub.seq + 1;
  if (since + 1 < oldest || hub.seq - since > maxReplay) return { kind: "resync", reason: "too_far_behind" };
  return { kind: "replay", after: since };
}

export interface SocketState {
  sessionExpiresAt: number;
  connectedAt: number;
  /** Last seq the client acknowledged; replayed events count as in flight until acknowledged. */
  acked: number;
  /** Last time the client said anything (message or auto-answered ping). */
  lastSeen: number;
  /** Resumes asked for since `resumeWindowAt` (absent on sockets that never resumed). */
  resumes?: number;
  resumeWindowAt?: number;
}

export interface ResumeLimit {
  count: number;
  windowMs: number;
}

/**
 * Counts a resume against the socket's budget: each one may replay hundreds of events, so a
 * client that keeps asking is cut off rather than served without bound.
 */
export function takeResume(state: Pick<SocketState, "resumes" | "resumeWindowAt">, now: number, limit: ResumeLimit): { allowed: boolean; resumes: number; resumeWindowAt: number } {
  const fresh = state.resumeWindowAt === undefined || now - state.resumeWindowAt >= limit.windowMs;
  const resumes = (fresh ? 0 : (state.resumes ?? 0)) + 1;
  const resumeWindowAt = fresh ? now : state.resumeWindowAt!;
  return { allowed: resumes <= limit.count, resumes, resumeWindowAt };
}

export interface SocketLimits {
  maxInFlight: number;
  idleMs: number;
}

export type SocketVerdict = { keep: true } | { keep: false; code: number; reason: string };

export function socketVerdict(state: SocketState, seq: number, now: number, limits: SocketLimits): SocketVerdict {
  if (now >= state.sessionExpiresAt) return { keep: false, code: CLOSE.sessionEnded, reason: "session ended; sign in again" };
  if (seq - state.acked > limits.maxInFlight) return { keep: false, code: CLOSE.tooSlow, reason: `too far behind; reconnect with ?since=${state.acked}` };
  if (now - Math.max(state.lastSeen, state.connectedAt) > limits.idleMs) return { keep: false, code: CLOSE.idle, reason: "no ping received; reconnect" };
  return { keep: true };
}

/** Whose sockets to close: one session's, or a user's (optionally sparing the session that asked). */
export type SocketTarget = { sessionId: string } | { userId: string; exceptSessionId?: string };

/** Why: the session ended (sign in again), or the user's role changed (reconnect). */
export type SocketEnd = "signed_out" | "revoked" | "role_changed";

export function isTargeted(socket: { userId: string; sessionId: string }, target: SocketTarget): boolean {
  if ("sessionId" in target) return socket.sessionId === target.sessionId;
  return socket.userId === target.userId && socket.sessionId !== target.exceptSessionId;
}

export function closeFor(end: SocketEnd): { code: number; reason: string } {
  switch (end) {
    case "signed_out":
      return { code: CLOSE.sessionEnded, reason: "signed out" };
    case "revoked":
      return { code: CLOSE.sessionEnded, reason: "session revoked; sign in again" };
    case "role_changed":
      return { code: CLOSE.reconnect, reason: "role changed; reconnect" };
  }
}
