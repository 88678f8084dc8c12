import type { FallbackTarget } from "../db/schema";

/*
 * What a group or rule does with a call when every eligible agent, or every agent's provider
 * account, is full (not when agents fail: that is failover). The default, "next", is what
 * calls always did: the plan's next stage (the rule's fallback, then the clean end).
 */
export type Overflow =
  | { type: "next" }
  | { type: "announcement"; text: string; voice?: string; language?: string }
  /** A person: a phone number (through a trunk, or Cloudonix's choice) or a SIP URI. */
  | { type: "number"; number: string; trunkId?: string | null }
  | { type: "sip"; uri: string }
  /**
   * A waiting room: the caller hears `message` (or the audio at `musicUrl`) and is tried again
   * every `retrySeconds` (CXML <Say>/<Play> then <Redirect> back to the router), first come
   * first served, for at most `maxWaitSeconds`; then `then` (default: the plan's next stage).
   */
  | { type: "waiting_room"; message?: string; musicUrl?: string; retrySeconds: number; maxWaitSeconds: number; then?: FallbackTarget | null };
