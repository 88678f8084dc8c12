import { sql } from "drizzle-orm";
import { bigint, boolean, datetime, decimal, double, index, int, json, mysqlEnum, mediumtext, mysqlTable, primaryKey, text, uniqueIndex, varchar } from "drizzle-orm/mysql-core";
import { DEAD_LETTER_STATUSES, DIRECTIONS, ROLES, STRATEGIES } from "../domain/enums";
import { ALERT_STATUSES, ATTEMPT_TRIGGERS, DELIVERY_CHANNELS, DELIVERY_STATUSES } from "../domain/integrations";
import type { ScheduleClosure, ScheduleOverride, WeeklyHours } from "../domain/schedules";
import type { ContextEntry } from "../domain/call-context";
import type { FailoverOutcome } from "../routing/plan-types";
import type { Overflow } from "../domain/overflow";
import { CAMPAIGN_STATUSES, type CallingWindow, type RetryPolicy } from "../campaigns/types";

export { DEAD_LETTER_STATUSES, DIRECTIONS, ROLES, STRATEGIES };

/*
 * Conventions: string ids minted by the application (prefix + random, see lib/ids.ts) so a
 * row's id is known before the insert and never reveals how many rows a tenant has; every
 * row carries tenant_id; datetimes are UTC with millisecond precision. MariaDB 10.11 and
 * MySQL 8 both accept everything here (no serial(), json checked by MariaDB as longtext).
 */

const id = (name = "id") => varchar(name, { length: 32 });
const tenantRef = () =>
  varchar("tenant_id", { length: 32 })
    .notNull()
    .references(() => tenants.id, { onDelete: "cascade" });
const createdAt = () => datetime("created_at", { mode: "date", fsp: 3 }).notNull().default(sql`CURRENT_TIMESTAMP(3)`);
const updatedAt = () => datetime("updated_at", { mode: "date", fsp: 3 }).notNull().default(sql`CURRENT_TIMESTAMP(3)`);
const version = () => int("version").notNull().default(1);

/** A fallback target: another agent or group, a person, or a clean end of the call. */
export type FallbackTarget =
  | { type: "agent"; id: string }
  | { type: "group"; id: string }
  | { type: "hangup" }
  | { type: "reject"; reason?: "rejected" | "busy" | "congestion" | "failed" }
  | { type: "announcement"; text: string; voice?: string; language?: string }
  /** Escalation to a person: a phone number (through a trunk, or Cloudonix's choice) or a SIP URI. */
  | { type: "number"; number: string; trunkId?: string | null }
  | { type: "sip"; uri: string };

export const tenants = mysqlTable(
  "tenants",
  {
    id: id().primaryKey(),
    name: varchar("name", { length: 200 }).notNull(),
    timezone: varchar("timezone", { length: 64 }).notNull().default("UTC"),
    cloudonixDomain: varchar("cloudonix_domain", { length: 253 }),
    cloudonixApiKeyEnc: text("cloudonix_api_key_enc"),
    requestKeyHash: varchar("request_key_hash", { length: 128 }),
    requestKeyHint: varchar("request_key_hint", { length: 16 }),
    requestKeyRotatedAt: datetime("request_key_rotated_at", { mode: "date", fsp: 3 }),
    /** The key before the last rotation stays valid until this time, so Cloudonix can catch up. */
    previousRequestKeyHash: varchar("previous_request_key_hash", { length: 128 }),
    previousRequestKeyExpiresAt: datetime("previous_request_key_expires_at", { mode: "date", fsp: 3 }),
    /**
     * The capability token in the tenant's callback URLs (session updates, CDRs): AES-GCM so
     * Settings can show the URLs again, plus its SHA-256 for the routing snapshot to check.
     */
    /** The Cloudonix domain's UUID: some CDRs name their domain only by it (owner.domain.uuid). */
    cloudonixDomainUuid: varchar("cloudonix_domain_uuid", { length: 36 }),
    /**
     * A carrier SIP header (from the call's trunk-sip-headers) whose value, when present, is the
     * number inbound rules match instead of To: e.g. A2B-DNID, the number originally dialled.
     */
    routingNumberHeader: varchar("routing_number_header", { length: 64 }),
    callbackTokenEnc: text("callback_token_enc"),
    callbackTokenHash: varchar("callback_token_hash", { length: 128 }),
    callbackTokenRotatedAt: datetime("callback_token_rotated_at", { mode: "date", fsp: 3 }),
    previousCallbackTokenHash: varchar("previous_callback_token_hash", { length: 128 }),
    previousCallbackTokenExpiresAt: datetime("previous_callback_token_expires_at", { mode: "date", fsp: 3 }),
    defaultFallback: json("default_fallback").$type<FallbackTarget | null>(),
    outboundCallerPatterns: json("outbound_caller_patterns").$type<string[]>().notNull().default([]),
    /** An inbound call no rule matches, without a default fallback: hung up, or rejected (not billed). */
    unmatchedAction: mysqlEnum("unmatched_action", ["hangup", "reject"]).notNull().default("hangup"),
    retentionDays: int("retention_days").notNull().default(90),
    configVersion: bigint("config_version", { mode: "number", unsigned: true }).notNull().default(1),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("tenants_cloudonix_domain_uq").on(t.cloudonixDomain), uniqueIndex("tenants_cloudonix_domain_uuid_uq").on(t.cloudonixDomainUuid)],
);

