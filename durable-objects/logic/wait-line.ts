/*
 * A group's waiting line: callers held in a waiting room, first come first served. Pure; the
 * GroupBalancer keeps one per group, stores each change and consults it on every pick, so a
 * caller who just arrived never takes a slot a waiting caller is entitled to.
 */

export interface Waiter {
  callKey: string;
  joinedAt: number;
  /** A waiter not heard from by then (a lost hang-up) leaves the line. */
  expiresAt: number;
}

export class WaitLine {
  /** In line order: a Map keeps insertion order, and callers only ever join at the back. */
  #waiters = new Map<string, Waiter>();

  constructor(waiters: Iterable<Waiter> = []) {
    const ordered = [...waiters].sort((a, b) => a.joinedAt - b.joinedAt || (a.callKey < b.callKey ? -1 : a.callKey > b.callKey ? 1 : 0));
    for (const waiter of ordered) this.#waiters.set(waiter.callKey, waiter);
  }

  get size(): number {
    return this.#waiters.size;
  }

  /** Removes the waiters not heard from in time; returns their call keys. */
  expire(now: number): string[] {
    const gone: string[] = [];
    for (const [callKey, waiter] of this.#waiters) if (waiter.expiresAt <= now) gone.push(callKey);
    for (const callKey of gone) this.#waiters.delete(callKey);
    return gone;
  }

  /** How many callers are ahead of this call: everyone in line, for a call not in it. */
  ahead(callKey: string): number {
    let n = 0;
    for (const key of this.#waiters.keys()) {
      if (key === callKey) return n;
      n++;
    }
    return n;
  }

  /** The call's place in line (1 = next), or null when it is not waiting. */
  position(callKey: string): number | null {
    return this.#waiters.has(callKey) ? this.ahead(callKey) + 1 : null;
  }

  get(callKey: string): Waiter | undefined {
    return this.#waiters.get(callKey);
  }

  /** Joins at the back, or keeps the call's place and extends its hold. */
  join(callKey: string, now: number, holdMs: number): Waiter {
    const existing = this.#waiters.get(callKey);
    const waiter = { callKey, joinedAt: existing?.joinedAt ?? now, expiresAt: now + holdMs };
    this.#waiters.set(callKey, waiter);
    return waiter;
  }

  leave(callKey: string): boolean {
    return this.#waiters.delete(callKey);
  }
}

/**
 * Whether a call may take a slot now: only when fewer callers wait ahead of it than there are
 * free slots, so the slots that free up go to the line in order.
 */
export const mayTakeSlot = (ahead: number, freeSlots: number): boolean => ahead < freeSlots;

export interface MemberRoom {
  /** The member's own free slots (Infinity without a cap). */
  free: number;
  accountId: string | null;
}

/**
 * The slots a group could take now: its eligible members' own free slots, where the members of
 * one provider account together take no more than the account has free (`accountFree`; an
 * account not in it counts as full).
 */
export function groupFreeSlots(members: readonly MemberRoom[], accountFree: ReadonlyMap<string, number>): number {
  let free = 0;
  const byAccount = new Map<string, number>();
  for (const member of members) {
    if (member.accountId === null) free += member.free;
    else byAccount.set(member.accountId, (byAccount.get(member.accountId) ?? 0) + member.free);
  }
  for (const [accountId, room] of byAccount) free += Math.min(room, accountFree.get(accountId) ?? 0);
  return free;
}
