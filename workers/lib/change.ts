import type { Context } from "hono";
import { log } from "./log";
import type { AppEnv } from "../app-env";
import { insertAudit } from "../db/repos/audit-log";
import { isLockConflict, type Executor } from "../db/executor";
import { bumpConfigVersion, lockTenantConfig, markConfigChanged, type ConfigChange } from "../routing/config-changed";
import type { AuditActor, AuditContext, AuditEntry } from "./audit";
import type { AuthContext } from "../middleware/auth";
import { clientIp } from "./client-ip";
import { emitConfigChanged } from "../integrations/config-events";
import { CHANGES_TARGET_ACCOUNTS, refreshCampaignAccounts } from "../campaigns/account-refresh";

/** Collects the audit entries of one change; they are written inside its transaction. */
export class AuditTrail {
  readonly entries: AuditEntry[] = [];

  constructor(
    private readonly entity: ConfigChange["entity"],
    private readonly action: ConfigChange["action"],
  ) {}

  /** action defaults to "<entity>.<action>", e.g. "voice_agent.updated". */
  record(entityId: string, before: unknown, after: unknown, action = `${this.entity}.${this.action}`): void {
    this.entries.push({ action, entityType: this.entity, entityId, before: before ?? null, after: after ?? null });
  }
}

export function auditContext(c: Context<AppEnv>): AuditContext {
  const auth = c.get("auth");
  return { tenantId: auth.tenantId, actor: actorOf(auth), ip: clientIp(c) };
}

/** The audit log's actor: the user, or the API key (its id and name, no user). */
export function actorOf(auth: AuthContext): AuditActor {
  return auth.kind === "api_key" ? { userId: null, email: null, apiKeyId: auth.keyId, apiKeyName: auth.keyName } : { userId: auth.userId, email: auth.email };
}

/** A short, human name of who acted, for columns like dead_letters.resolved_by. */
export const actorLabel = (auth: AuthContext): string => (auth.kind === "api_key" ? `API key "${auth.keyName}" (${auth.keyId})` : auth.email);

const MAX_ATTEMPTS = 3;

/**
 * Runs one configuration change: `work`, its audit entries and the tenant's config version
 * bump in a single transaction, then, once committed, the routing hook (markConfigChanged) that
 * republishes the snapshot so the change reaches calls within seconds. The version is part of
 * the commit, so routing can never miss a committed change; the republish runs after it,
 * because routing must never see uncommitted data, and if it fails routing still catches up
 * from MySQL (see markConfigChanged). A transaction that loses a deadlock is run again (up to
 * 3 times), so `work` must only depend on what it reads.
 */
export async function commitChange<T>(c: Context<AppEnv>, change: Pick<ConfigChange, "entity" | "action">, work: (tx: Executor, audit: AuditTrail) => Promise<T>): Promise<T> {
  const services = c.get("services");
  const db = await services.db();
  const context = auditContext(c);
  let trail = new AuditTrail(change.entity, change.action);
  let result: T;
  for (let attempt = 1; ; attempt++) {
    trail = new AuditTrail(change.entity, change.action);
    try {
      result = await db.transaction(async (tx) => {
        await lockTenantConfig(tx, context.tenantId);
        const value = await work(tx, trail);
        await insertAudit(tx, context, trail.entries);
        // A change that recorded nothing changed nothing: routing keeps its version.
        if (trail.entries.length > 0) await bumpConfigVersion(tx, context.tenantId);
        return value;
      });
      break;
    } catch (err) {
      // InnoDB resolves a deadlock by rolling one transaction back; running it again is safe.
      if (attempt >= MAX_ATTEMPTS || !isLockConflict(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 20));
    }
  }
  if (trail.entries.length > 0) {
    const ids = [...new Set(trail.entries.map((entry) => entry.entityId).filter((id): id is string => id !== null))];
    try {
      await markConfigChanged(services, context.tenantId, { ...change, ids });
    } catch (err) {
      log.error("config.mark_changed_failed", { entity: change.entity, action: change.action, error: err });
    }
    // Event webhooks that take config.changed hear of it, off the answer's path.
    services.background(emitConfigChanged(services, context.tenantId, { ...change, ids }, context.actor));
    // Campaigns under way pace by their agents' provider accounts: they hear of a change to them.
    if (CHANGES_TARGET_ACCOUNTS.has(change.entity)) services.background(refreshCampaignAccounts(services, context.tenantId));
  }
  return result;
}