export const users = mysqlTable(
  "users",
  {
    id: id().primaryKey(),
    tenantId: tenantRef(),
    email: varchar("email", { length: 320 }).notNull(),
    name: varchar("name", { length: 200 }).notNull().default(""),
    passwordHash: varchar("password_hash", { length: 255 }).notNull(),
    role: mysqlEnum("role", ROLES).notNull().default("user"),
    disabled: boolean("disabled").notNull().default(false),
    lastLoginAt: datetime("last_login_at", { mode: "date", fsp: 3 }),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("users_email_uq").on(t.email), index("users_tenant_idx").on(t.tenantId)],
);

/** One row per issued access token, so logout (or disabling a user) revokes it at once. */
export const authSessions = mysqlTable(
  "auth_sessions",
  {
    id: varchar("id", { length: 64 }).primaryKey(),
    userId: varchar("user_id", { length: 32 })
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tenantId: tenantRef(),
    createdAt: createdAt(),
    expiresAt: datetime("expires_at", { mode: "date", fsp: 3 }).notNull(),
    revokedAt: datetime("revoked_at", { mode: "date", fsp: 3 }),
    ip: varchar("ip", { length: 64 }),
    userAgent: varchar("user_agent", { length: 300 }),
  },
  (t) => [index("auth_sessions_user_idx").on(t.userId), index("auth_sessions_expires_idx").on(t.expiresAt)],
);

export const voiceAgents = mysqlTable(
  "voice_agents",
  {
    id: id().primaryKey(),
    tenantId: tenantRef(),
    name: varchar("name", { length: 200 }).notNull(),
    provider: varchar("provider", { length: 40 }).notNull(),
    serviceValue: varchar("service_value", { length: 512 }).notNull(),
    username: varchar("username", { length: 255 }),
    passwordEnc: text("password_enc"),
    enabled: boolean("enabled").notNull().default(true),
    maxConcurrentCalls: int("max_concurrent_calls"),
    weight: int("weight").notNull().default(1),
    tags: json("tags").$type<string[]>().notNull().default([]),
    /** Phone-number agents: the trunk they are dialled through (null: Cloudonix chooses). */
    trunkId: varchar("trunk_id", { length: 32 }),
    /** Headers (stream parameters) sent to the agent; see domain/call-context.ts. */
    context: json("context").$type<ContextEntry[] | null>(),
    /** The provider account (provider_accounts.id, same tenant) whose concurrent-call cap this agent's calls count against. */
    providerAccountId: varchar("provider_account_id", { length: 32 }),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("voice_agents_tenant_name_uq").on(t.tenantId, t.name),
    index("voice_agents_tenant_provider_idx").on(t.tenantId, t.provider),
    index("voice_agents_tenant_created_idx").on(t.tenantId, t.createdAt),
    index("voice_agents_tenant_account_idx").on(t.tenantId, t.providerAccountId),
  ],
);

/**
 * An account at an AI voice provider ("Vapi production"): providers cap concurrent calls per
 * account, not per agent, so every call to any of its agents, from any group, rule or campaign,
 * counts against `max_concurrent_calls` (the ProviderAccount Durable Object keeps the count).
 */
export const providerAccounts = mysqlTable(
  "provider_accounts",
  {
    id: id().primaryKey(),
    tenantId: tenantRef(),
    name: varchar("name", { length: 200 }).notNull(),
    description: varchar("description", { length: 1000 }).notNull().default(""),
    maxConcurrentCalls: int("max_concurrent_calls").notNull(),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("provider_accounts_tenant_name_uq").on(t.tenantId, t.name)],
);

export const agentGroups = mysqlTable(
  "agent_groups",
  {
    id: id().primaryKey(),
    tenantId: tenantRef(),
    name: varchar("name", { length: 200 }).notNull(),
    description: varchar("description", { length: 1000 }).notNull().default(""),
    strategy: mysqlEnum("strategy", STRATEGIES).notNull().default("round_robin"),
    rollingWindowHours: int("rolling_window_hours").notNull().default(24),
    maxAttempts: int("max_attempts").notNull().default(3),
    stickyTtlSeconds: int("sticky_ttl_seconds"),
    enabled: boolean("enabled").notNull().default(true),
    /** Dial outcomes that try the next agent; null = all of them. */
    failoverOn: json("failover_on").$type<FailoverOutcome[] | null>(),
    timeLimitSec: int("time_limit_sec"),
    context: json("context").$type<ContextEntry[] | null>(),
    /** When every eligible agent (or account) is full; null = the plan's next stage. */
    overflow: json("overflow").$type<Overflow | null>(),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("agent_groups_tenant_name_uq").on(t.tenantId, t.name)],
);

export const agentGroupMembers = mysqlTable(
  "agent_group_members",
  {
    groupId: varchar("group_id", { length: 32 })
      .notNull()
      .references(() => agentGroups.id, { onDelete: "cascade" }),
    agentId: varchar("agent_id", { length: 32 })
      .notNull()
      .references(() => voiceAgents.id, { onDelete: "cascade" }),
    tenantId: tenantRef(),
    position: int("position").notNull(),
    priority: int("priority").notNull().default(0),
    weight: int("weight"),
    maxConcurrentCalls: int("max_concurrent_calls"),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.agentId] }), index("agent_group_members_agent_idx").on(t.agentId), index("agent_group_members_tenant_idx").on(t.tenantId)],
);

