import { WaitLine } from "../logic/wait-line";
import type { LineStanding, PickOutcome, PickRequest } from "./types";

/*
 * A group balancer's waiting line (logic/wait-line.ts) kept in its SQLite table `waiting`:
 * each change is written as it is made, so an evicted balancer comes back with the same line.
 */
export class StoredLine {
  readonly #sql: SqlStorage;
  readonly #line: WaitLine;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    const rows = sql.exec<{ call_key: string; joined_at: number; expires_at: number }>("SELECT call_key, joined_at, expires_at FROM waiting").toArray();
    this.#line = new WaitLine(rows.map((row) => ({ callKey: row.call_key, joinedAt: row.joined_at, expiresAt: row.expires_at })));
  }

  ahead(callKey: string): number {
    return this.#line.ahead(callKey);
  }

  /**
   * A pick that placed nobody (or a dry run): when members were full and the call may wait, it
   * stands in line; a call that may not (or whose group has no one it could wait for) leaves it.
   */
  unplaced(outcome: PickOutcome, request: PickRequest, now: number): PickOutcome {
    if (outcome.chosen) return outcome;
    const full = outcome.skipped.some((s) => s.reason === "at_capacity" || s.reason === "account_full");
    if (!full) {
      if (!request.dryRun) this.leave(request.callKey);
      return outcome;
    }
    return { ...outcome, line: this.stand(request, now, this.#line.ahead(request.callKey)) };
  }

  /** The call's standing in line: it joins (or keeps its place) when it may wait; a dry run only looks. */
  stand(request: PickRequest, now: number, ahead: number): LineStanding {
    const { callKey, wait } = request;
    if (!wait) return { ahead, position: null };
    if (request.dryRun) return { ahead, position: this.#line.position(callKey) ?? this.#line.size + 1 };
    const waiter = this.#line.join(callKey, now, wait.holdMs);
    this.#sql.exec("INSERT INTO waiting (call_key, joined_at, expires_at) VALUES (?, ?, ?) ON CONFLICT (call_key) DO UPDATE SET expires_at = excluded.expires_at", callKey, waiter.joinedAt, waiter.expiresAt);
    return { ahead, position: this.#line.position(callKey) };
  }

  leave(callKey: string): boolean {
    if (!this.#line.leave(callKey)) return false;
    this.#sql.exec("DELETE FROM waiting WHERE call_key = ?", callKey);
    return true;
  }

  /** Drops the waiters not heard from in time (a lost hang-up). */
  expire(now: number): void {
    if (this.#line.size === 0) return;
    for (const callKey of this.#line.expire(now)) this.#sql.exec("DELETE FROM waiting WHERE call_key = ?", callKey);
  }
}
