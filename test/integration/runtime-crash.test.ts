import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RowDataPacket } from "mysql2";
import { afterAll, describe, it } from "vitest";
import { startWorker, type Worker } from "../../bench/lib/harness";
import { seedBenchTenant, type BenchTenant } from "../../bench/lib/seed";
import { connect, databaseUrl } from "../../scripts/lib/db";
import { newSessionToken, voiceBody } from "../../scripts/lib/cloudonix-sim";
import { applyMigrations } from "../../scripts/migrate";

/*
 * The local runtime killed (SIGKILL to wrangler and workerd) right after a burst of answered
 * calls, while their events still sit in the local queue's memory, then started again on the
 * same state: every answered call's record must reach MySQL, settled by its own CallSession.
 */

const CALLS = 60;
const SETTLE_SECONDS = 3;
// On tmpfs when there is one: the local runtime syncs every Durable Object's SQLite file to disk.
const state = mkdtempSync(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "cxlb-crash-"));
let worker: Worker | undefined;

async function answeredCall(url: string, tenant: BenchTenant): Promise<string> {
  const session = newSessionToken();
  const body = voiceBody({ baseUrl: url, domain: tenant.domain, requestKey: tenant.requestKey }, { from: "+14155550100", to: tenant.dialled }, session);
  const headers = { "content-type": "application/json", authorization: `Bearer ${tenant.requestKey}` };
  const routed = await fetch(`${url}/api/webhooks/voice-application`, { method: "POST", headers, body: JSON.stringify(body) });
  if (routed.status !== 200) throw new Error(`route: ${routed.status} ${await routed.text()}`);
  await routed.text();
  const done = await fetch(`${url}/api/webhooks/voice-application/dial-result?attempt=1`, { method: "POST", headers, body: JSON.stringify({ ...body, DialCallStatus: "completed", DialCallDuration: "1" }) });
  if (done.status !== 200) throw new Error(`dial result: ${done.status} ${await done.text()}`);
  await done.text();
  return session;
}

async function storedCompleted(tenantId: string, callIds: string[]): Promise<number> {
  const db = await connect(databaseUrl());
  try {
    const [rows] = await db.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM call_records WHERE tenant_id = ? AND call_id IN (?) AND status = 'completed'", [tenantId, callIds]);
    return Number(rows[0]!.n);
  } finally {
    await db.end();
  }
}

/** How many of these calls have every event an answered call makes stored: started, attempt, answered, ended. */
async function withAllEvents(tenantId: string, callIds: string[]): Promise<number> {
  const db = await connect(databaseUrl());
  try {
    const [rows] = await db.query<RowDataPacket[]>(
      "SELECT COUNT(*) AS n FROM (SELECT call_id FROM call_events WHERE tenant_id = ? AND call_id IN (?) AND type IN ('call.started', 'call.attempt_started', 'call.answered', 'call.ended') GROUP BY call_id HAVING COUNT(DISTINCT type) = 4) AS complete",
      [tenantId, callIds],
    );
    return Number(rows[0]!.n);
  } finally {
    await db.end();
  }
}

describe("a crash of the local runtime under load", () => {
  afterAll(async () => {
    await worker?.stop();
    rmSync(state, { recursive: true, force: true });
  });

  it("loses no answered call's record or event: each call settles them from its own stored state after the restart", async ({ expect }) => {
    await applyMigrations(databaseUrl());
    const tenant = await seedBenchTenant("crash", 1, 3);
    const vars = { CALL_SETTLE_SECONDS: String(SETTLE_SECONDS) };
    worker = await startWorker({ persistTo: state, vars });
    const callIds: string[] = [];
    for (let i = 0; i < CALLS; i += 20) callIds.push(...(await Promise.all(Array.from({ length: Math.min(20, CALLS - i) }, () => answeredCall(worker!.url, tenant)))));
    await worker.crash();
    const beforeRestart = await storedCompleted(tenant.tenantId, callIds);
    const eventsBefore = await withAllEvents(tenant.tenantId, callIds);
    console.log(`[crash] before the restart: ${eventsBefore} of ${CALLS} calls had all their events stored`);

    worker = await startWorker({ persistTo: state, vars });
    const deadline = Date.now() + 60_000;
    let stored = 0;
    let complete = 0;
    while (Date.now() < deadline && ((stored = await storedCompleted(tenant.tenantId, callIds)) < CALLS || (complete = await withAllEvents(tenant.tenantId, callIds)) < CALLS)) await new Promise((r) => setTimeout(r, 500));
    console.log(`[crash] ${CALLS} answered calls: ${beforeRestart} records stored before the crash, ${stored} after the restart, ${complete} with all four events`);
    expect(stored).toBe(CALLS);
    expect(complete).toBe(CALLS);
  });
});