export const inboundRoutingRules = mysqlTable(
  "inbound_routing_rules",
  {
    id: id().primaryKey(),
    tenantId: tenantRef(),
    name: varchar("name", { length: 200 }).notNull().default(""),
    /** Normalised: digits only, with a trailing * for prefixes ("1555*"). */
    pattern: varchar("pattern", { length: 40 }).notNull(),
    matchType: mysqlEnum("match_type", ["exact", "prefix"]).notNull(),
    priority: int("priority").notNull().default(100),
    enabled: boolean("enabled").notNull().default(true),
    targetType: mysqlEnum("target_type", ["agent", "group"]).notNull(),
    targetId: varchar("target_id", { length: 32 }).notNull(),
    fallback: json("fallback").$type<FallbackTarget | null>(),
    /** Optional opening hours (schedules.id, same tenant); while closed the call goes to closed_target. */
    scheduleId: varchar("schedule_id", { length: 32 }),
    /** inbound: calls to the tenant's numbers; api: calls started through Cloudonix's API (Direction=outbound-api). */
    callType: mysqlEnum("call_type", ["inbound", "api"]).notNull().default("inbound"),
    timeLimitSec: int("time_limit_sec"),
    context: json("context").$type<ContextEntry[] | null>(),
    /** Where calls go while the schedule is closed; null = the rule's fallback, else the tenant's unmatched handling. */
    closedTarget: json("closed_target").$type<FallbackTarget | null>(),
    /** When every eligible agent (or account) of the target is full; null = the group's, else the next stage. */
    overflow: json("overflow").$type<Overflow | null>(),
    /** Optional condition: the call's carrier header `headerName` must equal `headerValue`. */
    headerName: varchar("header_name", { length: 64 }),
    headerValue: varchar("header_value", { length: 256 }),
    /** "" without a header condition, else "name\nvalue" (name lower-cased): one rule per pattern and condition. */
    conditionKey: varchar("condition_key", { length: 330 }).notNull().default(""),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("inbound_rules_tenant_pattern_uq").on(t.tenantId, t.callType, t.pattern, t.conditionKey), index("inbound_rules_tenant_target_idx").on(t.tenantId, t.targetId), index("inbound_rules_tenant_schedule_idx").on(t.tenantId, t.scheduleId)],
);

/** Named opening hours in one IANA time zone (see domain/schedules.ts); rules refer to them by id. */
export const schedules = mysqlTable(
  "schedules",
  {
    id: id().primaryKey(),
    tenantId: tenantRef(),
    name: varchar("name", { length: 120 }).notNull(),
    timezone: varchar("timezone", { length: 64 }).notNull(),
    weekly: json("weekly").$type<WeeklyHours>().notNull(),
    closures: json("closures").$type<ScheduleClosure[]>().notNull().default([]),
    overrides: json("overrides").$type<ScheduleOverride[]>().notNull().default([]),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("schedules_tenant_name_uq").on(t.tenantId, t.name)],
);

export const trunks = mysqlTable(
  "trunks",
  {
    id: id().primaryKey(),
    tenantId: tenantRef(),
    /** The trunk's name in Cloudonix, emitted as <Dial trunks="…">. */
    name: varchar("name", { length: 120 }).notNull(),
    description: varchar("description", { length: 1000 }).notNull().default(""),
    callerIdOverride: varchar("caller_id_override", { length: 32 }),
    enabled: boolean("enabled").notNull().default(true),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("trunks_tenant_name_uq").on(t.tenantId, t.name)],
);

export const outboundRoutingRules = mysqlTable(
  "outbound_routing_rules",
  {
    id: id().primaryKey(),
    tenantId: tenantRef(),
    name: varchar("name", { length: 200 }).notNull().default(""),
    /** Caller-ID patterns this rule accepts (exact or prefix*); empty = any caller. */
    callerPatterns: json("caller_patterns").$type<string[]>().notNull().default([]),
    /** Digits only; "" matches every destination. */
    destinationPrefix: varchar("destination_prefix", { length: 32 }).notNull().default(""),
    /** Ordered: the first is dialled first, the rest are failover. */
    trunkIds: json("trunk_ids").$type<string[]>().notNull(),
    priority: int("priority").notNull().default(100),
    enabled: boolean("enabled").notNull().default(true),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("outbound_rules_tenant_prefix_idx").on(t.tenantId, t.destinationPrefix)],
);

