import { DurableObject } from "cloudflare:workers";
import type { Env } from "../workers/env";
import { migrateSql } from "./lib/sql-migrations";
import { hourOf, isHealthy, windowSum } from "./logic/health";
import { unpackMembers } from "../workers/routing/packed-group";
import { emptyRotation, pick, type AgentCounters, type PickMember, type RotationState, type SkipReason } from "./logic/strategies";
import { BALANCER_SCHEMA } from "./balancer/schema";
import type { AgentLiveStats, BalancerGroup, FailoverRequest, HealthChange, MemberTrace, PickOutcome, PickRequest } from "./balancer/types";
import { groupFreeSlots, mayTakeSlot, type MemberRoom } from "./logic/wait-line";
import { accountsFree, askAccount, releaseAccount, withoutFullAccounts } from "./balancer/accounts";
import { StoredLine } from "./balancer/line-store";
import { ClaimBook } from "./balancer/claims";
import { HealthBook } from "./balancer/health-book";

export type { AgentLiveStats, BalancerGroup, FailoverRequest, HealthChange, LineStanding, MemberTrace, PickOutcome, PickRequest } from "./balancer/types";

/** Window buckets are kept for the longest window a group may configure. */
const MAX_WINDOW_HOURS = 168;
/** A claimed slot whose call never reports its end is freed after this long. */
const DEFAULT_CLAIM_TTL_MS = 4 * 3_600_000;

/**
 * One per agent group (or per directly targeted agent, named "agent:<id>"): serialises every
 * pick of the group so rotation pointers, rolling load windows, live call counts, health and
 * sticky callers stay exact under any concurrency. The member list arrives with each request
 * (from the routing snapshot), so the balancer never routes to an agent that was removed.
 *
 * An agent with a provider account is taken only once the account's object (ProviderAccount)
 * grants a slot: one more request, for such agents only. The agent's slot is held here before
 * that request goes out, so the picks that run meanwhile see it taken; if the account is full,
 * the slot is given back and the next agent in order is tried (the account's other agents are
 * skipped without asking again).
 */
