import { and, eq } from "drizzle-orm";
import { log } from "../lib/log";
import { callRecords } from "../db/schema";
import type { Services } from "../services";

/*
 * Which call a Cloudonix numeric session id (SessionData.id) belongs to. Some senders name a
 * session update or CDR by that id alone, without the token our CallSession is named by. The
 * voice request carries both, so the pair is written to Upstash when the call is routed (read
 * at once by any isolate), and into the call's record (MySQL, a second source that outlives it).
 */

/** Cloudonix sends the last callbacks of a call within hours; two days is plenty. */
const TTL_SECONDS = 2 * 24 * 3600;
const key = (tenantId: string, id: number) => `cxsid:${tenantId}:${id}`;

/** After the answer, off the call's path; a failure only leaves MySQL to answer the lookup. */
export function rememberSessionId(services: Services, tenantId: string, id: number | null, callKey: string): void {
  const redis = services.redis;
  if (!redis || id === null) return;
  services.background(redis.set(key(tenantId, id), callKey, { ex: TTL_SECONDS }).catch((err: Error) => log.warn("session_index.remember_failed", { sessionId: id, error: err })));
}

export async function callKeyForSessionId(services: Services, tenantId: string, id: number): Promise<string | null> {
  if (services.redis) {
    try {
      const found = await services.redis.get<string>(key(tenantId, id));
      if (typeof found === "string" && found) return found;
    } catch (err) {
      log.warn("session_index.upstash_unavailable", { action: "asking MySQL", error: err });
    }
  }
  const db = await services.db();
  const [row] = await db
    .select({ callId: callRecords.callId })
    .from(callRecords)
    .where(and(eq(callRecords.tenantId, tenantId), eq(callRecords.cxSessionId, id)))
    .limit(1);
  return row?.callId ?? null;
}
