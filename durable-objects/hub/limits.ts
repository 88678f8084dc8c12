/*
 * What the hub promises a dashboard and asks of it. The heartbeat, ack cadence and in-flight
 * bound are sent in each socket's hello, so clients follow these numbers rather than their own.
 */

export const HEARTBEAT_MS = 30_000;
/** Clients ping at least every heartbeat (protocol/realtime.ts): three silent periods and it is gone. */
export const IDLE_MS = 90_000;
export const MAX_IN_FLIGHT = 500;
export const ACK_EVERY = 100;
/**
 * Replayed events count as in flight until acknowledged, so a replay takes at most half the
 * bound: the other half leaves room for live events before the client's first ack. A longer
 * gap gets a resync and a snapshot instead.
 */
export const MAX_REPLAY = MAX_IN_FLIGHT / 2;
export const RESUME_LIMIT = { count: 3, windowMs: 10_000 };
export const MAX_SOCKETS = 500;
export const SNAPSHOT_PART = 200;
