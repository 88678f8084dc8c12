import type { AuditEntry } from "../../api/tenant";
import { patternText } from "../../lib/format";

/*
 * How an audit entry reads: what it changed, and the name of what it changed. Entries carry
 * snapshots of the entity (before/after) when it was a configuration change; sign-ins and
 * similar events carry none, so they are described by their action, never as "created".
 */

type Snapshot = Record<string, unknown>;

const EVENTS: Record<string, string> = {
  "auth.login": "signed in",
  "auth.login_failed": "sign-in refused",
  "auth.logout": "signed out",
  "user.password_changed": "own password changed",
  "tenant.request_key_rotated": "request key rotated",
  "tenant.callback_token_rotated": "callback URLs rotated",
  "api_key.revoked": "revoked",
};

const snapshotOf = (value: unknown): Snapshot | null => (value && typeof value === "object" && !Array.isArray(value) ? (value as Snapshot) : null);

export function changedFields(entry: AuditEntry): string {
  const event = EVENTS[entry.action];
  if (event) return event;
  const before = snapshotOf(entry.before);
  const after = snapshotOf(entry.after);
  if (!before && !after) return "—";
  if (!before) return "created";
  if (!after) return "deleted";
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !["version", "updatedAt"].includes(k) && JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  return keys.length ? keys.join(", ") : "—";
}

const text = (value: unknown) => (typeof value === "string" && value.trim() ? value : null);

/** The entity's name as the entry's own snapshot recorded it (so deleted ones keep theirs). */
function recordedName(entry: AuditEntry): string | null {
  const s = snapshotOf(entry.after) ?? snapshotOf(entry.before);
  if (!s) return null;
  switch (entry.entityType) {
    case "inbound_rule":
      return text(s.name) ?? text(s.displayPattern) ?? (text(s.pattern) ? patternText(s.pattern as string) : null);
    case "outbound_rule":
      return text(s.name) ?? (text(s.destinationPrefix) ? `${patternText(s.destinationPrefix as string)}…` : null);
    case "user":
      return text(s.email) ?? text(s.name);
    case "dead_letter":
      return text(s.callId) ? `Dead letter #${entry.entityId} (call ${s.callId as string})` : null;
    default:
      return text(s.name);
  }
}

/** Names of the entities that still exist, by id: for entries whose snapshot has none (sign-ins, member changes). */
export type NameLookup = (entityType: string, id: string) => string | null | undefined;

export function entityName(entry: AuditEntry, lookup: NameLookup): string {
  const id = entry.entityId;
  return recordedName(entry) ?? (id ? lookup(entry.entityType, id) : null) ?? (entry.entityType === "dead_letter" && id ? `Dead letter #${id}` : null) ?? id ?? entry.entityType;
}
