import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { drizzle } from "drizzle-orm/mysql2";
import { afterAll, describe, it } from "vitest";
import { startWorker, type Worker } from "../../bench/lib/harness";
import { connect } from "../../scripts/lib/db";
import { workerEncryptionKey } from "../../scripts/lib/encryption-key";
import { freePort } from "../../scripts/lib/ports";
import { startStandIn, type StandIn } from "../../scripts/lib/standin/server";
import { applyMigrations } from "../../scripts/migrate";
import { offsetAt } from "../../workers/analytics/time-zone";
import { windowAt } from "../../workers/campaigns/window";
import * as schema from "../../workers/db/schema";
import { createTenantWithAdmin } from "../../workers/db/repos/tenants";
import { WEEKDAYS, type WeeklyHours } from "../../workers/domain/schedules";

/*
 * A 500-contact campaign end to end: `wrangler dev` (the real runtime, on its own state and the
 * test database) and the Cloudonix stand-in over HTTP, as Cloudonix and the router would talk.
 * Sampled continuously: calls in progress against the campaign's limit and the provider account's
 * cap (the runner dials by the account's free slots), the account's slots against its cap, the
 * stand-in's own count of live calls. Half-way the runtime is killed
 * (SIGKILL to wrangler and workerd) and started again on the same state. At the end every
 * contact must have been reached or retried per policy, none on the do-not-call list dialled,
 * no attempt placed twice, every attempt inside its contact's window, everyone who answered
 * connected to an agent, and the results must be the stand-in's own log.
 */

