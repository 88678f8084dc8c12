import type { FallbackTarget } from "../db/schema";
import { buildInboundIndex, buildOutboundIndex, matchInbound, matchOutbound, type InboundIndex, type OutboundIndex, type RuleTrace } from "../domain/matching";
import { headerLookup, headerNumber, type CarrierHeaders, type HeaderLookup } from "../domain/carrier-headers";
import { matchesPattern, normalizeNumber, parsePattern, presentedNumber } from "../domain/numbers";
import { packDetails, packMembers, type PlanAgent } from "./packed-group";
import type { EndAction, GroupStage, OverflowStage, PlanTrunk, RouteStage, StageSettings } from "./plan-types";
import type { Overflow } from "../domain/overflow";
import type { RoutingSnapshot, SnapshotAgent, SnapshotGroup, SnapshotInboundRule, SnapshotOutboundRule } from "./snapshot-types";
import { scheduleGate, type ScheduleTrace } from "./schedule-gate";

/*
 * Turns a call and a tenant snapshot into a route plan: the ordered stages the CallSession will
 * try (the matched target, the rule's fallback, the clean end). Pure, so explain and real calls
 * share it, and only what the call needs travels to the Durable Objects.
 */

export type { EndAction, GroupStage, PersonStage, PlanTrunk, RouteStage, TrunkStage } from "./plan-types";
export type { PlanAgent } from "./packed-group";

export interface DecisionTrace {
  snapshotVersion: number;
  direction: "inbound" | "outbound";
  directionReason: string;
  caller: string;
  called: string;
  /**
   * Only when the tenant has a routing-number header: the number inbound rules were matched
   * against, where it came from, and why (also in the notes). Absent from older traces.
   */
  routingNumber?: { number: string; source: "header" | "to"; header: string; reason: string };
  rulesTried: RuleTrace[];
  rule: { id: string; name: string; pattern: string } | null;
  usedDefaultFallback: boolean;
  notes: string[];
  /** The matched rule's opening hours, when it has a schedule (schedule-gate.ts). Absent from older traces. */
  schedule?: ScheduleTrace;
}

export interface RoutePlan {
  direction: "inbound" | "outbound";
  ruleId: string | null;
  stages: RouteStage[];
  trace: DecisionTrace;
}

/** What routing reads of a call (the webhook's parameters, or Explain's hypothetical call). */
export interface RoutingFacts {
  from: string;
  to: string;
  /** Cloudonix's Direction parameter (inbound, subscriber, outbound-api, …). */
  cloudonixDirection?: string;
  /** The carrier's SIP headers of a trunk-inbound call (bounded, see domain/carrier-headers.ts). */
  headers?: CarrierHeaders | null;
  /** When the call is routed (epoch ms); schedules read it. Default: now. */
  at?: number;
}

interface Compiled {
  inbound: InboundIndex;
  /** Rules for calls started through Cloudonix's API (Direction=outbound-api). */
  api: InboundIndex;
  outbound: OutboundIndex;
  callerPatterns: string[];
  /** Group stages by target ("group:<id>", "agent:<id>"), built on first use. */
  stages: Map<string, CachedStage>;
}

// Indexes are built once per snapshot object, which lives for the isolate's cache lifetime.
const compiled = new WeakMap<RoutingSnapshot, Compiled>();

function compile(snapshot: RoutingSnapshot): Compiled {
  let entry = compiled.get(snapshot);
  if (!entry) {
    entry = {
      inbound: buildInboundIndex(snapshot.inboundRules.filter((r) => (r.callType ?? "inbound") === "inbound")),
      api: buildInboundIndex(snapshot.inboundRules.filter((r) => r.callType === "api")),
      outbound: buildOutboundIndex(snapshot.outboundRules),
      callerPatterns: snapshot.outboundCallerPatterns.flatMap((p) => {
        const parsed = parsePattern(p);
        return parsed.ok ? [parsed.pattern] : [];
      }),
      stages: new Map(),
    };
    compiled.set(snapshot, entry);
  }
  return entry;
}

const OUTBOUND_DIRECTIONS = new Set(["subscriber", "outbound-api", "outbound"]);

export function classifyDirection(snapshot: RoutingSnapshot, facts: RoutingFacts): { direction: "inbound" | "outbound"; reason: string } {
  const cxDirection = facts.cloudonixDirection?.toLowerCase();
  if (cxDirection && OUTBOUND_DIRECTIONS.has(cxDirection)) return { direction: "outbound", reason: `Direction=${cxDirection}` };
  const caller = normalizeNumber(facts.from);
  const pattern = compile(snapshot).callerPatterns.find((p) => matchesPattern(caller, p));
  if (pattern) return { direction: "outbound", reason: `caller matches outbound caller-ID pattern ${pattern}` };
  return { direction: "inbound", reason: cxDirection ? `Direction=${cxDirection}` : "no Direction; caller is not an outbound caller ID" };
}

