// What one poison message costs the call-events queue, against `wrangler dev --log-level warn`.
// Each round puts N call events of real calls on the queue, alone (baseline) and with one
// message MySQL refuses (a record of a tenant that does not exist) in the middle, and times how
// long until every innocent record is in MySQL. It reports the ratio (poisoned / clean), how
// many innocent messages ended in dead_letters (must be 0) and when the poison was parked.
//   npx tsx bench/queue-poison.ts [--messages 300] [--rounds 3]
import { parseArgs } from "node:util";
import type { RowDataPacket } from "mysql2";
import { connect, databaseUrl } from "../scripts/lib/db";
import type { CallEventMessage } from "../workers/queue/messages";
import { startWorker } from "./lib/harness";
import { seedBenchTenant } from "./lib/seed";

const { values } = parseArgs({ options: { messages: { type: "string", default: "300" }, rounds: { type: "string", default: "3" } } });
const count = Math.max(10, Math.min(2_000, Number(values.messages)));
const rounds = Math.max(1, Math.min(9, Number(values.rounds)));

const tenant = await seedBenchTenant("poison", 1, 1);
const db = await connect(databaseUrl());
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function callEvent(tenantId: string, callId: string): CallEventMessage {
  const now = Date.now();
  return {
    kind: "call_event",
    tenantId,
    callId,
    seq: 1,
    type: "call.started",
    at: now,
    data: { bench: true },
    record: {
      recordId: `cal_${callId.slice(-22)}`,
      direction: "inbound",
      fromNumber: "14155550100",
      toNumber: "18005550199",
      callerName: null,
      status: "routing",
      disposition: null,
      endReason: null,
      ruleId: null,
      groupId: null,
      agentId: null,
      trunkId: null,
      attempts: [],
      decision: null,
      startedAt: now,
      answeredAt: null,
      endedAt: null,
      durationSec: null,
      billableSec: null,
    },
  };
}

async function countStored(callIds: string[]): Promise<number> {
  const [rows] = await db.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM call_records WHERE tenant_id = ? AND call_id IN (?)", [tenant.tenantId, callIds]);
  return Number(rows[0]!.n);
}

async function lettersFor(callIds: string[]): Promise<number> {
  const [rows] = await db.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM dead_letters WHERE call_id IN (?)", [callIds]);
  return Number(rows[0]!.n);
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<number | null> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (await check()) return performance.now() - started;
    await sleep(25);
  }
  return null;
}

const worker = await startWorker();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
try {
  const clean: number[] = [];
  const poisoned: number[] = [];
  const parkedAfter: number[] = [];
  let innocentLetters = 0;
  for (let round = 0; round < rounds; round++) {
    for (const withPoison of [false, true]) {
      const tag = `${Date.now().toString(36)}${round}${withPoison ? "p" : "c"}`;
      const callIds = Array.from({ length: count }, (_, i) => `bench-${tag}-${i}`);
      const bodies: unknown[] = callIds.map((id) => callEvent(tenant.tenantId, id));
      const poisonId = `bench-${tag}-poison`;
      if (withPoison) bodies.splice(Math.floor(count / 2), 0, callEvent(`ten_missing_${tag}`, poisonId));
      const res = await fetch(`${worker.url}/__bench/enqueue`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(bodies) });
      if (!res.ok) throw new Error(`enqueue failed: ${res.status} ${await res.text()}`);
      const took = await waitFor(async () => (await countStored(callIds)) === count, 60_000);
      if (took === null) throw new Error(`round ${round}: the innocent records were not all stored within 60 s`);
      (withPoison ? poisoned : clean).push(took);
      if (withPoison) {
        const parked = await waitFor(async () => (await lettersFor([poisonId])) === 1, 90_000);
        if (parked === null) throw new Error(`round ${round}: the poison was never parked`);
        parkedAfter.push(took + parked);
        innocentLetters += await lettersFor(callIds);
      }
    }
  }
  const ratios = clean.map((c, i) => poisoned[i]! / c);
  console.log(`[bench] ${count} call events on the queue, ${rounds} rounds, clean vs one poison among them`);
  console.log(`  innocent records stored: clean ${median(clean).toFixed(0)} ms, with a poison ${median(poisoned).toFixed(0)} ms; ratio ${median(ratios).toFixed(2)} (rounds ${ratios.map((r) => r.toFixed(2)).join(", ")})`);
  console.log(`  innocent messages in dead_letters: ${innocentLetters} (must be 0); poison parked after ${median(parkedAfter).toFixed(0)} ms (3 tries, 5 s apart)`);
} finally {
  await worker.stop();
  await db.end();
}
