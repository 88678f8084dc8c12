import * as schema from "../../../workers/db/schema";
import { newId } from "../../../workers/lib/ids";
import type { CallEventMessage } from "../../../workers/queue/messages";
import { storeCallEvents } from "../../../workers/queue/store";
import { callMessage, callRecordState, newTestCallId, type CallSpec } from "./call-messages";
import { withDb } from "./db";
import { createTenantFixture, type TenantFixture } from "./fixtures";

/** A signed-in tenant (admin + viewer) with agents in two groups, ready for stored call records. */
export interface RecordsFixture extends TenantFixture {
  agents: string[];
  groups: string[];
  ruleId: string;
}

export async function createRecordsFixture(options: { agents?: number; timezone?: string } = {}): Promise<RecordsFixture> {
  const t = await createTenantFixture("rec");
  const agents = Array.from({ length: options.agents ?? 4 }, () => newId("agt"));
  const groups = [newId("grp"), newId("grp")];
  const ruleId = newId("irl");
  await withDb(async (db) => {
    if (options.timezone) {
      const { eq } = await import("drizzle-orm");
      await db.update(schema.tenants).set({ timezone: options.timezone }).where(eq(schema.tenants.id, t.tenantId));
    }
    await db.insert(schema.voiceAgents).values(agents.map((id, i) => ({ id, tenantId: t.tenantId, name: `Agent ${i + 1}`, provider: "retell", serviceValue: `+1212555${1000 + i}`, weight: i === 0 ? 2 : 1 })));
    await db.insert(schema.agentGroups).values([
      { id: groups[0]!, tenantId: t.tenantId, name: "A group", strategy: "round_robin" },
      { id: groups[1]!, tenantId: t.tenantId, name: "B group", strategy: "priority" },
    ]);
    await db.insert(schema.agentGroupMembers).values(agents.map((agentId, i) => ({ groupId: groups[i % 2]!, agentId, tenantId: t.tenantId, position: i, priority: i < 2 ? 0 : 1 })));
    await db.insert(schema.inboundRoutingRules).values({ id: ruleId, tenantId: t.tenantId, name: "Main line", pattern: `1800${Math.floor(Math.random() * 1e6)}*`, matchType: "prefix", targetType: "group", targetId: groups[0]! });
  });
  return { ...t, agents, groups, ruleId };
}

export interface StoredCall {
  callId: string;
  recordId: string;
  spec: CallSpec;
  message: CallEventMessage;
}

/** Stores ended (or live) calls through the queue consumer's store, rollups included. */
export async function storeCalls(tenantId: string, specs: CallSpec[]): Promise<StoredCall[]> {
  const calls = specs.map((spec) => {
    const callId = newTestCallId();
    const record = callRecordState(spec);
    return { callId, recordId: record.recordId, spec, message: callMessage(tenantId, callId, 3, record) };
  });
  await withDb(async (db) => {
    for (let i = 0; i < calls.length; i += 200)
      await storeCallEvents(
        db,
        calls.slice(i, i + 200).map((c) => c.message),
      );
  });
  return calls;
}

/** A deterministic pseudo-random generator, so a failing case can be replayed. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