export class GroupBalancer extends DurableObject<Env> {
  #rotation: RotationState = emptyRotation();
  #claims!: ClaimBook;
  #windows = new Map<string, Map<number, number>>();
  #health!: HealthBook;
  #line!: StoredLine;
  #unpacked: { key: string; members: PickMember[]; byId?: Map<string, PickMember> } | null = null;
  /** The alarm currently set, so picks need not ask storage for it. */
  #alarmAt: number | null | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      migrateSql(ctx.storage.sql, BALANCER_SCHEMA);
      this.#load();
    });
  }

  /** Picks the agent for a call and claims its slot; a repeated pick for the same call is free. */
  async pick(request: PickRequest): Promise<PickOutcome> {
    const now = Date.now();
    this.#claims.expire(now);
    this.#line.expire(now);
    const existing = this.#claims.get(request.callKey);
    if (existing && !request.dryRun) {
      return { chosen: existing.agentId, candidates: [], skipped: [], eligibleCount: 0, sticky: false, duplicate: true };
    }
    const { group } = request;
    const ahead = this.#line.ahead(request.callKey);
    if (ahead > 0 && !mayTakeSlot(ahead, await this.#freeSlots(group, now))) {
      // The free slots (if any) belong to the callers waiting ahead of this one.
      return { chosen: null, candidates: [], skipped: [], eligibleCount: 0, sticky: false, duplicate: false, line: this.#line.stand(request, now, ahead) };
    }
    const result = pick(group.strategy, this.#members(group), (id) => this.#counters(id, group, now), this.#rotation);
    let order = result.order;
    let sticky = false;
    const stickyAgent = group.stickyTtlSeconds && request.caller ? this.#stickyAgent(request.caller, now) : null;
    if (stickyAgent && order.includes(stickyAgent)) {
      order = [stickyAgent, ...order.filter((id) => id !== stickyAgent)];
      sticky = true;
    }
    const skipped = [...result.skipped];
    // Explain sees a full provider account as a real pick would (a real pick asks as it claims).
    if (request.dryRun) order = await withoutFullAccounts(this.env, order, this.#byId(group), skipped);
    const outcome: PickOutcome = {
      chosen: order[0] ?? null,
      candidates: order.slice(1, Math.max(1, group.maxAttempts)),
      skipped,
      eligibleCount: order.length,
      sticky,
      duplicate: false,
    };
    if (request.dryRun || !outcome.chosen) return this.#line.unplaced(outcome, request, now);

    // A sticky pick leaves the rotation where it was, so other callers keep their exact shares.
    if (!sticky) this.#saveRotation(result.rotation);
    const members = this.#byId(group);
    const chosen = await this.#claimFirst(request.callKey, order, members, group, now, request.claimTtlMs, skipped);
    if (chosen !== order[0]) {
      // Accounts were full: the call goes to the next agent whose account has room, or to none.
      outcome.chosen = chosen;
      outcome.skipped = skipped;
      outcome.candidates = chosen ? order.slice(order.indexOf(chosen) + 1).slice(0, Math.max(1, group.maxAttempts) - 1) : [];
      if (!chosen) return this.#line.unplaced(outcome, request, now);
    }
    this.#line.leave(request.callKey);
    if (group.stickyTtlSeconds && request.caller) {
      this.ctx.storage.sql.exec(
        "INSERT INTO sticky (caller, agent_id, expires_at) VALUES (?, ?, ?) ON CONFLICT (caller) DO UPDATE SET agent_id = excluded.agent_id, expires_at = excluded.expires_at",
        request.caller,
        chosen,
        now + group.stickyTtlSeconds * 1000,
      );
    }
    await this.#armAlarm();
    return outcome;
  }

  /**
   * The dialled agent failed: free its slot, count the failure, and claim the first remaining
   * candidate that is still eligible now (capacity and health may have changed since the pick).
   */
  async failover(request: FailoverRequest): Promise<{ chosen: string | null; skipped: MemberTrace[]; remaining: string[]; healthChanges: HealthChange[] }> {
    const now = Date.now();
    this.#claims.expire(now);
    const healthChanges: HealthChange[] = [];
    // A repeated failover (a CallSession request retried after this one went through) finds the
    // failed agent's claim gone and the call already on a candidate: it answers the same again.
    const held = this.#claims.get(request.callKey);
    if (held && held.agentId !== request.failedAgentId && request.candidates.includes(held.agentId)) {
      return { chosen: held.agentId, skipped: [], remaining: request.candidates.slice(request.candidates.indexOf(held.agentId) + 1), healthChanges };
    }
    const failed = request.failedAgentId ? this.#claims.release(request.callKey, request.failedAgentId) : null;
    if (failed) {
      const change = this.#health.record(request.failedAgentId!, "failure", now);
      if (change) healthChanges.push(change);
    }
    const members = this.#byId(request.group);
    const skipped: MemberTrace[] = [];
    const chosen = await this.#claimFirst(request.callKey, request.candidates, members, request.group, now, request.claimTtlMs, skipped);
    // The failed agent's account slot stays with the call when the next agent is of the same account.
    if (failed?.accountId && members.get(chosen ?? "")?.account?.id !== failed.accountId) await releaseAccount(this.env, failed.accountId, request.callKey);
    if (chosen) await this.#armAlarm();
    return { chosen, skipped, remaining: chosen ? request.candidates.slice(request.candidates.indexOf(chosen) + 1) : [], healthChanges };
  }

  /**
   * The call ended: free its slot. Idempotent, so every end channel (and a retried request) may
   * call it: the outcome counts only with the release of the agent's claim, once per call.
   */
  async release(callKey: string, outcome?: { agentId: string; result: "success" | "failure" }): Promise<{ released: boolean; healthChange: HealthChange | null }> {
    const claim = this.#claims.release(callKey, outcome?.agentId);
    const healthChange = claim && outcome ? this.#health.record(outcome.agentId, outcome.result, Date.now()) : null;
    if (claim?.accountId) await releaseAccount(this.env, claim.accountId, callKey);
    return { released: claim !== null, healthChange };
  }

  /** The call left the waiting room (it ended, or gave up waiting); idempotent. */
  async leaveLine(callKey: string): Promise<boolean> {
    return this.#line.leave(callKey);
  }

  async stats(windowHours = 24): Promise<AgentLiveStats[]> {
    const now = Date.now();
    this.#claims.expire(now);
    const totals = new Map(
      this.ctx.storage.sql
        .exec<{ agent_id: string; picks: number; successes: number; failures: number }>("SELECT * FROM totals")
        .toArray()
        .map((row) => [row.agent_id, row]),
    );
    const ids = new Set([...totals.keys(), ...this.#claims.agents(), ...this.#health.agents(), ...this.#windows.keys()]);
    return [...ids].sort().map((agentId) => {
      const health = this.#health.of(agentId);
      const total = totals.get(agentId);
      return {
        agentId,
        active: this.#claims.activeOf(agentId),
        windowCount: windowSum(this.#windows.get(agentId), windowHours, now),
        healthy: isHealthy(health, now),
        consecutiveFailures: health.consecutiveFailures,
        unhealthyUntil: health.unhealthyUntil > now ? health.unhealthyUntil : null,
        picks: total?.picks ?? 0,
        successes: total?.successes ?? 0,
        failures: total?.failures ?? 0,
      };
    });
  }

  async alarm(): Promise<void> {
    this.#alarmAt = null;
    const now = Date.now();
    this.#claims.expire(now);
    this.ctx.storage.sql.exec("DELETE FROM sticky WHERE expires_at <= ?", now);
    const oldestHour = hourOf(now) - MAX_WINDOW_HOURS;
    this.ctx.storage.sql.exec("DELETE FROM window_counts WHERE hour < ?", oldestHour);
    for (const buckets of this.#windows.values()) for (const hour of buckets.keys()) if (hour < oldestHour) buckets.delete(hour);
    await this.#armAlarm();
  }

  /**
   * Slots the group could take now (unlimited when an eligible member has neither a cap nor an
   * account). Asked only while callers wait, so its account requests cost a normal pick nothing.
   */
  async #freeSlots(group: BalancerGroup, now: number): Promise<number> {
    const rooms: MemberRoom[] = [];
    const accounts = new Map<string, number>();
    for (const member of this.#members(group)) {
      const why = this.#ineligibility(member, group, now);
      if (why !== null && why !== "at_capacity") continue;
      const free = member.capacity === null ? Infinity : Math.max(0, member.capacity - this.#claims.activeOf(member.agentId));
      rooms.push({ free, accountId: member.account?.id ?? null });
      if (member.account) accounts.set(member.account.id, member.account.cap);
    }
    return groupFreeSlots(rooms, accounts.size ? await accountsFree(this.env, accounts) : new Map());
  }

  /** Unpacked once per configuration version, not once per call. */
  #members(group: BalancerGroup): PickMember[] {
    if (this.#unpacked?.key !== group.members.key) this.#unpacked = { key: group.members.key, members: unpackMembers(group.members) };
    return this.#unpacked.members;
  }

  #byId(group: BalancerGroup): Map<string, PickMember> {
    const members = this.#members(group);
    this.#unpacked!.byId ??= new Map(members.map((m) => [m.agentId, m]));
    return this.#unpacked!.byId!;
  }

  /**
   * Claims the first agent of `order` that is eligible now: at once for an agent without a
   * provider account; for one with an account, once the account grants a slot. Agents of an
   * account that refused are skipped (`skipped` gets why). Eligibility is checked again for each
   * agent, since picks may have run while an account was being asked.
   */
  async #claimFirst(callKey: string, order: readonly string[], members: Map<string, PickMember>, group: BalancerGroup, now: number, ttlMs: number | undefined, skipped: MemberTrace[]): Promise<string | null> {
    const refused = new Map<string, SkipReason>();
    for (const agentId of order) {
      const member = members.get(agentId);
      const account = member?.account ?? null;
      const why = member ? ((account ? refused.get(account.id) : undefined) ?? this.#ineligibility(member, group, now)) : "disabled";
      if (why) {
        skipped.push({ agentId, reason: why });
        continue;
      }
      const expiresAt = now + (ttlMs ?? DEFAULT_CLAIM_TTL_MS);
      if (!account) {
        this.#claim(callKey, agentId, now, expiresAt, null);
        return agentId;
      }
      // Held before the request goes out: picks that run while it is away see the slot taken.
      this.#claims.hold(callKey, { agentId, expiresAt, accountId: account.id });
      const verdict = await askAccount(this.env, account, callKey, agentId, ttlMs);
      const stillHeld = this.#claims.get(callKey)?.agentId === agentId;
      if (verdict === null && stillHeld) {
        this.#claim(callKey, agentId, now, expiresAt, account.id);
        return agentId;
      }
      // The call ended while the account was asked: its slot there must not outlive it.
      if (verdict === null) {
        await releaseAccount(this.env, account.id, callKey);
        return null;
      }
      this.#claims.unhold(callKey, agentId);
      refused.set(account.id, verdict ?? "account_full");
      skipped.push({ agentId, reason: verdict ?? "account_full" });
    }
    return null;
  }

  #counters(agentId: string, group: BalancerGroup, now: number): AgentCounters {
    return {
      active: this.#claims.activeOf(agentId),
      windowCount: group.strategy === "load_balanced" ? windowSum(this.#windows.get(agentId), group.rollingWindowHours, now) : 0,
      healthy: isHealthy(this.#health.of(agentId), now),
    };
  }

  #ineligibility(member: PickMember, group: BalancerGroup, now: number): SkipReason | null {
    const counters = this.#counters(member.agentId, group, now);
    if (!member.enabled) return "disabled";
    if (member.weight <= 0) return "zero_weight";
    if (!counters.healthy) return "unhealthy";
    if (member.capacity !== null && counters.active >= member.capacity) return "at_capacity";
    return null;
  }

  /** Stores the call's claim and counts the pick in the agent's load window and totals. */
  #claim(callKey: string, agentId: string, now: number, expiresAt: number, accountId: string | null): void {
    const sql = this.ctx.storage.sql;
    this.#claims.store(callKey, agentId, now, { agentId, expiresAt, accountId });
    const hour = hourOf(now);
    sql.exec("INSERT INTO window_counts (agent_id, hour, count) VALUES (?, ?, 1) ON CONFLICT (agent_id, hour) DO UPDATE SET count = count + 1", agentId, hour);
    sql.exec("INSERT INTO totals (agent_id, picks) VALUES (?, 1) ON CONFLICT (agent_id) DO UPDATE SET picks = picks + 1", agentId);
    let buckets = this.#windows.get(agentId);
    if (!buckets) this.#windows.set(agentId, (buckets = new Map()));
    buckets.set(hour, (buckets.get(hour) ?? 0) + 1);
  }

  #stickyAgent(caller: string, now: number): string | null {
    const row = this.ctx.storage.sql.exec<{ agent_id: string; expires_at: number }>("SELECT agent_id, expires_at FROM sticky WHERE caller = ?", caller).toArray()[0];
    return row && row.expires_at > now ? row.agent_id : null;
  }

  #saveRotation(rotation: RotationState): void {
    this.#rotation = rotation;
    this.ctx.storage.sql.exec("INSERT INTO rotation (id, state) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state", JSON.stringify(rotation));
  }

  async #armAlarm(): Promise<void> {
    const next = this.#claims.nextExpiry();
    if (next === Infinity) return;
    if (this.#alarmAt === undefined) this.#alarmAt = await this.ctx.storage.getAlarm();
    if (this.#alarmAt === null || this.#alarmAt > next) {
      await this.ctx.storage.setAlarm(next);
      this.#alarmAt = next;
    }
  }

  #load(): void {
    const sql = this.ctx.storage.sql;
    const rotation = sql.exec<{ state: string }>("SELECT state FROM rotation WHERE id = 1").toArray()[0];
    if (rotation) this.#rotation = JSON.parse(rotation.state) as RotationState;
    this.#claims = new ClaimBook(sql);
    for (const row of sql.exec<{ agent_id: string; hour: number; count: number }>("SELECT agent_id, hour, count FROM window_counts")) {
      let buckets = this.#windows.get(row.agent_id);
      if (!buckets) this.#windows.set(row.agent_id, (buckets = new Map()));
      buckets.set(row.hour, row.count);
    }
    this.#line = new StoredLine(sql);
    this.#health = new HealthBook(sql);
  }
}