export function planRoute(snapshot: RoutingSnapshot, facts: RoutingFacts): RoutePlan {
  const { direction, reason } = classifyDirection(snapshot, facts);
  const trace: DecisionTrace = {
    snapshotVersion: snapshot.version,
    direction,
    directionReason: reason,
    caller: normalizeNumber(facts.from),
    called: normalizeNumber(facts.to),
    rulesTried: [],
    rule: null,
    usedDefaultFallback: false,
    notes: [],
  };
  const headers = headerLookup(facts.headers);
  if (facts.cloudonixDirection?.toLowerCase() === "outbound-api") return planApiCall(snapshot, trace, headers, facts.at);
  if (direction === "inbound") return planInbound(snapshot, trace, matchInbound(compile(snapshot).inbound, routingNumber(snapshot, trace, headers), headers), facts.at);
  if (facts.cloudonixDirection?.toLowerCase() === "subscriber") {
    // A registered endpoint dials extensions and the tenant's own numbers as well as the outside
    // world: an internal destination wins, and only an external number goes out to a carrier.
    // What it dialled is its own choice, so no carrier header stands in for it.
    const internal = matchInbound(compile(snapshot).inbound, trace.called, headers);
    if (internal.rule) {
      trace.direction = "inbound";
      trace.directionReason = `Direction=subscriber, and ${trace.called} is an internal destination (inbound rule ${internal.rule.name || internal.rule.pattern})`;
      return planInbound(snapshot, trace, internal, facts.at);
    }
    trace.notes.push(`Direction=subscriber: no inbound rule names ${trace.called || "(empty number)"}, so it is an external number`);
  }
  return planOutbound(snapshot, trace, presentedNumber(facts.from), presentedNumber(facts.to) ?? trace.called);
}

/**
 * A call started through Cloudonix's API has already rung its destination, and the person has
 * answered when Cloudonix asks us: dialling the destination again would ring them twice. It is
 * connected to an agent instead, by the tenant's rules for API-originated calls. Which of From
 * and To holds our number and which the person's is not settled in Cloudonix's documentation,
 * so the rules are matched against To, then From; the trace says which matched.
 */
function planApiCall(snapshot: RoutingSnapshot, trace: DecisionTrace, headers: HeaderLookup, at?: number): RoutePlan {
  trace.direction = "outbound";
  trace.directionReason = "Direction=outbound-api: the called person has answered; connect them to an agent";
  const index = compile(snapshot).api;
  const byTo = matchInbound(index, trace.called, headers);
  const byFrom = byTo.rule ? null : matchInbound(index, trace.caller, headers);
  const match = byFrom?.rule ? byFrom : byTo;
  if (match.rule) trace.notes.push(`API-call rule matched ${byFrom?.rule ? `From ${trace.caller}` : `To ${trace.called}`}`);
  const plan = planInbound(snapshot, trace, { rule: match.rule, tried: [...byTo.tried, ...(byFrom?.tried ?? [])] }, at);
  return { ...plan, direction: "outbound" };
}

/** A campaign's answered call, as its runner names it (campaigns/runner-types.ts CampaignConnect). */
export interface CampaignRouting {
  id: string;
  name: string;
  target: { type: "agent" | "group"; id: string };
  contactId: number;
  /** The contact's variables from the uploaded list: header-safe names, values without braces. */
  variables: Record<string, string>;
}

/**
 * An answered call that a campaign started (its voice application URL names the campaign and
 * the contact): it goes to the campaign's agent or group, never by the API-call rules, with the
 * contact's variables as call context (X-<name> headers, or stream parameters). `campaign` null:
 * the URL named an attempt the campaign does not know, and the call is hung up.
 */
