// Analytics, records, exports and live-event benchmarks against the tenant made by
// bench/analytics-generate.ts (1,000,000 records over 30 days by default), through
// `wrangler dev` on a bundled build (bench/lib/harness.ts). Targets: summary ≤ 300 ms, filtered page
// ≤ 100 ms, 100,000-row export ≤ 10 s, webhook-to-socket ≤ 100 ms.
//
//   npx tsx bench/analytics-generate.ts        (once; a few minutes)
//   npx tsx bench/analytics.ts [--state .wrangler/bench-analytics.json] [--quick]
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import WebSocket from "ws";
import { closedLoop, formatResult, startWorker, type LoadResult } from "./lib/harness";
import type { AnalyticsBenchState } from "./analytics-generate";

const { values } = parseArgs({ options: { state: { type: "string", default: ".wrangler/bench-analytics.json" }, quick: { type: "boolean", default: false } } });
const state = JSON.parse(readFileSync(values.state!, "utf8")) as AnalyticsBenchState;
const N = values.quick ? 10 : 40;
const DAY = 86_400_000;

const figures: { what: string; value: string; target: string; ok: boolean }[] = [];
const record = (what: string, ms: number, target: number, unit = "ms") => figures.push({ what, value: `${ms.toFixed(1)} ${unit}`, target: `≤ ${target} ${unit}`, ok: ms <= target });

