// Configuration API benchmark: listing 1,000 voice agents and replacing a 1,000-member group,
// each as a ratio against GET /api/health measured in the same run on the same wrangler dev.
//   npx tsx bench/config-api.ts [--quick] [--keep]
// Seeds a fresh tenant in the dev database (cxlb) and deletes it afterwards unless --keep.
import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/mysql2";
import * as schema from "../workers/db/schema";
import { createTenantWithAdmin } from "../workers/db/repos/tenants";
import { newId } from "../workers/lib/ids";
import { connect, databaseUrl } from "../scripts/lib/db";
import { closedLoop, formatResult, ratioLine, startWorker, type LoadResult } from "./lib/harness";

const { values: flags } = parseArgs({ options: { quick: { type: "boolean", default: false }, keep: { type: "boolean", default: false } } });
const scale = flags.quick ? 0.25 : 1;
const n = (count: number) => Math.max(4, Math.round(count * scale));

const AGENTS = 1000;
const GROUPS = 4;
const PASSWORD = "bench-password-123456";

async function seed() {
  const connection = await connect(databaseUrl());
  const db = drizzle(connection, { schema, mode: "default" });
  const unique = `cfgbench-${Date.now().toString(36)}`;
  const email = `${unique}@bench.local`;
  const tenant = await createTenantWithAdmin(db, { name: `Bench ${unique}`, cloudonixDomain: `${unique}.bench.local`, adminEmail: email, adminPassword: PASSWORD });
  const agents = Array.from({ length: AGENTS }, (_, i) => ({
    id: newId("agt"),
    tenantId: tenant.tenantId,
    name: `Agent ${String(i).padStart(4, "0")}`,
    provider: ["retell", "vapi", "elevenlabs", "synthflow"][i % 4]!,
    serviceValue: `+1646${String(i).padStart(7, "0")}`,
    weight: (i % 5) + 1,
    tags: i % 2 ? ["sales", "us"] : ["support"],
  }));
  for (let i = 0; i < agents.length; i += 250) await db.insert(schema.voiceAgents).values(agents.slice(i, i + 250));
  const groups = Array.from({ length: GROUPS }, (_, i) => ({ id: newId("grp"), tenantId: tenant.tenantId, name: `Group ${i}` }));
  await db.insert(schema.agentGroups).values(groups);
  await connection.end();
  return { tenantId: tenant.tenantId, email, agentIds: agents.map((a) => a.id), groupIds: groups.map((g) => g.id) };
}

async function removeTenant(tenantId: string) {
  const connection = await connect(databaseUrl());
  await drizzle(connection, { schema, mode: "default" }).delete(schema.tenants).where(eq(schema.tenants.id, tenantId));
  await connection.end();
}

const seeded = await seed();
console.log(`[bench] tenant ${seeded.tenantId}: ${AGENTS} agents, ${GROUPS} groups`);
const worker = await startWorker();
const results: Record<string, LoadResult> = {};
try {
  const login = await fetch(`${worker.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: seeded.email, password: PASSWORD }),
  });
  if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const { token } = (await login.json()) as { token: string };
  const auth = { authorization: `Bearer ${token}` };
  const get = (path: string) => () => fetch(`${worker.url}${path}`, { headers: auth });
  const members = seeded.agentIds.map((agentId, i) => ({ agentId, priority: i % 10, weight: i % 7 === 0 ? 3 : null }));
  const putMembers = (groupId: string, rotate: number) =>
    fetch(`${worker.url}/api/agent-groups/${groupId}/members`, {
      method: "PUT",
      headers: { ...auth, "content-type": "application/json" },
      // Rotate the order each time so every request really changes the list.
      body: JSON.stringify({ members: [...members.slice(rotate % AGENTS), ...members.slice(0, rotate % AGENTS)] }),
    });
  const expectCount = (count: number) => (_res: Response, body: string) => {
    const items = (JSON.parse(body) as { items: unknown[] }).items.length;
    return items === count ? null : `expected ${count} items, got ${items}`;
  };
  const walkAll = async (): Promise<Response> => {
    let cursor: string | null = null;
    let total = 0;
    do {
      const res: Response = await fetch(`${worker.url}/api/voice-agents?limit=100${cursor ? `&cursor=${cursor}` : ""}`, { headers: auth });
      if (!res.ok) return res;
      const page = (await res.json()) as { items: unknown[]; nextCursor: string | null };
      total += page.items.length;
      cursor = page.nextCursor;
    } while (cursor);
    return new Response(JSON.stringify({ items: Array.from({ length: total }) }));
  };

  const run = async (key: string, result: Promise<LoadResult>) => {
    results[key] = await result;
    console.log(formatResult(results[key]!));
  };
  console.log("[bench] measuring (closed loop, Node fetch)");
  await run("health10", closedLoop({ label: "GET /api/health", requests: n(400), concurrency: 10, send: get("/api/health") }));
  await run("list1000", closedLoop({ label: "GET /api/voice-agents?limit=1000 (1,000 agents)", requests: n(60), concurrency: 10, send: get("/api/voice-agents?limit=1000"), check: expectCount(AGENTS) }));
  await run("page100", closedLoop({ label: "GET /api/voice-agents?limit=100 (first page)", requests: n(200), concurrency: 10, send: get("/api/voice-agents?limit=100&sort=createdAt"), check: expectCount(100) }));
  await run("walk", closedLoop({ label: "walk 1,000 agents in 10 cursor pages", requests: n(20), concurrency: 10, send: walkAll, check: expectCount(AGENTS) }));
  await run("health1", closedLoop({ label: "GET /api/health", requests: n(200), concurrency: 1, send: get("/api/health") }));
  await run("members1", closedLoop({ label: "PUT /agent-groups/{id}/members (1,000 members)", requests: n(30), concurrency: 1, warmup: 2, send: (i) => putMembers(seeded.groupIds[0]!, i + 7) }));
  await run("health4", closedLoop({ label: "GET /api/health", requests: n(300), concurrency: 4, send: get("/api/health") }));
  await run("members4", closedLoop({ label: "PUT members (1,000), 4 groups in parallel", requests: n(40), concurrency: 4, warmup: 4, send: (i) => putMembers(seeded.groupIds[i % GROUPS]!, i + 13) }));

  const check = await fetch(`${worker.url}/api/agent-groups/${seeded.groupIds[0]}`, { headers: auth });
  const group = (await check.json()) as { memberCount: number };
  if (group.memberCount !== AGENTS) throw new Error(`group has ${group.memberCount} members after the bench, expected ${AGENTS}`);

  console.log("\n[bench] ratios against GET /api/health in the same run");
  console.log(ratioLine(results.list1000!, results.health10!));
  console.log(ratioLine(results.page100!, results.health10!));
  console.log(ratioLine(results.walk!, results.health10!));
  console.log(ratioLine(results.members1!, results.health1!));
  console.log(ratioLine(results.members4!, results.health4!));
  const failed = Object.values(results).filter((r) => r.errors > 0);
  if (failed.length) {
    console.error(`[bench] ${failed.length} load(s) had errors`);
    process.exitCode = 1;
  }
} finally {
  await worker.stop();
  if (!flags.keep) await removeTenant(seeded.tenantId);
}