export function planCampaignCall(snapshot: RoutingSnapshot, facts: RoutingFacts, campaign: CampaignRouting | null, refusal = "the campaign does not know this call"): RoutePlan {
  const trace: DecisionTrace = {
    snapshotVersion: snapshot.version,
    direction: "outbound",
    directionReason: "Direction=outbound-api: a campaign placed this call and the person answered; connect them to the campaign's target",
    caller: normalizeNumber(facts.from),
    called: normalizeNumber(facts.to),
    rulesTried: [],
    rule: null,
    usedDefaultFallback: false,
    notes: [],
  };
  const stages: RouteStage[] = [];
  if (campaign) {
    trace.notes.push(`campaign ${campaign.name} (${campaign.id}), contact ${campaign.contactId}`);
    const context = [{ name: "X-Campaign-Id", value: campaign.id }, { name: "X-Campaign-Contact", value: String(campaign.contactId) }, ...Object.entries(campaign.variables).map(([name, value]) => ({ name: `X-${name}`, value }))];
    pushTarget(snapshot, stages, campaign.target, `campaign ${campaign.name}`, trace, { timeLimitSec: null, context, ruleName: campaign.name });
  } else trace.notes.push(refusal);
  stages.push({ kind: "end", label: "clean hang-up", action: { type: "hangup" } });
  return { direction: "outbound", ruleId: null, stages, trace };
}

/**
 * The number inbound rules match: the tenant's routing-number header when the call carries a
 * number in it (A2B-DNID: the number originally dialled, which a carrier may have rewritten To
 * from), else To. Written down in the trace either way once the tenant has such a header.
 */
function routingNumber(snapshot: RoutingSnapshot, trace: DecisionTrace, headers: HeaderLookup): string {
  const header = snapshot.routingNumberHeader;
  if (!header) return trace.called;
  const raw = headers.get(header.toLowerCase());
  const number = headerNumber(raw);
  const reason = number
    ? `matched ${number} from carrier header ${header} (the tenant's routing-number header) instead of To ${trace.called || "(empty)"}`
    : raw === undefined
      ? `the call has no carrier header ${header}: matched To ${trace.called || "(empty)"}`
      : `carrier header ${header} holds no number (${JSON.stringify(raw.slice(0, 40))}): matched To ${trace.called || "(empty)"}`;
  trace.routingNumber = { number: number ?? trace.called, source: number ? "header" : "to", header, reason };
  trace.notes.push(reason);
  return number ?? trace.called;
}

function planInbound(snapshot: RoutingSnapshot, trace: DecisionTrace, { rule, tried }: ReturnType<typeof matchInbound>, at?: number): RoutePlan {
  trace.rulesTried = tried;
  const stages: RouteStage[] = [];
  if (rule) {
    trace.rule = { id: rule.id, name: rule.name, pattern: rule.pattern };
    const settings = ruleSettings(rule);
    // Opening hours: while the rule's schedule is closed the call goes only where it says (schedule-gate.ts).
    const gate = scheduleGate(snapshot, rule, at);
    if (gate) {
      trace.schedule = gate.trace;
      trace.notes.push(gate.note);
    }
    if (gate?.closed) pushTarget(snapshot, stages, gate.closed.target, gate.closed.label, trace, settings);
    else {
      pushTarget(snapshot, stages, { type: rule.targetType, id: rule.targetId }, `rule ${rule.name || rule.pattern}`, trace, settings);
      if (rule.fallback) pushTarget(snapshot, stages, rule.fallback, "rule fallback", trace, settings);
    }
  } else {
    const matched = trace.routingNumber?.number ?? trace.called;
    trace.notes.push(`no ${trace.direction === "outbound" ? "API-call" : "inbound"} rule matches ${matched || "(empty number)"}`);
    if (snapshot.defaultFallback) {
      trace.usedDefaultFallback = true;
      pushTarget(snapshot, stages, snapshot.defaultFallback, "tenant default", trace, NO_SETTINGS);
    } else if (snapshot.unmatchedAction === "reject") {
      // Refused, not answered: an unmatched call costs the tenant nothing.
      stages.push({ kind: "end", label: "unmatched call rejected", action: { type: "reject" } });
    }
  }
  if (stages.at(-1)?.kind !== "end") stages.push({ kind: "end", label: "clean hang-up", action: { type: "hangup" } });
  return { direction: "inbound", ruleId: rule?.id ?? null, stages, trace };
}

