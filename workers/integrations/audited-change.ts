import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { insertAudit } from "../db/repos/audit-log";
import type { Executor } from "../db/executor";
import type { AuditEntry } from "../lib/audit";
import { auditContext } from "../lib/change";
import { endpointUrlProblem } from "./endpoint-url";
import { AppError } from "../lib/errors";

/*
 * Changes to event webhooks and alert rules: the write and its audit entries in one
 * transaction. Unlike routing configuration (lib/change.ts) they do not bump the tenant's
 * configuration version nor republish the routing snapshot: calls never read them.
 */

export async function commitAudited<T>(c: Context<AppEnv>, work: (tx: Executor, audit: (entry: AuditEntry) => void) => Promise<T>): Promise<T> {
  const db = await c.get("services").db();
  const context = auditContext(c);
  return db.transaction(async (tx) => {
    const entries: AuditEntry[] = [];
    const value = await work(tx, (entry) => entries.push(entry));
    await insertAudit(tx, context, entries);
    return value;
  });
}

/**
 * Production's rule for a URL we will POST to (https, public addresses only), as a field error
 * like the schema's own; development and tests accept a local receiver.
 */
export function assertDeliverableUrl(c: Context<AppEnv>, url: string, field: string): void {
  const problem = endpointUrlProblem(url, { production: c.get("config").environment === "production" });
  if (problem) throw new AppError(400, "VALIDATION_FAILED", `The request body is not valid (${field}: ${problem})`, [{ path: field, message: problem }]);
}
