import type { FallbackTarget } from "../db/schema";

/*
 * What a group or rule does with a call when every eligible agent, or every agent's provider
 * account, is full (not when agents fail: that is failover). The default, "next", is what
 * calls always did: the plan's next stage (the rule's fallback, then the clean end). A rule's
 * overflow beats its group's.
 */

/**
 * A waiting room: the caller hears `text` once (with {position}: their place in line), then
 * music (`playUrl`, whose length spaces the retries) or silence for `retrySec`, and is tried
 * again, first come first served, until `maxWaitSec`; then the plan's next stage.
 */
export interface WaitRoom {
  type: "wait";
  text?: string;
  voice?: string;
  language?: string;
  playUrl?: string;
  retrySec: number;
  maxWaitSec: number;
}

export type Overflow = { type: "next" } | Extract<FallbackTarget, { type: "announcement" | "number" | "sip" }> | WaitRoom;

export const WAIT_RETRY_SEC = { min: 3, max: 60, default: 10 } as const;
/** The longest hold music clip the line allows for: a try comes after each play. */
export const MAX_HOLD_MUSIC_SEC = 120;
/**
 * How long a waiting call may go without a try before its CallSession's alarm ends it (a lost
 * hang-up): the longest clip plus the same margin a ringing call gets.
 */
export const WAITING_SILENCE_MS = (MAX_HOLD_MUSIC_SEC + 180) * 1000;
export const WAIT_MAX_SEC = { min: 10, max: 3_600, default: 120 } as const;

/**
 * How long the balancer keeps a waiter in line without hearing from it: a try comes every
 * `retrySec`, or after each play of the hold music (at most MAX_HOLD_MUSIC_SEC), so one missed
 * by a minute means the caller is gone. A caller who hangs up leaves the line at once; this
 * only bounds a lost hang-up.
 */
export const waitHoldMs = (room: WaitRoom): number => ((room.playUrl ? MAX_HOLD_MUSIC_SEC : room.retrySec) + 60) * 1000;

/** The entry announcement with the caller's place in line. */
export const waitAnnouncement = (room: WaitRoom, position: number): string | null => room.text?.replaceAll("{position}", String(position)) ?? null;
