/**
 * What the TenantHub fans out to a tenant's dashboards. Publishers send events without a
 * sequence number; the hub numbers them so clients can tell when they missed one.
 */
export interface HubEvent {
  /** call.started | call.updated | call.ended | agent.health_changed | routing_rule.updated | … */
  type: string;
  at: number;
  data: Record<string, unknown>;
  /**
   * Set by publishers that retry: the stream the event belongs to (a call's id) and its place
   * in it. Each stream's events arrive in order, so the hub shows one once and drops a resend
   * whose seq it has already seen.
   */
  key?: EventKey;
}

export interface EventKey {
  stream: string;
  seq: number;
}

/** The live-call fields every call.* event carries, enough to keep a live-calls registry. */
export interface LiveCallSummary {
  callId: string;
  recordId: string;
  state: string;
  direction: "inbound" | "outbound";
  from: string;
  to: string;
  ruleId: string | null;
  groupId: string | null;
  agentId: string | null;
  trunkId: string | null;
  attempt: number;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  /** Set while the caller holds in a waiting room: their place in line and since when. */
  waiting?: { position: number; since: number } | null;
}
