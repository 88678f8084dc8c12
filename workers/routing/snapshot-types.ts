import type { FallbackTarget } from "../db/schema";
import type { ContextEntry } from "../domain/call-context";
import type { HeaderCondition } from "../domain/carrier-headers";
import type { Schedule } from "../domain/schedules";
import type { FailoverOutcome } from "./plan-types";
import type { Overflow } from "../domain/overflow";

/**
 * A tenant's routing configuration compiled for the hot path: everything a decision needs,
 * nothing it does not. Built from MySQL after each committed change, cached in Upstash and
 * in isolate memory, identified by the tenant's config version.
 */
export interface RoutingSnapshot {
  /** contracts/snapshot.ts SNAPSHOT_FORMAT: what shape this snapshot has. */
  format: number;
  tenantId: string;
  version: number;
  builtAt: number;
  /** Lower-cased Cloudonix domain; null when the tenant has none yet. */
  domain: string | null;
  /** Hash of the webhook request key (lib/secrets.ts); null until one is generated. */
  requestKeyHash: string | null;
  /** The key before the last rotation, accepted until `previousRequestKeyExpiresAt` (epoch ms). */
  previousRequestKeyHash: string | null;
  previousRequestKeyExpiresAt: number | null;
  /**
   * Hash of the capability token in the tenant's callback URLs; null until one is generated.
   * Optional: snapshots published before callback URLs existed lack these fields.
   */
  callbackTokenHash?: string | null;
  /** The token before the last rotation, accepted until `previousCallbackTokenExpiresAt` (epoch ms). */
  previousCallbackTokenHash?: string | null;
  previousCallbackTokenExpiresAt?: number | null;
  /**
   * A carrier SIP header whose number, when the call carries a usable one, inbound rules match
   * instead of To (e.g. A2B-DNID). Optional: older snapshots lack it.
   */
  routingNumberHeader?: string | null;
  timezone: string;
  defaultFallback: FallbackTarget | null;
  /** An inbound call no rule matches, without a default fallback: hung up (default) or rejected. */
  unmatchedAction?: "hangup" | "reject";
  /** Callers matching one of these (exact or prefix*) are outbound callers. */
  outboundCallerPatterns: string[];
  agents: Record<string, SnapshotAgent>;
  groups: Record<string, SnapshotGroup>;
  trunks: Record<string, SnapshotTrunk>;
  inboundRules: SnapshotInboundRule[];
  outboundRules: SnapshotOutboundRule[];
  /** The schedules inbound rules use, by id. Optional: older snapshots lack it. */
  schedules?: Record<string, SnapshotSchedule>;
  /** The provider accounts agents are assigned to, by id. Optional: only tenants that assign any carry it. */
  accounts?: Record<string, SnapshotAccount>;
}

/** A provider account: its agents' calls together take at most `maxConcurrentCalls` slots. */
export interface SnapshotAccount {
  id: string;
  name: string;
  maxConcurrentCalls: number;
}

/** A schedule as decisions read it (domain/schedules.ts). */
export interface SnapshotSchedule extends Schedule {
  id: string;
  name: string;
}

export interface SnapshotAgent {
  id: string;
  name: string;
  /** Canonical Cloudonix provider id ("elevenlabs", never "11labs"). */
  provider: string;
  serviceValue: string;
  username: string | null;
  /** Still encrypted; decrypted only when CXML is rendered. */
  passwordEnc: string | null;
  enabled: boolean;
  maxConcurrentCalls: number | null;
  weight: number;
  /** A phone-number agent's trunk. Optional fields: older snapshots lack them. */
  trunkId?: string | null;
  context?: ContextEntry[] | null;
  /** The agent's provider account (snapshot.accounts). Optional: only assigned agents carry it. */
  accountId?: string | null;
}

export interface SnapshotMember {
  agentId: string;
  position: number;
  priority: number;
  /** Member override, else the agent's weight. */
  weight: number;
  /** Member override, else the agent's max concurrent calls; null = unlimited. */
  capacity: number | null;
}

export interface SnapshotGroup {
  id: string;
  name: string;
  strategy: "round_robin" | "priority" | "load_balanced";
  rollingWindowHours: number;
  maxAttempts: number;
  stickyTtlSeconds: number | null;
  enabled: boolean;
  members: SnapshotMember[];
  /** Null or absent: every failed outcome fails over. */
  failoverOn?: FailoverOutcome[] | null;
  timeLimitSec?: number | null;
  context?: ContextEntry[] | null;
  /** When every eligible member (or account) is full. Optional: only groups that set one carry it. */
  overflow?: Overflow | null;
}

export interface SnapshotTrunk {
  id: string;
  name: string;
  callerIdOverride: string | null;
  enabled: boolean;
}

export interface SnapshotInboundRule {
  id: string;
  name: string;
  /** Normalised: digits, plus a trailing * for prefixes. */
  pattern: string;
  matchType: "exact" | "prefix";
  priority: number;
  enabled: boolean;
  targetType: "agent" | "group";
  targetId: string;
  fallback: FallbackTarget | null;
  /** Opening hours (snapshot.schedules) and where calls go while closed (schedule-gate.ts). Optional: only rules with a schedule carry them. */
  scheduleId?: string | null;
  closedTarget?: FallbackTarget | null;
  /** The rule applies only to calls carrying this carrier header value. Optional: older snapshots lack it. */
  header?: HeaderCondition | null;
  /** Which calls the rule routes: inbound (absent in older snapshots) or API-originated. */
  callType?: "inbound" | "api";
  timeLimitSec?: number | null;
  context?: ContextEntry[] | null;
  /** When every eligible agent (or account) of the target is full; beats the group's. Optional. */
  overflow?: Overflow | null;
}

export interface SnapshotOutboundRule {
  id: string;
  name: string;
  callerPatterns: string[];
  destinationPrefix: string;
  trunkIds: string[];
  priority: number;
  enabled: boolean;
}
