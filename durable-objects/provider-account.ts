import { DurableObject } from "cloudflare:workers";
import type { Env } from "../workers/env";
import { migrateSql } from "./lib/sql-migrations";

const SCHEMA = [`CREATE TABLE claims (call_key TEXT PRIMARY KEY, agent_id TEXT NOT NULL, since INTEGER NOT NULL, expires_at INTEGER NOT NULL)`] as const;

/** A claim whose call never reports its end is freed after this long (the balancers' own default). */
const DEFAULT_CLAIM_TTL_MS = 4 * 3_600_000;

export interface AccountClaimRequest {
  callKey: string;
  agentId: string;
  /** The account's cap as the caller's routing snapshot has it, so a changed cap applies at once. */
  cap: number;
  claimTtlMs?: number;
}

export interface AccountClaimResult {
  granted: boolean;
  active: number;
}

/** The account's slots as a campaign paces by them. */
export interface AccountSlots {
  /** The caller's cap, as given. */
  cap: number;
  active: number;
  free: number;
  /** Those of the calls asked about that hold one of the account's slots. */
  held: string[];
}

export interface AccountStatus {
  active: number;
  calls: { callKey: string; agentId: string; since: number; expiresAt: number }[];
}

/**
 * One per provider account (named by its id): the calls that hold one of the account's slots,
 * exact under any concurrency, since every claim for the account passes through this object.
 * The group balancers claim a slot here when they pick one of the account's agents (only then:
 * an agent without an account costs no request), and free it with the agent's. A call holds at
 * most one slot per account: claiming again for the same call (a failover to another of the
 * account's agents, a retried request) keeps its slot. A claim that is never freed expires, so a
 * call that never reports its end leaks nothing.
 */
export class ProviderAccount extends DurableObject<Env> {
  #claims = new Map<string, { agentId: string; since: number; expiresAt: number }>();
  #alarmAt: number | null | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      migrateSql(ctx.storage.sql, SCHEMA);
      for (const row of ctx.storage.sql.exec<{ call_key: string; agent_id: string; since: number; expires_at: number }>("SELECT * FROM claims")) {
        this.#claims.set(row.call_key, { agentId: row.agent_id, since: row.since, expiresAt: row.expires_at });
      }
    });
  }

  async claim(request: AccountClaimRequest): Promise<AccountClaimResult> {
    const now = Date.now();
    this.#expire(now);
    const held = this.#claims.get(request.callKey);
    if (!held && this.#claims.size >= request.cap) return { granted: false, active: this.#claims.size };
    const claim = { agentId: request.agentId, since: held?.since ?? now, expiresAt: now + (request.claimTtlMs ?? DEFAULT_CLAIM_TTL_MS) };
    this.ctx.storage.sql.exec("INSERT OR REPLACE INTO claims (call_key, agent_id, since, expires_at) VALUES (?, ?, ?, ?)", request.callKey, claim.agentId, claim.since, claim.expiresAt);
    this.#claims.set(request.callKey, claim);
    await this.#arm();
    return { granted: true, active: this.#claims.size };
  }

  /** Idempotent: every end channel of a call may free it. */
  async release(callKey: string): Promise<{ released: boolean }> {
    if (!this.#claims.delete(callKey)) return { released: false };
    this.ctx.storage.sql.exec("DELETE FROM claims WHERE call_key = ?", callKey);
    return { released: true };
  }

  /**
   * How many slots are free under `cap` (the caller's snapshot's, as with claim), and which of
   * `calls` hold one: a campaign learns what it may still dial into, and which of its answered
   * calls have their slot already (the others are about to claim one). Read-only and cheap, from
   * memory: expired claims are not counted (the next claim or the alarm deletes them).
   */
  async free(cap: number, calls: readonly string[] = []): Promise<AccountSlots> {
    const now = Date.now();
    let active = 0;
    for (const claim of this.#claims.values()) if (claim.expiresAt > now) active++;
    const held = calls.filter((callKey) => (this.#claims.get(callKey)?.expiresAt ?? 0) > now);
    return { cap, active, free: Math.max(0, cap - active), held };
  }

  async status(limit = 200): Promise<AccountStatus> {
    this.#expire(Date.now());
    const calls = [...this.#claims].map(([callKey, c]) => ({ callKey, ...c })).sort((a, b) => a.since - b.since);
    return { active: this.#claims.size, calls: calls.slice(0, limit) };
  }

  async alarm(): Promise<void> {
    this.#alarmAt = null;
    this.#expire(Date.now());
    await this.#arm();
  }

  #expire(now: number): void {
    for (const [callKey, claim] of this.#claims) {
      if (claim.expiresAt > now) continue;
      this.#claims.delete(callKey);
      this.ctx.storage.sql.exec("DELETE FROM claims WHERE call_key = ?", callKey);
    }
  }

  async #arm(): Promise<void> {
    let next = Infinity;
    for (const claim of this.#claims.values()) next = Math.min(next, claim.expiresAt);
    if (next === Infinity) return;
    if (this.#alarmAt === undefined) this.#alarmAt = await this.ctx.storage.getAlarm();
    if (this.#alarmAt === null || this.#alarmAt > next) {
      await this.ctx.storage.setAlarm(next);
      this.#alarmAt = next;
    }
  }
}