/** `destination` is the dialled number as presented: E.164 with "+" only when it is a full number. */
function planOutbound(snapshot: RoutingSnapshot, trace: DecisionTrace, callerId: string | null, destination: string): RoutePlan {
  const usable = (rule: SnapshotOutboundRule) => rule.trunkIds.some((id) => snapshot.trunks[id]?.enabled);
  const { rule, tried } = matchOutbound(compile(snapshot).outbound, trace.caller, trace.called, usable);
  trace.rulesTried = tried;
  if (!rule) {
    const trunkless = tried.some((t) => t.result === "no_enabled_trunk");
    trace.notes.push(trunkless ? `no outbound rule for ${trace.called || "(empty number)"} has an enabled trunk` : `no outbound rule routes ${trace.called || "(empty number)"} for caller ${trace.caller || "(none)"}`);
    // Rejecting (rather than answering and hanging up) means nothing is billed; congestion says
    // a route exists but cannot be used right now.
    const stage: RouteStage = trunkless ? { kind: "end", label: "no enabled trunk", action: { type: "reject", reason: "congestion" } } : { kind: "end", label: "no outbound route", action: { type: "reject", reason: "rejected" } };
    return { direction: "outbound", ruleId: null, stages: [stage], trace };
  }
  trace.rule = { id: rule.id, name: rule.name, pattern: rule.destinationPrefix ? `${rule.destinationPrefix}*` : "*" };
  const trunks = rule.trunkIds.flatMap((id): PlanTrunk[] => {
    const trunk = snapshot.trunks[id];
    if (!trunk) trace.notes.push(`trunk ${id} no longer exists`);
    else if (!trunk.enabled) trace.notes.push(`trunk ${trunk.name} is disabled`);
    return trunk?.enabled ? [{ id: trunk.id, name: trunk.name, callerIdOverride: trunk.callerIdOverride }] : [];
  });
  return {
    direction: "outbound",
    ruleId: rule.id,
    stages: [
      { kind: "trunks", label: `rule ${rule.name || rule.id}`, ruleId: rule.id, destination, callerId, trunks },
      { kind: "end", label: "all trunks failed", action: { type: "hangup" } },
    ],
    trace,
  };
}

const NO_SETTINGS: StageSettings = { timeLimitSec: null, context: [], ruleName: null };

function ruleSettings(rule: SnapshotInboundRule): StageSettings {
  return { timeLimitSec: rule.timeLimitSec ?? null, context: rule.context ?? [], ruleName: rule.name || rule.pattern, ...(rule.overflow ? { overflow: rule.overflow } : {}) };
}

/** The smaller of two limits, either of which may be absent. */
function tighter(a: number | null, b: number | null | undefined): number | null {
  if (a === null) return b ?? null;
  return b === null || b === undefined ? a : Math.min(a, b);
}

function planAgent(snapshot: RoutingSnapshot, agent: SnapshotAgent): PlanAgent {
  const trunk = agent.trunkId ? snapshot.trunks[agent.trunkId] : undefined;
  return {
    id: agent.id,
    name: agent.name,
    provider: agent.provider,
    serviceValue: agent.serviceValue,
    username: agent.username,
    passwordEnc: agent.passwordEnc,
    ...(agent.trunkId ? { trunkName: trunk?.enabled ? trunk.name : null } : {}),
    ...(agent.context?.length ? { context: agent.context } : {}),
  };
}

const packKey = (snapshot: RoutingSnapshot, target: string) => `${snapshot.tenantId}:${snapshot.version}:${target}`;

/** A directly targeted agent is a group of one, so capacity and health apply to it too. */
type CachedStage = Omit<GroupStage, "label" | keyof StageSettings> & { groupTimeLimitSec: number | null; groupContext: GroupStage["context"]; groupOverflow?: Overflow | null };

/** The agent's provider account, whose cap the balancer asks it to hold a slot of. */
function accountOf(snapshot: RoutingSnapshot, agent: SnapshotAgent): { id: string; cap: number } | null {
  const account = agent.accountId ? snapshot.accounts?.[agent.accountId] : undefined;
  return account ? { id: account.id, cap: account.maxConcurrentCalls } : null;
}

function agentStage(snapshot: RoutingSnapshot, agent: SnapshotAgent): CachedStage {
  const member = { agentId: agent.id, position: 0, priority: 0, weight: Math.max(1, agent.weight), capacity: agent.maxConcurrentCalls, enabled: agent.enabled, account: accountOf(snapshot, agent) };
  return {
    kind: "group",
    groupId: null,
    groupName: null,
    failoverOn: null,
    groupTimeLimitSec: null,
    groupContext: [],
    balancer: `agent:${agent.id}`,
    group: {
      id: `agent:${agent.id}`,
      strategy: "round_robin",
      rollingWindowHours: 24,
      maxAttempts: 1,
      stickyTtlSeconds: null,
      members: packMembers(packKey(snapshot, `agent:${agent.id}`), [member]),
    },
    details: packDetails([planAgent(snapshot, agent)]),
  };
}