export const callRecords = mysqlTable(
  "call_records",
  {
    id: id().primaryKey(),
    tenantId: tenantRef(),
    /** Cloudonix Session token, else CallSid. */
    callId: varchar("call_id", { length: 128 }).notNull(),
    direction: mysqlEnum("direction", DIRECTIONS).notNull(),
    fromNumber: varchar("from_number", { length: 64 }).notNull().default(""),
    toNumber: varchar("to_number", { length: 64 }).notNull().default(""),
    /**
     * The normalised numbers (domain/numbers.ts) reversed: "ends with 0100" is then a prefix
     * search on an index ("0010%"). Written once, with the record; the numbers never change.
     */
    fromNumberRev: varchar("from_number_rev", { length: 64 }).notNull().default(""),
    toNumberRev: varchar("to_number_rev", { length: 64 }).notNull().default(""),
    callerName: varchar("caller_name", { length: 200 }),
    status: varchar("status", { length: 20 }).notNull(),
    disposition: varchar("disposition", { length: 20 }),
    endReason: varchar("end_reason", { length: 64 }),
    ruleId: varchar("rule_id", { length: 32 }),
    groupId: varchar("group_id", { length: 32 }),
    agentId: varchar("agent_id", { length: 32 }),
    trunkId: varchar("trunk_id", { length: 32 }),
    attemptCount: int("attempt_count").notNull().default(0),
    attempts: json("attempts").$type<unknown[]>().notNull().default([]),
    decision: json("decision").$type<unknown>(),
    startedAt: datetime("started_at", { mode: "date", fsp: 3 }).notNull(),
    answeredAt: datetime("answered_at", { mode: "date", fsp: 3 }),
    endedAt: datetime("ended_at", { mode: "date", fsp: 3 }),
    durationSec: int("duration_sec"),
    billableSec: int("billable_sec"),
    /** Cloudonix's numeric session id (SessionData.id): session updates may name a call only by it. */
    cxSessionId: bigint("cx_session_id", { mode: "number", unsigned: true }),
    /** From the CDR: call quality (session.profile.qos), cost, answering-machine result, recording, route. */
    mosRx: double("mos_rx"),
    mosTx: double("mos_tx"),
    jitterMs: double("jitter_ms"),
    packetLossPct: double("packet_loss_pct"),
    ratedCost: decimal("rated_cost", { precision: 14, scale: 6, mode: "number" }),
    sellCost: decimal("sell_cost", { precision: 14, scale: 6, mode: "number" }),
    amdResult: varchar("amd_result", { length: 40 }),
    recordingUrl: varchar("recording_url", { length: 1024 }),
    cxTrunkId: varchar("cx_trunk_id", { length: 64 }),
    cxRoute: varchar("cx_route", { length: 200 }),
    /** The carrier's SIP headers of the call (trunk-sip-headers), bounded. */
    carrierHeaders: json("carrier_headers").$type<Record<string, string>>(),
    /** Figures Cloudonix reported that we did not believe (kept as reported, not used), with why. */
    flags: json("flags").$type<unknown[]>(),
    /** A waiting room's part in the call: place in line on joining, seconds waited, how it ended. */
    waitPosition: int("wait_position"),
    waitSec: int("wait_sec"),
    waitOutcome: varchar("wait_outcome", { length: 16 }),
    /** Highest event sequence applied; older events never overwrite newer state. */
    lastSeq: int("last_seq").notNull().default(0),
    /**
     * What this call currently contributes to call_rollups (analytics/rollup-math.ts), null
     * while it is not counted. A change of the record moves the rollups by the difference, so
     * redelivered, out-of-order or late (CDR) events never count a call twice.
     */
    rollupSig: text("rollup_sig"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("call_records_tenant_call_uq").on(t.tenantId, t.callId),
    index("call_records_tenant_started_idx").on(t.tenantId, t.startedAt, t.id),
    index("call_records_tenant_status_idx").on(t.tenantId, t.status, t.startedAt),
    index("call_records_tenant_agent_idx").on(t.tenantId, t.agentId, t.startedAt),
    index("call_records_tenant_group_idx").on(t.tenantId, t.groupId, t.startedAt),
    index("call_records_tenant_rule_idx").on(t.tenantId, t.ruleId, t.startedAt),
    // Caller / callee prefix search.
    index("call_records_tenant_from_idx").on(t.tenantId, t.fromNumber, t.startedAt),
    index("call_records_tenant_to_idx").on(t.tenantId, t.toNumber, t.startedAt),
    // Caller / callee suffix search, on the reversed normalised numbers.
    index("call_records_tenant_from_rev_idx").on(t.tenantId, t.fromNumberRev, t.startedAt),
    index("call_records_tenant_to_rev_idx").on(t.tenantId, t.toNumberRev, t.startedAt),
    index("call_records_tenant_cx_session_idx").on(t.tenantId, t.cxSessionId),
    // The exact median (the rows of one duration bin, whatever the summary's filters) and the
    // list sorted by duration, both from the index alone: (duration, id) is the list's order;
    // the later columns are filtered inside the index.
    index("call_records_tenant_duration_idx").on(t.tenantId, t.durationSec, t.id, t.startedAt, t.answeredAt, t.direction, t.groupId, t.agentId),
  ],
);

const rollupMeasures = () => ({
  calls: int("calls").notNull().default(0),
  answered: int("answered").notNull().default(0),
  failed: int("failed").notNull().default(0),
  timedOut: int("timed_out").notNull().default(0),
  abandoned: int("abandoned").notNull().default(0),
  durationSum: bigint("duration_sum", { mode: "number" }).notNull().default(0),
  durationCount: int("duration_count").notNull().default(0),
});

/** Attempts, and the duration histogram (analytics/duration-bins.ts): what the 15-minute and daily rollups add. */
const attemptMeasures = () => ({
  attempts: int("attempts").notNull().default(0),
  firstAttempts: int("first_attempts").notNull().default(0),
  attemptsAnswered: int("attempts_answered").notNull().default(0),
  attemptsFailed: int("attempts_failed").notNull().default(0),
  h0: int("h0").notNull().default(0),
  h1: int("h1").notNull().default(0),
  h2: int("h2").notNull().default(0),
  h3: int("h3").notNull().default(0),
  h4: int("h4").notNull().default(0),
  h5: int("h5").notNull().default(0),
  h6: int("h6").notNull().default(0),
  h7: int("h7").notNull().default(0),
  h8: int("h8").notNull().default(0),
  h9: int("h9").notNull().default(0),
  h10: int("h10").notNull().default(0),
  h11: int("h11").notNull().default(0),
  h12: int("h12").notNull().default(0),
  h13: int("h13").notNull().default(0),
  h14: int("h14").notNull().default(0),
  h15: int("h15").notNull().default(0),
  h16: int("h16").notNull().default(0),
  h17: int("h17").notNull().default(0),
  h18: int("h18").notNull().default(0),
  h19: int("h19").notNull().default(0),
});

/**
 * Per tenant, 15-minute UTC slot (every time zone's hours and days are made of whole slots),
 * direction, group and agent: what the analytics summary sums instead of scanning records.
 * Call measures count each ended call once under its final group/agent; attempt measures count
 * each dial under the group/agent dialled. h0…h19 count answered calls by duration bin
 * (analytics/duration-bins.ts), from which the median is found exactly. '' = none.
 */
export const callRollups = mysqlTable(
  "call_rollups",
  {
    tenantId: tenantRef(),
    slotStart: datetime("slot_start", { mode: "date" }).notNull(),
    direction: mysqlEnum("direction", DIRECTIONS).notNull(),
    groupId: varchar("group_id", { length: 32 }).notNull().default(""),
    agentId: varchar("agent_id", { length: 32 }).notNull().default(""),
    ...rollupMeasures(),
    ...attemptMeasures(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.slotStart, t.direction, t.groupId, t.agentId] }),
    // A summary filtered to one group or agent reads only its rows.
    index("call_rollups_group_idx").on(t.tenantId, t.groupId, t.slotStart),
    index("call_rollups_agent_idx").on(t.tenantId, t.agentId, t.slotStart),
  ],
);

