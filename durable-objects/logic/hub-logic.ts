import type { HubEvent, LiveCallSummary } from "../hub-events";

/*
 * The TenantHub's decisions, pure: what an event does to the live-call registry, how a
 * reconnecting client catches up, and when a socket must be let go.
 */

const TERMINAL = new Set(["completed", "failed", "timeout"]);

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
  if (eventType === "call.ended" || TERMINAL.has(summary.state) || summary.endedAt !== null) return "end";
  if (tombstoned) return "ignore";
  if (current && current.at > at) return "ignore";
  return "upsert";
}

export type ResumePlan = { kind: "replay"; after: number } | { kind: "resync"; reason: "epoch_changed" | "too_far_behind" | "ahead_of_server" } | { kind: "current" };

/** What a client that last saw `since` (of `clientEpoch`) needs to catch up. */
export function resumePlan(
  since: number,
  clientEpoch: string | undefined,
  hub: { seq: number; epoch: string; oldestBuffered: number | null },
  maxReplay: number,
): ResumePlan {
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
  /** Last seq the client acknowledged. */
  acked: number;
  /** Last time the client said anything (message or auto-answered ping). */
  lastSeen: number;
}

export interface SocketLimits {
  maxInFlight: number;
  idleMs: number;
}

export type SocketVerdict = { keep: true } | { keep: false; code: number; reason: string };

export function socketVerdict(state: SocketState, seq: number, now: number, limits: SocketLimits): SocketVerdict {
  if (now >= state.sessionExpiresAt) return { keep: false, code: 4001, reason: "session ended; sign in again" };
  if (seq - state.acked > limits.maxInFlight) return { keep: false, code: 4008, reason: `too far behind; reconnect with ?since=${state.acked}` };
  if (now - Math.max(state.lastSeen, state.connectedAt) > limits.idleMs) return { keep: false, code: 4009, reason: "no ping received; reconnect" };
  return { keep: true };
}