function groupStage(snapshot: RoutingSnapshot, group: SnapshotGroup): CachedStage {
  const agents: PlanAgent[] = [];
  const members = group.members.flatMap((m) => {
    const agent = snapshot.agents[m.agentId];
    if (!agent) return [];
    agents.push(planAgent(snapshot, agent));
    return [{ agentId: m.agentId, position: m.position, priority: m.priority, weight: m.weight, capacity: m.capacity, enabled: agent.enabled, account: accountOf(snapshot, agent) }];
  });
  return {
    kind: "group",
    groupId: group.id,
    groupName: group.name,
    failoverOn: group.failoverOn ?? null,
    groupTimeLimitSec: group.timeLimitSec ?? null,
    groupContext: group.context ?? [],
    groupOverflow: group.overflow ?? null,
    balancer: group.id,
    group: {
      id: group.id,
      strategy: group.strategy,
      rollingWindowHours: group.rollingWindowHours,
      maxAttempts: group.maxAttempts,
      stickyTtlSeconds: group.stickyTtlSeconds,
      members: packMembers(packKey(snapshot, `group:${group.id}`), members),
    },
    details: packDetails(agents),
  };
}

function cachedStage(snapshot: RoutingSnapshot, key: string, build: () => CachedStage): CachedStage {
  const stages = compile(snapshot).stages;
  let stage = stages.get(key);
  if (!stage) stages.set(key, (stage = build()));
  return stage;
}

/** The cached stage with the rule's settings: the tighter time limit, the rule's context before the group's. */
function withSettings(snapshot: RoutingSnapshot, { groupTimeLimitSec, groupContext, groupOverflow, ...stage }: CachedStage, label: string, settings: StageSettings): GroupStage {
  const timeLimitSec = tighter(settings.timeLimitSec, groupTimeLimitSec);
  const context = [...settings.context, ...groupContext];
  const overflowStage = overflowStageOf(snapshot, settings.overflow ?? groupOverflow ?? null, label, { timeLimitSec, context, ruleName: settings.ruleName });
  return { ...stage, label, ruleName: settings.ruleName, timeLimitSec, context, ...(overflowStage ? { overflowStage } : {}) };
}

/** Where a full stage's calls go instead (rule's overflow, else the group's); null: the next stage. */
function overflowStageOf(snapshot: RoutingSnapshot, overflow: Overflow | null, label: string, settings: StageSettings): OverflowStage | null {
  switch (overflow?.type) {
    case "wait":
      return { kind: "wait", label: `${label}: full, waiting room`, room: overflow };
    case "announcement":
      return { kind: "end", label: `${label}: full, announcement`, action: overflow };
    case "number": {
      const trunk = overflow.trunkId ? snapshot.trunks[overflow.trunkId] : undefined;
      return { kind: "person", label: `${label}: full, number ${overflow.number}`, target: { kind: "number", number: overflow.number, trunk: trunk?.enabled ? trunk.name : null }, ...settings };
    }
    case "sip":
      return { kind: "person", label: `${label}: full, SIP ${overflow.uri}`, target: { kind: "sip", uri: overflow.uri, username: null }, ...settings };
    default:
      return null;
  }
}

function pushTarget(snapshot: RoutingSnapshot, stages: RouteStage[], target: FallbackTarget, label: string, trace: DecisionTrace, settings: StageSettings): void {
  switch (target.type) {
    case "agent": {
      const agent = snapshot.agents[target.id];
      if (!agent) {
        trace.notes.push(`${label}: agent ${target.id} no longer exists`);
        return;
      }
      stages.push(
        withSettings(
          snapshot,
          cachedStage(snapshot, `agent:${agent.id}`, () => agentStage(snapshot, agent)),
          `${label}: agent ${agent.name}`,
          settings,
        ),
      );
      return;
    }
    case "group": {
      const group = snapshot.groups[target.id];
      if (!group) {
        trace.notes.push(`${label}: group ${target.id} no longer exists`);
        return;
      }
      if (!group.enabled) {
        trace.notes.push(`${label}: group ${group.name} is disabled`);
        return;
      }
      stages.push(
        withSettings(
          snapshot,
          cachedStage(snapshot, `group:${group.id}`, () => groupStage(snapshot, group)),
          `${label}: group ${group.name}`,
          settings,
        ),
      );
      return;
    }
    case "number": {
      const trunk = target.trunkId ? snapshot.trunks[target.trunkId] : undefined;
      if (target.trunkId && !trunk?.enabled) trace.notes.push(`${label}: trunk ${trunk?.name ?? target.trunkId} is ${trunk ? "disabled" : "gone"}; Cloudonix chooses the route`);
      stages.push({ kind: "person", label: `${label}: number ${target.number}`, target: { kind: "number", number: target.number, trunk: trunk?.enabled ? trunk.name : null }, ...settings });
      return;
    }
    case "sip":
      stages.push({ kind: "person", label: `${label}: SIP ${target.uri}`, target: { kind: "sip", uri: target.uri, username: null }, ...settings });
      return;
    default:
      stages.push({ kind: "end", label, action: target as EndAction });
  }
}
