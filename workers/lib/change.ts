import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { insertAudit } from "../db/repos/audit-log";
import type { Executor } from "../db/executor";
import { markConfigChanged, type ConfigChange } from "../routing/config-changed";
import type { AuditContext, AuditEntry } from "./audit";
import { clientIp } from "./client-ip";

/** Collects the audit entries of one change; they are written inside its transaction. */
export class AuditTrail {
  readonly entries: AuditEntry[] = [];

  constructor(private readonly entity: ConfigChange["entity"], private readonly action: ConfigChange["action"]) {}

  /** action defaults to "<entity>.<action>", e.g. "voice_agent.updated". */
  record(entityId: string, before: unknown, after: unknown, action = `${this.entity}.${this.action}`): void {
    this.entries.push({ action, entityType: this.entity, entityId, before: before ?? null, after: after ?? null });
  }
}

export function auditContext(c: Context<AppEnv>): AuditContext {
  const auth = c.get("auth");
  return { tenantId: auth.tenantId, actor: { userId: auth.userId, email: auth.email }, ip: clientIp(c) };
}

const MAX_ATTEMPTS = 3;

/** Deadlock (1213) or lock wait timeout (1205). */
function isTransient(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const errno = (e as Error & { errno?: number }).errno;
    if (errno === 1213 || errno === 1205) return true;
  }
  return false;
}

/**
 * Runs one configuration change: `work` and its audit entries in a single transaction, then,
 * once committed, the routing hook (markConfigChanged) so the change reaches calls within
 * seconds. The hook runs after the commit on purpose: routing must never see uncommitted
 * data. If the hook fails, the change still stands (it is committed); the failure is logged
 * and routing catches up with the next change or snapshot refresh. A transaction that loses
 * a deadlock is run again (up to 3 times), so `work` must only depend on what it reads.
 */
export async function commitChange<T>(
  c: Context<AppEnv>,
  change: Pick<ConfigChange, "entity" | "action">,
  work: (tx: Executor, audit: AuditTrail) => Promise<T>,
): Promise<T> {
  const services = c.get("services");
  const db = await services.db();
  const context = auditContext(c);
  let trail = new AuditTrail(change.entity, change.action);
  let result: T;
  for (let attempt = 1; ; attempt++) {
    trail = new AuditTrail(change.entity, change.action);
    try {
      result = await db.transaction(async (tx) => {
        const value = await work(tx, trail);
        await insertAudit(tx, context, trail.entries);
        return value;
      });
      break;
    } catch (err) {
      // InnoDB resolves a deadlock by rolling one transaction back; running it again is safe.
      if (attempt >= MAX_ATTEMPTS || !isTransient(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 20));
    }
  }
  if (trail.entries.length > 0) {
    const ids = [...new Set(trail.entries.map((entry) => entry.entityId).filter((id): id is string => id !== null))];
    try {
      await markConfigChanged(services, context.tenantId, { ...change, ids });
    } catch (err) {
      console.error(`[${c.get("requestId")}] markConfigChanged failed after a committed ${change.entity} change:`, err);
    }
  }
  return result;
}
