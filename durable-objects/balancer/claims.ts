/*
 * The calls holding a slot of a group balancer's agents: in memory for the picks, and in the
 * `active_calls` table for a balancer that is evicted. A slot may be held in memory alone while
 * a provider account is asked for it (so the picks that run meanwhile see it taken), and is
 * stored once granted.
 */

export interface Claim {
  agentId: string;
  expiresAt: number;
  /** The provider account holding a slot for the call too, if the agent has one. */
  accountId: string | null;
}

export class ClaimBook {
  readonly #sql: SqlStorage;
  #byCall = new Map<string, Claim>();
  #byAgent = new Map<string, number>();

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    for (const row of sql.exec<{ call_key: string; agent_id: string; expires_at: number; account_id: string | null }>("SELECT call_key, agent_id, expires_at, account_id FROM active_calls")) {
      this.hold(row.call_key, { agentId: row.agent_id, expiresAt: row.expires_at, accountId: row.account_id });
    }
  }

  get(callKey: string): Claim | undefined {
    return this.#byCall.get(callKey);
  }

  activeOf(agentId: string): number {
    return this.#byAgent.get(agentId) ?? 0;
  }

  /** The agents holding at least one slot. */
  agents(): IterableIterator<string> {
    return this.#byAgent.keys();
  }

  /** Holds the slot in memory only (a claim still being granted by its account). */
  hold(callKey: string, claim: Claim): void {
    const previous = this.#byCall.get(callKey);
    if (previous) this.unhold(callKey, previous.agentId);
    this.#byCall.set(callKey, claim);
    this.#byAgent.set(claim.agentId, this.activeOf(claim.agentId) + 1);
  }

  unhold(callKey: string, agentId: string): Claim | null {
    const claim = this.#byCall.get(callKey);
    if (!claim || claim.agentId !== agentId) return null;
    this.#byCall.delete(callKey);
    const remaining = this.activeOf(claim.agentId) - 1;
    if (remaining > 0) this.#byAgent.set(claim.agentId, remaining);
    else this.#byAgent.delete(claim.agentId);
    return claim;
  }

  /** Holds and stores the call's claim on `agentId` (replacing one it held on another agent). */
  store(callKey: string, agentId: string, now: number, claim: Claim): void {
    // An upsert, not REPLACE: an update is one row written, not a delete and an insert.
    this.#sql.exec(
      "INSERT INTO active_calls (call_key, agent_id, claimed_at, expires_at, account_id) VALUES (?, ?, ?, ?, ?) ON CONFLICT (call_key) DO UPDATE SET agent_id = excluded.agent_id, claimed_at = excluded.claimed_at, expires_at = excluded.expires_at, account_id = excluded.account_id",
      callKey,
      agentId,
      now,
      claim.expiresAt,
      claim.accountId,
    );
    if (this.#byCall.get(callKey)?.agentId !== agentId) this.hold(callKey, claim);
    else this.#byCall.set(callKey, claim);
  }

  /** Frees the call's claim (only if it is `agentId`'s, when given); null when there was none. */
  release(callKey: string, agentId?: string): Claim | null {
    const claim = this.#byCall.get(callKey);
    if (!claim || (agentId !== undefined && claim.agentId !== agentId)) return null;
    this.#sql.exec("DELETE FROM active_calls WHERE call_key = ?", callKey);
    return this.unhold(callKey, claim.agentId);
  }

  expire(now: number): void {
    for (const [callKey, claim] of this.#byCall) if (claim.expiresAt <= now) this.release(callKey);
  }

  /** When the next claim expires (Infinity: none held). */
  nextExpiry(): number {
    let next = Infinity;
    for (const claim of this.#byCall.values()) next = Math.min(next, claim.expiresAt);
    return next;
  }
}
