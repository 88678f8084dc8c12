// How fast one campaign places calls here, and what bounds it: a wrangler dev (own state) and
// the Cloudonix stand-in over HTTP, one campaign with limits far above what this machine can
// do (in progress, calls per minute), every contact answered (or, with --busy, every one busy:
// no voice request, no agent), and the placements the stand-in saw per minute.
//   npx tsx bench/campaign-rate.ts [--contacts 1500] [--limit 300] [--rate 6000] [--busy]
import { parseArgs } from "node:util";
import { drizzle } from "drizzle-orm/mysql2";
import { connect, databaseUrl } from "../scripts/lib/db";
import { workerEncryptionKey } from "../scripts/lib/encryption-key";
import { freePort } from "../scripts/lib/ports";
import { startStandIn } from "../scripts/lib/standin/server";
import { applyMigrations } from "../scripts/migrate";
import * as schema from "../workers/db/schema";
import { createTenantWithAdmin } from "../workers/db/repos/tenants";
import { startWorker } from "./lib/harness";

const { values } = parseArgs({ options: { contacts: { type: "string", default: "1500" }, limit: { type: "string", default: "300" }, rate: { type: "string", default: "6000" }, busy: { type: "boolean", default: false } } });
const CONTACTS = Number(values.contacts);
const url = databaseUrl();
await applyMigrations(url);
const standIn = await startStandIn({ port: await freePort(), behaviour: values.busy ? { answer: 0, busy: 1, noAnswer: 0, failed: 0, ringMs: [300, 600] } : { answer: 1, busy: 0, noAnswer: 0, failed: 0, ringMs: [300, 600], talkMs: [1_000, 2_000] } });
const worker = await startWorker({ vars: { CLOUDONIX_API_URL: standIn.url }, env: { CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: url } });
try {
  const unique = Math.random().toString(36).slice(2, 10);
  const domain = `rate-${unique}.cloudonix.test`;
  const connection = await connect(url);
  const tenant = await createTenantWithAdmin(drizzle(connection, { schema, mode: "default" }), {
    name: `Rate ${unique}`,
    cloudonixDomain: domain,
    adminEmail: `rate-${unique}@bench.local`,
    adminPassword: "bench-password-123",
    encryptionKey: workerEncryptionKey()!,
  });
  await connection.end();
  let token = "";
  const api = async (method: string, path: string, body?: unknown, type = "application/json") => {
    const res = await fetch(`${worker.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { "content-type": type } : {}) },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text);
  };
  token = (await api("POST", "/api/auth/login", { email: `rate-${unique}@bench.local`, password: "bench-password-123" })).token;
  await api("PUT", "/api/tenant", { cloudonixApiKey: `XI${unique}0123456789abcdef0123` });
  const urls = (await api("GET", "/api/tenant")).callbackUrls;
  await fetch(`${standIn.url}/__standin/domains/${domain}`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ profile: { "authorization-api-key": tenant.requestKey, "cdr-endpoint": urls.cdr } }) });
  const agents = [];
  for (let i = 0; i < 10; i++) agents.push(await api("POST", "/api/voice-agents", { name: `a${i}`, provider: "vapi", serviceValue: `+12125554${String(100 + i)}` }));
  const group = await api("POST", "/api/agent-groups", { name: "g", members: agents.map((a) => ({ agentId: a.id })) });
  const always = Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, [{ open: "00:00", close: "24:00" }]]));
  const once = { attempts: 1, spacingMinutes: 1 };
  const campaign = await api("POST", "/api/campaigns", {
    name: "rate",
    target: { type: "group", id: group.id },
    callerId: "+14155550100",
    callingWindow: always,
    maxConcurrent: Number(values.limit),
    callsPerMinute: Number(values.rate),
    retryPolicy: { busy: once, noAnswer: once, failed: once },
  });
  const csv = ["phone", ...Array.from({ length: CONTACTS }, (_, i) => `+1917${String(3_000_000 + i)}`)].join("\n");
  await api("PUT", `/api/campaigns/${campaign.id}/contacts`, csv, "text/csv");
  const started = Date.now();
  await api("POST", `/api/campaigns/${campaign.id}/start`);
  let peak = 0;
  for (;;) {
    const p = await api("GET", `/api/campaigns/${campaign.id}/progress`);
    peak = Math.max(peak, p.inProgress);
    if (p.status === "completed" || Date.now() - started > 600_000) break;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  const placed = standIn
    .calls(domain)
    .map((c) => c.placedAt)
    .sort((a, b) => a - b);
  // The steady part: from the 10th to the 90th percentile of placements.
  const from = placed[Math.floor(placed.length * 0.1)]!;
  const to = placed[Math.floor(placed.length * 0.9)]!;
  const steady = (0.8 * placed.length) / ((to - from) / 60_000);
  const stats = (await (await fetch(`${standIn.url}/__standin/stats?domain=${domain}`)).json()) as { maxLive: number };
  console.log(
    `[campaign-rate] ${placed.length} calls (${values.busy ? "all busy" : "all answered, 1-2 s talks"}) in ${((Date.now() - started) / 1000).toFixed(0)} s; steady ${steady.toFixed(0)} calls/min; peak ${peak} in progress (stand-in ${stats.maxLive}); limits ${values.limit} in progress, ${values.rate}/min`,
  );
} finally {
  await worker.stop();
  await standIn.close();
}
