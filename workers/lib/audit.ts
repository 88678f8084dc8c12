/*
 * What the audit log stores about a change. `before`/`after` are the public representations
 * of the entity (what the API returns, so secrets are already reduced to flags like
 * hasPassword); redact() is a second line of defence for anything that slips through.
 */

/** A user (id and email), or an API key (id and name), or nobody (a failed sign-in's unknown account). */
export interface AuditActor {
  userId: string | null;
  email: string | null;
  apiKeyId?: string | null;
  apiKeyName?: string | null;
}

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
}

export interface AuditContext {
  tenantId: string;
  actor: AuditActor;
  ip: string | null;
}

const SECRET_KEY = /pass(word)?|secret|token|api[-_]?key|request[-_]?key|hash|credential/i;
/** Flags, hints and ids that describe a secret without revealing it stay readable (apiKeyId names a key, it is not one). */
const SAFE_KEY = /^has[A-Z]|Hint$|RotatedAt$|Changed$|Id$/;
export const REDACTED = "[redacted]";

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) && !SAFE_KEY.test(key) && item !== null && item !== undefined ? REDACTED : redact(item, depth + 1);
  }
  return out;
}