// A bundled build: wrangler dev on the sources would reload whenever someone edits the tree.
// Worker logs (the export job's time split) are copied to stderr.
const worker = await startWorker({ vars: { ENVIRONMENT: "development" }, echoLogs: true });
try {
  const login = await fetch(`${worker.url}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": "10.9.9.9" }, body: JSON.stringify(state.viewer) });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const token = ((await login.json()) as { token: string }).token;
  const auth = { authorization: `Bearer ${token}` };
  const get = (path: string) => fetch(`${worker.url}${path}`, { headers: auth });
  const iso = (ms: number) => new Date(ms).toISOString();
  const run = async (label: string, path: (i: number) => string, requests = N): Promise<LoadResult> => {
    const result = await closedLoop({ label, requests, concurrency: 1, warmup: 2, send: (i) => get(path(i)) });
    console.log(formatResult(result));
    if (result.errors) throw new Error(`${label}: ${result.errorSamples.join(" | ")}`);
    return result;
  };

  console.log(`\ntenant ${state.tenantId}: ${state.records.toLocaleString()} records over ${((state.to - state.from) / DAY).toFixed(0)} days (${state.timezone})\n`);

  // --- Summary -------------------------------------------------------------------------------
  const monthDays = await run("summary: 30 days by day", () => `/api/analytics/summary?since=${iso(state.from)}&until=${iso(state.to)}&interval=day`);
  record("summary, 30 days, daily series (p50)", monthDays.p50, 300);
  record("summary, 30 days, daily series (p99)", monthDays.p99, 300);
  const ragged = await run("summary: 30 days by hour, ragged ends", () => `/api/analytics/summary?since=${iso(state.from + 123_457)}&until=${iso(state.to - 654_321)}&interval=hour`);
  record("summary, 30 days, hourly series, ragged range (p50)", ragged.p50, 300);
  const filtered = await run("summary: 30 days, one group", () => `/api/analytics/summary?since=${iso(state.from)}&until=${iso(state.to)}&groupId=${state.groups[1]}`);
  record("summary, 30 days, one group (p50)", filtered.p50, 300);
  const today = await run("summary: last 24 hours (default)", () => `/api/analytics/summary`);
  record("summary, last 24 h (p50)", today.p50, 300);

  // --- Filtered pages ------------------------------------------------------------------------
  const week = `since=${iso(state.to - 7 * DAY)}&until=${iso(state.to)}`;
  const pages: [string, string][] = [
    ["page: 7 days, completed, one agent", `${week}&status=completed&agentId=${state.agents[3]}&limit=50`],
    ["page: 30 days, failed or timeout, inbound", `status=failed,timeout&direction=inbound&limit=50`],
    ["page: caller prefix +1415", `caller=%2B1415&limit=50`],
    // Suffix search: a range on the reversed number's index, whatever the table's size.
    ["page: callee ends with 5550", `callee=5550&calleeMatch=suffix&limit=50`],
    ["page: caller ends with 0100", `caller=0100&callerMatch=suffix&limit=50`],
    ["page: one group, by duration desc", `groupId=${state.groups[0]}&${week}&sort=durationSec&order=desc&limit=50`],
  ];
  const firstPages = new Map<string, LoadResult>();
  for (const [label, query] of pages) {
    const first = await get(`/api/call-records?${query}`);
    const body = (await first.json()) as { items: unknown[]; nextCursor: string | null };
    const cursor = body.nextCursor;
    console.log(`${label}: ${body.items.length} records on the first page${cursor ? ", more after" : ""}`);
    const firstPage = await run(`${label} (first page)`, () => `/api/call-records?${query}`);
    firstPages.set(label, firstPage);
    record(`${label}, first page (p50)`, firstPage.p50, 100);
    if (cursor) {
      const second = await run(`${label} (next page)`, () => `/api/call-records?${query}&cursor=${cursor}`);
      record(`${label}, next page (p50)`, second.p50, 100);
    }
  }
  // Suffix against prefix search, both measured in this run (the machine's speed drifts).
  const prefix = firstPages.get("page: caller prefix +1415")!.p50;
  for (const label of ["page: callee ends with 5550", "page: caller ends with 0100"]) {
    const suffix = firstPages.get(label)!.p50;
    console.log(`${label}: p50 ${suffix.toFixed(1)} ms = ${(suffix / prefix).toFixed(2)}× the caller prefix search's ${prefix.toFixed(1)} ms`);
  }
  // "contains" has no index: it is allowed over at most 31 days and scans the period's calls.
  const containsWeek = await run("page: callee contains 5550, last 7 days (scans the period)", () => `/api/call-records?callee=5550&calleeMatch=contains&${week}&limit=50`, Math.min(N, 10));
  const containsMonth = await run("page: callee contains 5550, 30 days (scans the period)", () => `/api/call-records?callee=5550&calleeMatch=contains&since=${iso(state.from)}&until=${iso(state.to)}&limit=50`, Math.min(N, 10));
  console.log(`contains 5550: p50 ${containsWeek.p50.toFixed(0)} ms over 7 days, ${containsMonth.p50.toFixed(0)} ms over 30 days (no target: it grows with the period's calls)`);

  // --- Export of 100,000 rows ------------------------------------------------------------------
  const span = (100_000 / state.records) * (state.to - state.from);
  const exportFilters = { since: iso(state.to - span * 1.02), until: iso(state.to) };
  const startedExport = performance.now();
  const created = await fetch(`${worker.url}/api/call-records/export`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ format: "csv", filters: exportFilters }) });
  if (created.status !== 202) throw new Error(`export: ${created.status} ${await created.text()}`);
  const job = (await created.json()) as { id: string; totalRows: number };
  let status: { status: string; rowCount: number; downloadUrl: string | null; sizeBytes: number | null; error: string | null } = { status: "queued", rowCount: 0, downloadUrl: null, sizeBytes: null, error: null };
  for (let i = 0; i < 1_200 && status.status !== "done" && status.status !== "failed"; i++) {
    await new Promise((r) => setTimeout(r, 100));
    status = (await (await get(`/api/exports/${job.id}`)).json()) as typeof status;
  }
  const exportMs = performance.now() - startedExport;
  if (status.status !== "done") throw new Error(`export ended ${status.status}: ${status.error}`);
  const file = await fetch(`${worker.url}${status.downloadUrl}`);
  const text = await file.text();
  const lines = text.split("\r\n").filter(Boolean).length - 1;
  const downloadMs = performance.now() - startedExport - exportMs;
  console.log(
    `export: ${job.totalRows.toLocaleString()} rows matched, ${status.rowCount.toLocaleString()} written, ${lines.toLocaleString()} CSV lines, ${(status.sizeBytes! / 1e6).toFixed(1)} MB in ${(exportMs / 1000).toFixed(2)} s (download ${(downloadMs / 1000).toFixed(2)} s)`,
  );
  if (lines !== status.rowCount || status.rowCount !== job.totalRows) throw new Error("export row count mismatch");
  record(`export of ${status.rowCount.toLocaleString()} rows, request to done`, exportMs / 1000, 10, "s");

  // --- Webhook to socket -------------------------------------------------------------------------
  const { latencies, answered, lag } = await webhookToSocket(worker.url, token, values.quick ? 30 : 200);
  const pct = (list: number[], q: number) => [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.ceil(q * list.length) - 1)]!;
  const p = (q: number) => pct(latencies, q);
  console.log(`webhook → socket: n=${latencies.length} p50 ${p(0.5).toFixed(1)} ms, p99 ${p(0.99).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms`);
  console.log(`  of which the webhook's own answer: p50 ${pct(answered, 0.5).toFixed(1)} ms, p99 ${pct(answered, 0.99).toFixed(1)} ms; event after the answer: p50 ${pct(lag, 0.5).toFixed(1)} ms, p99 ${pct(lag, 0.99).toFixed(1)} ms`);
  record("webhook to dashboard socket (p50)", p(0.5), 100);
  record("webhook to dashboard socket (p99)", p(0.99), 100);
} finally {
  await worker.stop();
}