/**
 * call_rollups summed per UTC day: a month's per-agent and per-group figures read ~30 rows
 * per agent instead of ~2,900. Whole UTC days of a range come from here, the rest from
 * call_rollups (analytics/slots.ts splitDays).
 */
export const callRollupsDaily = mysqlTable(
  "call_rollups_daily",
  {
    tenantId: tenantRef(),
    dayStart: datetime("day_start", { mode: "date" }).notNull(),
    direction: mysqlEnum("direction", DIRECTIONS).notNull(),
    groupId: varchar("group_id", { length: 32 }).notNull().default(""),
    agentId: varchar("agent_id", { length: 32 }).notNull().default(""),
    ...rollupMeasures(),
    ...attemptMeasures(),
  },
  // Named: the generated name would pass MySQL's 64-character limit.
  (t) => [primaryKey({ name: "call_rollups_daily_pk", columns: [t.tenantId, t.dayStart, t.direction, t.groupId, t.agentId] })],
);

/** Call measures per 15-minute slot and direction only: the narrow table the summary's series reads. */
export const callRollupSeries = mysqlTable(
  "call_rollup_series",
  {
    tenantId: tenantRef(),
    slotStart: datetime("slot_start", { mode: "date" }).notNull(),
    direction: mysqlEnum("direction", DIRECTIONS).notNull(),
    ...rollupMeasures(),
  },
  (t) => [primaryKey({ name: "call_rollup_series_pk", columns: [t.tenantId, t.slotStart, t.direction] })],
);

export const callEvents = mysqlTable(
  "call_events",
  {
    id: bigint("id", { mode: "number", unsigned: true }).autoincrement().primaryKey(),
    tenantId: tenantRef(),
    callId: varchar("call_id", { length: 128 }).notNull(),
    seq: int("seq").notNull(),
    type: varchar("type", { length: 40 }).notNull(),
    at: datetime("at", { mode: "date", fsp: 3 }).notNull(),
    data: json("data").$type<Record<string, unknown>>().notNull(),
  },
  (t) => [uniqueIndex("call_events_tenant_call_seq_uq").on(t.tenantId, t.callId, t.seq)],
);

export const webhookEvents = mysqlTable(
  "webhook_events",
  {
    id: bigint("id", { mode: "number", unsigned: true }).autoincrement().primaryKey(),
    /** Minted by the Worker per delivery, so a redelivered queue message is stored once. */
    deliveryId: varchar("delivery_id", { length: 64 }).notNull(),
    tenantId: varchar("tenant_id", { length: 32 }),
    kind: varchar("kind", { length: 32 }).notNull(),
    callId: varchar("call_id", { length: 128 }),
    method: varchar("method", { length: 8 }).notNull(),
    statusCode: int("status_code").notNull(),
    outcome: varchar("outcome", { length: 40 }).notNull(),
    error: varchar("error", { length: 500 }),
    durationMs: int("duration_ms").notNull().default(0),
    receivedAt: datetime("received_at", { mode: "date", fsp: 3 }).notNull(),
    /** The query string and body as received (text, never re-parsed), secrets redacted, capped. */
    requestQuery: text("request_query"),
    requestBody: mediumtext("request_body"),
    /** The request was longer than what is stored. */
    requestTruncated: boolean("request_truncated").notNull().default(false),
    /** What we answered (CXML or JSON), capped. */
    responseBody: text("response_body"),
  },
  (t) => [
    uniqueIndex("webhook_events_delivery_uq").on(t.deliveryId),
    index("webhook_events_tenant_received_idx").on(t.tenantId, t.receivedAt),
    index("webhook_events_call_idx").on(t.callId),
    index("webhook_events_tenant_kind_idx").on(t.tenantId, t.kind, t.receivedAt),
  ],
);

