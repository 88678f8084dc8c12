import type { PickMember } from "../../durable-objects/logic/strategies";
import type { ContextEntry } from "../domain/call-context";
import { LruMap } from "../lib/lru";

/**
 * A group's members as they travel to the Durable Objects with every call: a string and a
 * typed array instead of thousands of small objects, because RPC structured-clones its
 * arguments and a 1,000-agent group would otherwise cost more to copy than to route.
 * Built once per snapshot; `key` lets the balancer reuse its unpacked copy. The members' dial
 * details travel apart (packDetails): the CallSession needs them, the balancer does not.
 */
export interface PackedMembers {
  /** Changes whenever the members or their settings change. */
  key: string;
  /** Agent ids, "\n"-separated, in member order. */
  ids: string;
  /** Per member: position, priority, weight, capacity (-1 = none), enabled (1/0). */
  numbers: Float64Array;
  /**
   * Per member, "\n"-separated: its provider account as "id:cap", or "" for none. Absent when no
   * member has an account (and from groups packed before accounts existed).
   */
  accounts?: string;
}

export interface PlanAgent {
  id: string;
  name: string;
  provider: string;
  serviceValue: string;
  username: string | null;
  passwordEnc: string | null;
  /** A phone-number agent's trunk name (null: Cloudonix chooses); absent for other kinds. */
  trunkName?: string | null;
  /** The agent's own context entries (headers or stream parameters). */
  context?: ContextEntry[];
}

const FIELDS = 5;

export function packMembers(key: string, members: readonly PickMember[]): PackedMembers {
  const numbers = new Float64Array(members.length * FIELDS);
  members.forEach((m, i) => {
    numbers.set([m.position, m.priority, m.weight, m.capacity ?? -1, m.enabled ? 1 : 0], i * FIELDS);
  });
  const accounts = members.some((m) => m.account) ? members.map((m) => (m.account ? `${m.account.id}:${m.account.cap}` : "")).join("\n") : undefined;
  return {
    key,
    ids: members.map((m) => m.agentId).join("\n"),
    numbers,
    ...(accounts !== undefined ? { accounts } : {}),
  };
}

/** The members' dial details, one JSON line per member in member order. */
export function packDetails(agents: readonly PlanAgent[]): string {
  // JSON.stringify never emits a raw newline, so one agent per line is safe.
  return agents.map((a) => JSON.stringify(a)).join("\n");
}

export function unpackMembers(packed: PackedMembers): PickMember[] {
  if (!packed.ids) return [];
  const accounts = packed.accounts?.split("\n");
  return packed.ids.split("\n").map((agentId, i) => {
    const o = i * FIELDS;
    const capacity = packed.numbers[o + 3]!;
    const account = accounts?.[i] ? accountOf(accounts[i]) : null;
    return {
      agentId,
      position: packed.numbers[o]!,
      priority: packed.numbers[o + 1]!,
      weight: packed.numbers[o + 2]!,
      capacity: capacity < 0 ? null : capacity,
      enabled: packed.numbers[o + 4] === 1,
      ...(account ? { account } : {}),
    };
  });
}

/** "id:cap" (account ids carry no colon). */
function accountOf(text: string): { id: string; cap: number } | null {
  const at = text.lastIndexOf(":");
  const cap = Number(text.slice(at + 1));
  return at > 0 && Number.isFinite(cap) ? { id: text.slice(0, at), cap } : null;
}

/**
 * A group's members indexed for dialling, per isolate and configuration (members.key changes
 * with every change): a 1,000-member group's 138 KB details are split once, not on every call.
 */
const indexed = new LruMap<string, { position: Map<string, number>; lines: string[] }>(64);

/** The dial details of one member. */
export function dialDetails(packed: PackedMembers, details: string, agentId: string): PlanAgent | null {
  let entry = indexed.get(packed.key);
  if (!entry) {
    const ids = packed.ids ? packed.ids.split("\n") : [];
    entry = { position: new Map(ids.map((id, i) => [id, i])), lines: details.split("\n") };
    indexed.set(packed.key, entry);
  }
  const index = entry.position.get(agentId);
  const line = index === undefined ? undefined : entry.lines[index];
  return line ? (JSON.parse(line) as PlanAgent) : null;
}