console.log(`${"\nfigure".padEnd(64)}${"value".padStart(12)}   target     `);
for (const f of figures) console.log(`${f.what.padEnd(63)} ${f.value.padStart(12)}   ${f.target.padEnd(10)} ${f.ok ? "ok" : "MISSED"}`);

/** Time from sending the voice webhook to the call.started event on a dashboard socket. */
async function webhookToSocket(url: string, token: string, calls: number): Promise<{ latencies: number[]; answered: number[]; lag: number[] }> {
  const ws = new WebSocket(`${url.replace("http", "ws")}/api/realtime`, ["cxlb.v1", `cxlb.bearer.${token}`]);
  const waiting = new Map<string, (at: number) => void>();
  await new Promise<void>((resolve, reject) => {
    ws.once("error", reject);
    ws.on("message", (data) => {
      const m = JSON.parse(String(data)) as { type: string; seq?: number; data?: { callId?: string } };
      if (m.type === "snapshot") resolve();
      if (m.type === "call.started" && m.data?.callId) waiting.get(m.data.callId)?.(performance.now());
      if (m.seq && m.seq % 100 === 0) ws.send(JSON.stringify({ type: "ack", seq: m.seq }));
    });
  });
  const latencies: number[] = [];
  const answered: number[] = [];
  const lag: number[] = [];
  const webhook = (path: string, body: Record<string, string>) =>
    fetch(`${url}/api/webhooks/voice-application${path}`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${state.requestKey}` }, body: JSON.stringify(body) }).then((r) => r.text());
  try {
    for (let i = 0; i < calls; i++) {
      const session = `bench-live-${Date.now().toString(36)}-${i}`;
      const body = { ApiVersion: "1", CallStatus: "in-progress", CallSid: session, Session: session, From: "14155550100", To: `180050${String(i).padStart(5, "0")}`, Direction: "inbound", Domain: state.domain, AccountSid: state.domain };
      const arrived = new Promise<number>((resolve, reject) => {
        waiting.set(session, resolve);
        setTimeout(() => reject(new Error(`no call.started for ${session} within 5 s`)), 5_000);
      });
      const sent = performance.now();
      await webhook("", body);
      const answeredAt = performance.now();
      const at = await arrived;
      latencies.push(at - sent);
      answered.push(answeredAt - sent);
      lag.push(Math.max(0, at - answeredAt));
      waiting.delete(session);
      await webhook("/dial-result?attempt=1", { ...body, DialCallStatus: "completed" });
    }
  } finally {
    ws.close();
  }
  return { latencies, answered, lag };
}