export const auditLog = mysqlTable(
  "audit_log",
  {
    id: bigint("id", { mode: "number", unsigned: true }).autoincrement().primaryKey(),
    tenantId: tenantRef(),
    actorUserId: varchar("actor_user_id", { length: 32 }),
    actorEmail: varchar("actor_email", { length: 320 }),
    /** Set instead of the user when an API key made the change (api_keys.id and its name then; no foreign key: the entry outlives the key). */
    actorApiKeyId: varchar("actor_api_key_id", { length: 32 }),
    actorApiKeyName: varchar("actor_api_key_name", { length: 100 }),
    action: varchar("action", { length: 64 }).notNull(),
    entityType: varchar("entity_type", { length: 40 }).notNull(),
    entityId: varchar("entity_id", { length: 64 }),
    before: json("before").$type<unknown>(),
    after: json("after").$type<unknown>(),
    ip: varchar("ip", { length: 64 }),
    at: datetime("at", { mode: "date", fsp: 3 }).notNull().default(sql`CURRENT_TIMESTAMP(3)`),
  },
  (t) => [index("audit_log_tenant_at_idx").on(t.tenantId, t.at), index("audit_log_tenant_entity_idx").on(t.tenantId, t.entityType, t.entityId)],
);

/**
 * Tenant API keys for automation. Only the SHA-256 of the key is kept (the key is shown once);
 * `key_hint` is its last 4 characters. Revoked keys stay listed until deleted, so the audit
 * log's key ids still name something. `last_used_at` is written at most once a minute per key.
 */