const CONTACTS = 500;
const LIMIT = 12;
const ACCOUNT_CAP = 8;
const RATE = 1_200;
const databaseUrl = process.env.TEST_DATABASE_URL!;
const state = mkdtempSync(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "cxlb-campaign-"));
let worker: Worker | undefined;
let standIn: StandIn | undefined;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a 500-contact campaign against the Cloudonix stand-in", () => {
  afterAll(async () => {
    await worker?.stop();
    await standIn?.close();
    rmSync(state, { recursive: true, force: true });
  });

  it("stays within its limit, the account's cap and the contacts' windows, dials no do-not-call number and no attempt twice, survives a restart, and ends with the stand-in's results", { timeout: 900_000 }, async ({ expect }) => {
    await applyMigrations(databaseUrl);
    standIn = await startStandIn({ port: await freePort(), behaviour: { answer: 60, busy: 15, noAnswer: 15, failed: 10, ringMs: [200, 900], talkMs: [400, 1_500] } });
    // The same port after the restart: the URLs the campaign gave Cloudonix name it.
    const port = await freePort();
    const start = () => startWorker({ port, persistTo: state, vars: { CLOUDONIX_API_URL: standIn!.url, CALL_SETTLE_SECONDS: "5" }, env: { CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: databaseUrl } });
    worker = await start();

    // The tenant, with its callback URLs (the Worker's encryption key) and Cloudonix key.
    const unique = Math.random().toString(36).slice(2, 10);
    const domain = `camp-${unique}.cloudonix.test`;
    const password = `campaign-${unique}-password`;
    const connection = await connect(databaseUrl);
    const tenant = await createTenantWithAdmin(drizzle(connection, { schema, mode: "default" }), {
      name: `Campaign ${unique}`,
      cloudonixDomain: domain,
      adminEmail: `admin-${unique}@campaign.test`,
      adminPassword: password,
      encryptionKey: workerEncryptionKey()!,
    });
    await connection.end();
    let token = "";
    const api = async (method: string, path: string, body?: unknown, type = "application/json") => {
      const res = await fetch(`${worker!.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { "content-type": type } : {}) },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      });
      const text = await res.text();
      const parsed = text.startsWith("{") || text.startsWith("[") || text === "null" ? JSON.parse(text) : text;
      if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
      return parsed;
    };
    token = (await api("POST", "/api/auth/login", { email: `admin-${unique}@campaign.test`, password })).token;
    await api("PUT", "/api/tenant", { cloudonixApiKey: `XI${unique}0123456789abcdef0123` });
    const urls = (await api("GET", "/api/tenant")).callbackUrls;
    await fetch(`${standIn.url}/__standin/domains/${domain}`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ profile: { "authorization-api-key": tenant.requestKey, "cdr-endpoint": urls.cdr } }) });

    const account = await api("POST", "/api/provider-accounts", { name: "Vapi production", maxConcurrentCalls: ACCOUNT_CAP });
    const agents = [];
    for (let i = 0; i < 6; i++) agents.push(await api("POST", "/api/voice-agents", { name: `vapi-${i}`, provider: "vapi", serviceValue: `+121255530${i}0`, providerAccountId: account.id }));
    const group = await api("POST", "/api/agent-groups", { name: "outbound", maxAttempts: 2, members: agents.map((a) => ({ agentId: a.id })) });

    // The window: from 5 minutes ago to 55 minutes ahead on New York's wall clock, every day.
    // Tokyo's wall clock is 13 or 14 hours away: its contacts wait until the campaign's clock moves.
    const t0 = Date.now();
    const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
    const ny = t0 + offsetAt(t0, "America/New_York");
    const open = hhmm(ny - 5 * 60_000);
    const close = hhmm(ny + 55 * 60_000);
    const interval = close > open ? { open, close } : { open, close, overnight: true };
    const window = Object.fromEntries(WEEKDAYS.map((d) => [d, [interval]])) as WeeklyHours;
    const retryPolicy = { busy: { attempts: 2, spacingMinutes: 1 }, noAnswer: { attempts: 2, spacingMinutes: 1 }, failed: { attempts: 1, spacingMinutes: 1 } };
    const campaign = await api("POST", "/api/campaigns", {
      name: "Renewals",
      target: { type: "group", id: group.id },
      callerId: "+14155550100",
      timezone: "America/New_York",
      callingWindow: window,
      maxConcurrent: LIMIT,
      callsPerMinute: RATE,
      ringTimeoutSec: 20,
      retryPolicy,
    });

    const numbers = Array.from({ length: CONTACTS }, (_, i) => `+1646${String(2_000_000 + i)}`);
    const tokyo = new Set(numbers.filter((_, i) => i % 10 === 3));
    const dnc = numbers.filter((_, i) => i % 25 === 7);
    await api("POST", "/api/do-not-call", { numbers: dnc });
    const csv = ["phone,timezone,first_name", ...numbers.map((n, i) => `${n},${tokyo.has(n) ? "Asia/Tokyo" : ""},Person ${i}`)].join("\n");
    expect(await api("PUT", `/api/campaigns/${campaign.id}/contacts`, csv, "text/csv")).toMatchObject({ imported: CONTACTS, doNotCall: dnc.length });
    await api("POST", `/api/campaigns/${campaign.id}/start`);

    // Sampled continuously, through the restart.
    const peaks = { inProgress: 0, account: 0, samples: 0, heldByAccount: 0 };
    let sampling = true;
    let up = true;
    const sampler = (async () => {
      while (sampling) {
        if (up) {
          try {
            const [progress, status] = await Promise.all([api("GET", `/api/campaigns/${campaign.id}/progress`), api("GET", `/api/provider-accounts/${account.id}/status`)]);
            peaks.inProgress = Math.max(peaks.inProgress, progress.inProgress);
            peaks.account = Math.max(peaks.account, status.active);
            if (progress.heldByAccount) peaks.heldByAccount++;
            peaks.samples++;
          } catch {
            // the runtime is being restarted
          }
        }
        await sleep(150);
      }
    })();
    const progress = () => api("GET", `/api/campaigns/${campaign.id}/progress`);
    const until = async (what: string, check: (p: any) => boolean, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const p = await progress();
        if (check(p)) return p;
        if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms (${JSON.stringify(p)})`);
        await sleep(500);
      }
    };

    // Half-way, the runtime dies and comes back on the same state.
    await until("half the contacts dialled", (p) => p.dialled >= 200, 180_000);
    up = false;
    const crashedAt = Date.now();
    await worker.crash();
    const placedAtCrash = standIn.calls(domain).length;
    worker = await start();
    const restartedAt = Date.now();
    up = true;
    const afterRestart = await until("dialling again after the restart", (p) => p.dialled > placedAtCrash, 240_000).catch((err) => {
      const open = standIn!.calls(domain).filter((c) => c.endedAt === null || c.deliveries.some((d) => d.status === 0));
      console.log(
        JSON.stringify(
          open.slice(0, 5).map((c) => ({ token: c.token, outcome: c.outcome, placedAt: c.placedAt, endedAt: c.endedAt, deliveries: c.deliveries.map((d) => `${d.kind} ${d.status} ${new Date(d.at).toISOString()}`) })),
          null,
          1,
        ),
      );
      throw err;
    });
    expect(afterRestart.status).toBe("running");

    // New York's contacts done (retries a minute apart included): only Tokyo's are left.
    const tokyoLeft = tokyo.size - dnc.filter((n) => tokyo.has(n)).length;
    await until("New York's contacts done", (p) => p.inProgress === 0 && p.remaining === tokyoLeft, 300_000);
    expect(standIn.calls(domain).some((c) => tokyo.has(c.destination))).toBe(false);
    // Forward to the moment Tokyo's wall clock shows what New York's showed at the start; then,
    // whenever only retries (a minute apart on the campaign's clock) are left, a minute further.
    const ahead = offsetAt(t0, "Asia/Tokyo") - offsetAt(t0, "America/New_York");
    let offset = 86_400_000 - ahead;
    await api("POST", `/api/campaigns/${campaign.id}/clock`, { offsetMs: offset });
    const deadline = Date.now() + 300_000;
    let final = await progress();
    while (final.status !== "completed") {
      if (Date.now() > deadline) throw new Error(`the campaign did not complete: ${JSON.stringify(final)}`);
      await sleep(1_000);
      final = await progress();
      if (final.inProgress === 0 && final.remaining > 0 && final.status === "running") await api("POST", `/api/campaigns/${campaign.id}/clock`, { offsetMs: (offset += 61_000) });
    }
    sampling = false;
    await sampler;
    // The stand-in's last callbacks and CDRs.
    await sleep(2_000);

    const calls = standIn.calls(domain);
    const stats = (await (await fetch(`${standIn.url}/__standin/stats?domain=${domain}`)).json()) as { maxLive: number };
    const results: any[] = [];
    for (let after = 0; ; ) {
      const page = await api("GET", `/api/campaigns/${campaign.id}/results?after=${after}&limit=1000`);
      results.push(...page.items);
      if (page.nextAfter === null) break;
      after = page.nextAfter;
    }
    const placed = calls.map((c) => c.placedAt).sort((a, b) => a - b);
    const minutes = (placed.at(-1)! - placed[0]!) / 60_000;
    console.log(
      `[campaign] ${CONTACTS} contacts, ${dnc.length} on the do-not-call list: ${calls.length} calls placed (${calls.filter((c) => c.outcome === "answered").length} answered), ${placed.length / Math.max(minutes, 1 / 60)} calls/min over ${minutes.toFixed(1)} min of dialling (limit ${LIMIT} in progress, ${RATE}/min); peaks: ${peaks.inProgress} in progress (${peaks.samples} samples, ${peaks.heldByAccount} held back by the account), ${peaks.account} of the account's ${ACCOUNT_CAP} slots, ${stats.maxLive} live at the stand-in; ${placedAtCrash} placed before the restart`,
    );
    console.log(
      `[campaign] answered but hung up for want of a slot: ${calls.filter((c) => c.outcome === "answered" && c.deliveries.some((d) => d.kind === "voice-application" && d.status === 200 && !d.answer.includes("<Dial"))).length}; answered while the runtime was down (their voice request unanswered): ${calls.filter((c) => c.outcome === "answered" && !c.deliveries.some((d) => d.kind === "voice-application" && d.status === 200)).length}`,
    );

    expect(peaks.inProgress).toBeLessThanOrEqual(LIMIT);
    // Paced by the account's 8 slots, below the campaign's own 12.
    expect(peaks.inProgress).toBeLessThanOrEqual(ACCOUNT_CAP);
    expect(stats.maxLive).toBeLessThanOrEqual(LIMIT);
    expect(peaks.account).toBeLessThanOrEqual(ACCOUNT_CAP);
    expect(peaks.samples).toBeGreaterThan(50);
    // Never a do-not-call number, never one attempt twice (the stand-in sees the attempt in each call's profile).
    const dialled = new Set(calls.map((c) => c.destination));
    for (const n of dnc) expect(dialled.has(n)).toBe(false);
    const attemptsSeen = calls.map((c) => `${c.profile?.["cxlb-contact"]}/${c.profile?.["cxlb-attempt"]}`);
    expect(new Set(attemptsSeen).size).toBe(calls.length);

    expect(results).toHaveLength(CONTACTS);
    const byToken = new Map(calls.map((c) => [c.token, c]));
    const outcome = { answered: "answered", busy: "busy", "no-answer": "noAnswer", failed: "failed" } as const;
    let attempts = 0;
    for (const contact of results) {
      if (dnc.includes(contact.number)) {
        expect(contact).toMatchObject({ state: "dnc", attempts: [] });
        continue;
      }
      expect(contact.state).toBe("done");
      for (const attempt of contact.attempts) {
        const call = byToken.get(attempt.token);
        expect(call, `contact ${contact.id} attempt ${attempt.n}`).toBeDefined();
        expect(call!.destination).toBe(contact.number);
        expect(call!.profile).toMatchObject({ "cxlb-contact": String(contact.id), "cxlb-attempt": String(attempt.n) });
        expect(attempt.outcome).toBe(outcome[call!.outcome]);
        expect(windowAt(window, contact.timezone ?? "America/New_York", Date.parse(attempt.placedAt)).open).toBe(true);
        attempts++;
      }
      const last = contact.attempts.at(-1);
      expect(contact.result).toBe(last.outcome);
      // Retried per policy (2 attempts in all after busy or no answer, 1 after a failure); an answer ends it.
      expect(contact.attempts.length).toBeLessThanOrEqual(2);
      if (last.outcome === "busy" || last.outcome === "noAnswer") expect(contact.attempts).toHaveLength(2);
      if (contact.attempts.length === 2) expect(["busy", "noAnswer"]).toContain(contact.attempts[0].outcome);
    }
    expect(attempts).toBe(calls.length);
    // Everyone who answered was connected to an agent, none hung up for want of a slot, but for
    // those whose voice request came while the runtime was down (it got no answer at all).
    const voice = (c: (typeof calls)[number]) => c.deliveries.find((d) => d.kind === "voice-application" && d.status === 200);
    const answered = calls.filter((c) => c.outcome === "answered");
    expect(answered.filter((c) => voice(c) && !voice(c)!.answer.includes("<Dial")).map((c) => c.destination)).toEqual([]);
    const duringRestart = answered.filter((c) => !voice(c));
    for (const c of duringRestart) expect(c.deliveries.some((d) => d.kind === "voice-application" && d.at >= crashedAt && d.at <= restartedAt)).toBe(true);
    expect(final).toMatchObject({ dialled: calls.length, answered: calls.filter((c) => c.outcome === "answered").length, inProgress: 0, remaining: 0 });
  });
});
