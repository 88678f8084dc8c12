import type { FallbackTarget } from "../db/schema";

/*
 * What a group or rule does with a call when every eligible agent, or every agent's provider
 * account, is full (not when agents fail: that is failover). The default, "next", is what
 * calls always did: the plan's next stage (the rule's fallback, then the clean end). A rule's
 * overflow beats its group's. (A waiting room, where callers hold and are tried again in turn,
 * is not built.)
 */
export type Overflow = { type: "next" } | Extract<FallbackTarget, { type: "announcement" | "number" | "sip" }>;