export const apiKeys = mysqlTable(
  "api_keys",
  {
    id: id().primaryKey(),
    tenantId: tenantRef(),
    name: varchar("name", { length: 100 }).notNull(),
    role: mysqlEnum("role", ROLES).notNull(),
    keyHash: varchar("key_hash", { length: 64 }).notNull(),
    keyHint: varchar("key_hint", { length: 16 }).notNull(),
    /** Who created it: a user (id and email) or another key (id and name); no foreign keys, the row outlives both. */
    createdByUserId: varchar("created_by_user_id", { length: 32 }),
    createdByApiKeyId: varchar("created_by_api_key_id", { length: 32 }),
    createdByName: varchar("created_by_name", { length: 320 }),
    expiresAt: datetime("expires_at", { mode: "date", fsp: 3 }),
    lastUsedAt: datetime("last_used_at", { mode: "date", fsp: 3 }),
    revokedAt: datetime("revoked_at", { mode: "date", fsp: 3 }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("api_keys_key_hash_uq").on(t.keyHash), index("api_keys_tenant_created_idx").on(t.tenantId, t.createdAt)],
);

export const exportsTable = mysqlTable(
  "exports",
  {
    id: id().primaryKey(),
    tenantId: tenantRef(),
    requestedBy: varchar("requested_by", { length: 32 }),
    format: mysqlEnum("format", ["csv", "json"]).notNull(),
    filters: json("filters").$type<Record<string, unknown>>().notNull(),
    fields: json("fields").$type<string[]>().notNull(),
    status: mysqlEnum("status", ["queued", "running", "done", "failed", "expired"]).notNull().default("queued"),
    rowCount: int("row_count").notNull().default(0),
    totalRows: int("total_rows"),
    objectKey: varchar("object_key", { length: 200 }),
    sizeBytes: bigint("size_bytes", { mode: "number", unsigned: true }),
    error: varchar("error", { length: 500 }),
    createdAt: createdAt(),
    completedAt: datetime("completed_at", { mode: "date", fsp: 3 }),
    expiresAt: datetime("expires_at", { mode: "date", fsp: 3 }),
    /** Resumable progress of a running job: the R2 multipart upload, its parts and the keyset position after them. */
    uploadId: varchar("upload_id", { length: 1024 }),
    parts: json("parts").$type<{ partNumber: number; etag: string }[]>().notNull().default([]),
    cursor: text("cursor"),
    attempts: int("attempts").notNull().default(0),
    updatedAt: updatedAt(),
  },
  (t) => [index("exports_tenant_created_idx").on(t.tenantId, t.createdAt), index("exports_status_expires_idx").on(t.status, t.expiresAt)],
);

/** Queue messages that exhausted their retries: parked, never dropped. */

/**
 * Messages the queues could not store. The body is kept as raw text (whatever it was, cut at a
 * cap with `body_truncated`), so a message can always be parked, however hostile.
 */
export const deadLetters = mysqlTable(
  "dead_letters",
  {
    id: bigint("id", { mode: "number", unsigned: true }).autoincrement().primaryKey(),
    queue: varchar("queue", { length: 64 }).notNull(),
    messageId: varchar("message_id", { length: 128 }).notNull(),
    /** Read from the body when it names them; null for a body that names no tenant. */
    tenantId: varchar("tenant_id", { length: 32 }),
    kind: varchar("kind", { length: 32 }),
    callId: varchar("call_id", { length: 128 }),
    body: mediumtext("body").notNull(),
    bodyTruncated: boolean("body_truncated").notNull().default(false),
    error: varchar("error", { length: 1000 }),
    attempts: int("attempts").notNull().default(0),
    status: mysqlEnum("status", DEAD_LETTER_STATUSES).notNull().default("parked"),
    receivedAt: datetime("received_at", { mode: "date", fsp: 3 }).notNull().default(sql`CURRENT_TIMESTAMP(3)`),
    replayedAt: datetime("replayed_at", { mode: "date", fsp: 3 }),
    resolvedAt: datetime("resolved_at", { mode: "date", fsp: 3 }),
    resolvedBy: varchar("resolved_by", { length: 320 }),
  },
  (t) => [uniqueIndex("dead_letters_message_uq").on(t.queue, t.messageId), index("dead_letters_tenant_status_idx").on(t.tenantId, t.status, t.receivedAt)],
);

/** Where a batched background job (the retention cron) stopped, so the next run goes on from there. */
export const jobCursors = mysqlTable("job_cursors", {
  name: varchar("name", { length: 64 }).primaryKey(),
  cursor: varchar("cursor", { length: 255 }).notNull(),
  updatedAt: updatedAt(),
});

// --- event webhooks and alerts (workers/integrations/) -----------------------------------------

/**
 * A tenant's outgoing event webhook: an HTTPS endpoint and the event types it takes. The signing
 * secret is AES-GCM (we sign with it, so it must be readable); during a rotation's grace period
 * the previous one signs too.
 */
export const eventWebhooks = mysqlTable(
  "event_webhooks",
  {
    id: id().primaryKey(),
    tenantId: tenantRef(),
    url: varchar("url", { length: 2048 }).notNull(),
    description: varchar("description", { length: 500 }).notNull().default(""),
    enabled: boolean("enabled").notNull().default(true),
    eventTypes: json("event_types").$type<string[]>().notNull(),
    secretEnc: text("secret_enc").notNull(),
    /** The secret's last 4 characters, to tell secrets apart. */
    secretHint: varchar("secret_hint", { length: 16 }).notNull(),
    secretRotatedAt: datetime("secret_rotated_at", { mode: "date", fsp: 3 }),
    previousSecretEnc: text("previous_secret_enc"),
    previousSecretExpiresAt: datetime("previous_secret_expires_at", { mode: "date", fsp: 3 }),
    /** Set when the router disabled the endpoint because it kept failing (null when a person did). */
    disabledReason: varchar("disabled_reason", { length: 500 }),
    disabledAt: datetime("disabled_at", { mode: "date", fsp: 3 }),
    /** The first failed attempt since the last success; null while deliveries succeed. */
    failingSince: datetime("failing_since", { mode: "date", fsp: 3 }),
    lastSuccessAt: datetime("last_success_at", { mode: "date", fsp: 3 }),
    lastFailureAt: datetime("last_failure_at", { mode: "date", fsp: 3 }),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("event_webhooks_tenant_created_idx").on(t.tenantId, t.createdAt)],
);

/**
 * One event to one destination. The id is the idempotency id the receiver sees, the same on
 * every retry and Resend; it is derived from the destination and the event, so a redelivered
 * queue batch fans out to the same rows. The payload is the exact body, signed afresh per attempt.
 */
export const eventDeliveries = mysqlTable(
  "event_deliveries",
  {
    id: varchar("id", { length: 40 }).primaryKey(),
    tenantId: tenantRef(),
    channel: mysqlEnum("channel", DELIVERY_CHANNELS).notNull().default("webhook"),
    endpointId: varchar("endpoint_id", { length: 32 }).references(() => eventWebhooks.id, { onDelete: "cascade" }),
    /** A Slack delivery's alert rule (its URL is the rule's). */
    alertRuleId: varchar("alert_rule_id", { length: 32 }).references(() => alertRules.id, { onDelete: "cascade" }),
    eventId: varchar("event_id", { length: 40 }).notNull(),
    eventType: varchar("event_type", { length: 40 }).notNull(),
    /** A call's events carry its id and per-call sequence: deliveries to one endpoint go in that order. */
    callId: varchar("call_id", { length: 128 }),
    seq: int("seq"),
    payload: mediumtext("payload").notNull(),
    status: mysqlEnum("status", DELIVERY_STATUSES).notNull().default("pending"),
    attempts: int("attempts").notNull().default(0),
    firstAttemptAt: datetime("first_attempt_at", { mode: "date", fsp: 3 }),
    lastAttemptAt: datetime("last_attempt_at", { mode: "date", fsp: 3 }),
    /** When the next automatic attempt is due (the queue message's delay); null when none is. */
    nextAttemptAt: datetime("next_attempt_at", { mode: "date", fsp: 3 }),
    /** A consumer sending it holds it until then, so a duplicate queue message does not send it twice at once. */
    leaseUntil: datetime("lease_until", { mode: "date", fsp: 3 }),
    lastStatusCode: int("last_status_code"),
    lastError: varchar("last_error", { length: 300 }),
    deliveredAt: datetime("delivered_at", { mode: "date", fsp: 3 }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("event_deliveries_tenant_created_idx").on(t.tenantId, t.createdAt),
    index("event_deliveries_endpoint_created_idx").on(t.endpointId, t.createdAt),
    // The next delivery of a call to an endpoint (per-call order).
    index("event_deliveries_chain_idx").on(t.endpointId, t.callId, t.seq),
    // The minute sweep: overdue and held deliveries.
    index("event_deliveries_status_due_idx").on(t.status, t.nextAttemptAt),
    // Retention (30 days, every tenant).
    index("event_deliveries_created_idx").on(t.createdAt),
  ],
);

/** Every attempt of a delivery: what the receiver answered (an excerpt of at most 2 KiB) and how long it took. */
export const eventDeliveryAttempts = mysqlTable(
  "event_delivery_attempts",
  {
    id: bigint("id", { mode: "number", unsigned: true }).autoincrement().primaryKey(),
    deliveryId: varchar("delivery_id", { length: 40 })
      .notNull()
      .references(() => eventDeliveries.id, { onDelete: "cascade" }),
    tenantId: tenantRef(),
    n: int("n").notNull(),
    trigger: mysqlEnum("triggered_by", ATTEMPT_TRIGGERS).notNull().default("auto"),
    at: datetime("at", { mode: "date", fsp: 3 }).notNull(),
    ok: boolean("ok").notNull(),
    statusCode: int("status_code"),
    latencyMs: int("latency_ms").notNull(),
    error: varchar("error", { length: 300 }),
    responseExcerpt: text("response_excerpt"),
  },
  (t) => [index("event_delivery_attempts_delivery_idx").on(t.deliveryId, t.id)],
);

/**
 * What a tenant wants to be alerted about (kind + its params, checked by the API's schema) and
 * where: the tenant's event webhooks taking alert.* events, and/or a Slack-compatible URL (AES-GCM,
 * write-only: it is a credential).
 */
export const alertRules = mysqlTable(
  "alert_rules",
  {
    id: id().primaryKey(),
    tenantId: tenantRef(),
    name: varchar("name", { length: 120 }).notNull(),
    kind: varchar("kind", { length: 32 }).notNull(),
    params: json("params").$type<Record<string, unknown>>().notNull(),
    enabled: boolean("enabled").notNull().default(true),
    cooldownMinutes: int("cooldown_minutes").notNull().default(60),
    notifyWebhooks: boolean("notify_webhooks").notNull().default(true),
    slackUrlEnc: text("slack_url_enc"),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("alert_rules_tenant_kind_idx").on(t.tenantId, t.kind)],
);

/**
 * An alert: opened once per rule and subject (agent, group, endpoint, the tenant), notified again
 * at most every cooldown while it stays true, then resolved. `open_key` is set only while it is
 * open, so the unique index allows one open alert per rule and subject and any number of old ones.
 */
export const alerts = mysqlTable(
  "alerts",
  {
    id: id().primaryKey(),
    tenantId: tenantRef(),
    /** null for the router's own alerts (an endpoint it disabled, when no rule asked for it). */
    ruleId: varchar("rule_id", { length: 32 }),
    kind: varchar("kind", { length: 32 }).notNull(),
    subjectType: varchar("subject_type", { length: 16 }).notNull(),
    subjectId: varchar("subject_id", { length: 64 }).notNull(),
    subjectName: varchar("subject_name", { length: 200 }).notNull().default(""),
    status: mysqlEnum("status", ALERT_STATUSES).notNull().default("open"),
    openKey: varchar("open_key", { length: 128 }),
    message: varchar("message", { length: 500 }).notNull(),
    details: json("details").$type<Record<string, unknown>>(),
    openedAt: datetime("opened_at", { mode: "date", fsp: 3 }).notNull(),
    lastNotifiedAt: datetime("last_notified_at", { mode: "date", fsp: 3 }),
    notifications: int("notifications").notNull().default(0),
    resolvedAt: datetime("resolved_at", { mode: "date", fsp: 3 }),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("alerts_open_uq").on(t.tenantId, t.openKey), index("alerts_tenant_status_idx").on(t.tenantId, t.status, t.openedAt), index("alerts_tenant_opened_idx").on(t.tenantId, t.openedAt)],
);

/**
 * An outbound campaign: contacts called through Cloudonix's API (POST /calls/{domain}/application)
 * and, once answered, connected to the campaign's agent or group. Its contacts and their dial
 * state live in the campaign's Durable Object (CampaignRunner); this row is its configuration.
 */
export const campaigns = mysqlTable(
  "campaigns",
  {
    id: id().primaryKey(),
    tenantId: tenantRef(),
    name: varchar("name", { length: 200 }).notNull(),
    status: mysqlEnum("status", CAMPAIGN_STATUSES).notNull().default("draft"),
    targetType: mysqlEnum("target_type", ["agent", "group"]).notNull(),
    targetId: varchar("target_id", { length: 32 }).notNull(),
    /** Presented to the people called (the API's caller-id), E.164. */
    callerId: varchar("caller_id", { length: 32 }).notNull(),
    /** The tenant's trunk to call out through (its name is sent as `trunk`); null = Cloudonix's own route. */
    trunkId: varchar("trunk_id", { length: 32 }),
    /** The calling window's zone for contacts without one of their own. */
    timezone: varchar("timezone", { length: 64 }).notNull(),
    callingWindow: json("calling_window").$type<CallingWindow>().notNull(),
    maxConcurrent: int("max_concurrent").notNull(),
    callsPerMinute: int("calls_per_minute").notNull(),
    /** Seconds a contact's phone rings before the attempt is no answer (the API's timeout). */
    ringTimeoutSec: int("ring_timeout_sec").notNull().default(30),
    retryPolicy: json("retry_policy").$type<RetryPolicy>().notNull(),
    contactCount: int("contact_count").notNull().default(0),
    startedAt: datetime("started_at", { mode: "date", fsp: 3 }),
    finishedAt: datetime("finished_at", { mode: "date", fsp: 3 }),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("campaigns_tenant_name_uq").on(t.tenantId, t.name), index("campaigns_tenant_status_idx").on(t.tenantId, t.status)],
);

/** Numbers (E.164) a tenant's campaigns never dial. */
export const doNotCall = mysqlTable(
  "do_not_call",
  {
    tenantId: tenantRef(),
    number: varchar("number", { length: 20 }).notNull(),
    note: varchar("note", { length: 200 }).notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.number] })],
);
