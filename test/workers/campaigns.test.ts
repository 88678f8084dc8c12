import { exports } from "cloudflare:workers";
import { describe, it } from "vitest";
import { offsetAt } from "../../workers/analytics/time-zone";
import { windowAt } from "../../workers/campaigns/window";
import { ALWAYS, campaignWorld, contactsCsv, everyDay, runnerOf } from "./helpers/campaign-fixture";
import { createTenantFixture } from "./helpers/fixtures";
import { pumpStandIn, standInCalls, standInStats } from "./helpers/standin";

/*
 * Outbound campaigns against the Cloudonix stand-in: the API and its refusals, and whole
 * campaigns whose calls the stand-in places, rings, answers or not, and reports back.
 */

const number = (i: number) => `+1415${String(5_550_000 + i)}`;

async function createCampaign(w: Awaited<ReturnType<typeof campaignWorld>>, overrides: Record<string, unknown> = {}) {
  const res = await w.t.asAdmin("POST", "/api/campaigns", {
    name: `c-${crypto.randomUUID().slice(0, 8)}`,
    target: { type: "group", id: w.group.id },
    callerId: "+14155550100",
    timezone: "America/New_York",
    callingWindow: ALWAYS,
    maxConcurrent: 4,
    callsPerMinute: 600,
    ringTimeoutSec: 20,
    ...overrides,
  });
  if (res.status !== 201) throw new Error(`creating the campaign failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const upload = (w: Awaited<ReturnType<typeof campaignWorld>>, id: string, csv: string, query = "") => w.t.asAdmin("PUT", `/api/campaigns/${id}/contacts${query}`, csv, { "content-type": "text/csv" });

describe("campaigns: configuration and refusals", () => {
  it("validates settings with field errors, and keeps tenants apart", async ({ expect }) => {
    const w = await campaignWorld();
    const bad = await w.t.asAdmin("POST", "/api/campaigns", {
      name: "x",
      target: { type: "group", id: w.group.id },
      callerId: "not a number",
      maxConcurrent: 0,
      callsPerMinute: 10_000,
      retryPolicy: { busy: { attempts: 0, spacingMinutes: 1 }, noAnswer: { attempts: 1, spacingMinutes: 1 }, failed: { attempts: 1, spacingMinutes: 1 } },
      callingWindow: { mon: [{ open: "18:00", close: "09:00" }] },
      timezone: "Mars/Olympus",
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(["callerId", "callingWindow.mon.0.close", "callsPerMinute", "maxConcurrent", "retryPolicy.busy.attempts", "timezone"]);
    const hostile = await createCampaign(w, { name: `<img src=x onerror=alert(1)>"><Dial>` });
    expect(hostile.name).toBe(`<img src=x onerror=alert(1)>"><Dial>`);
    expect((await w.t.asViewer("POST", "/api/campaigns", { name: "v", target: { type: "group", id: w.group.id }, callerId: "+14155550100" })).status).toBe(403);
    expect((await w.t.asViewer("GET", `/api/campaigns/${hostile.id}`)).status).toBe(200);

    const other = await createTenantFixture("cmp-other");
    for (const [method, path, body] of [
      ["GET", `/api/campaigns/${hostile.id}`],
      ["GET", `/api/campaigns/${hostile.id}/progress`],
      ["GET", `/api/campaigns/${hostile.id}/results`],
      ["PUT", `/api/campaigns/${hostile.id}`, { maxConcurrent: 1 }],
      ["POST", `/api/campaigns/${hostile.id}/start`],
      ["POST", `/api/campaigns/${hostile.id}/stop`],
      ["DELETE", `/api/campaigns/${hostile.id}`],
    ] as const)
      expect((await other.asAdmin(method, path, body)).status, `${method} ${path}`).toBe(404);
    expect((await other.asAdmin("PUT", `/api/campaigns/${hostile.id}/contacts`, "phone\n+14155550100", { "content-type": "text/csv" })).status).toBe(404);
    expect((await other.asAdmin("GET", "/api/campaigns")).body.items).toEqual([]);
    // Another tenant's group is no target.
    expect((await other.asAdmin("POST", "/api/campaigns", { name: "steal", target: { type: "group", id: w.group.id }, callerId: "+14155550100" })).status).toBe(404);
  });

  it("lists broken rows by line, loads the rest when asked, and refuses 100,001 rows with a clear error", async ({ expect }) => {
    const w = await campaignWorld();
    const campaign = await createCampaign(w);
    const csv = ["phone,timezone,first_name", "+14155550100,America/Chicago,Ann", "555,,Bob", "+14155550101,Nowhere/City,Cy", "+1 415 555 0100,,Dup", "+14155550102,,{caller}"].join("\n");
    const refused = await upload(w, campaign.id, csv);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("INVALID_CONTACTS");
    expect(refused.body.error.message).toContain("3 of 5 rows are not valid (line 3, phone");
    expect(refused.body.error.details.errors.map((e: { line: number; field: string }) => [e.line, e.field])).toEqual([
      [3, "phone"],
      [4, "timezone"],
      [6, "first_name"],
    ]);
    const loaded = await upload(w, campaign.id, csv, "?skipInvalid=true");
    expect(loaded.status).toBe(200);
    expect(loaded.body).toMatchObject({ rows: 5, imported: 1, merged: 1, invalid: 3, doNotCall: 0 });
    expect((await w.t.asAdmin("GET", `/api/campaigns/${campaign.id}`)).body.contactCount).toBe(1);

    const tooMany = ["phone", ...Array.from({ length: 100_001 }, (_, i) => `+1646${String(1_000_000 + i)}`)].join("\n");
    const big = await upload(w, campaign.id, tooMany);
    expect(big.status).toBe(413);
    expect(big.body.error).toMatchObject({ code: "TOO_MANY_CONTACTS", message: expect.stringContaining("at most 100,000 contacts") });
    expect((await w.t.asAdmin("PUT", `/api/campaigns/${campaign.id}/contacts`, { phone: "+1" })).status).toBe(415);
    const header = await upload(w, campaign.id, 'phone,"x""><Dial>"\n+14155550100,1');
    expect(header.body.error.code).toBe("INVALID_HEADER");
  });

  it("refuses to start without a Cloudonix key, contacts, or agents to take the calls, each with what to fix", async ({ expect }) => {
    const w = await campaignWorld();
    const campaign = await createCampaign(w);
    expect((await w.t.asAdmin("POST", `/api/campaigns/${campaign.id}/start`)).body.error.code).toBe("NO_CONTACTS");
    await upload(w, campaign.id, contactsCsv([number(1)]));
    await w.t.asAdmin("PUT", "/api/tenant", { cloudonixApiKey: null });
    const noKey = await w.t.asAdmin("POST", `/api/campaigns/${campaign.id}/start`);
    expect(noKey.status).toBe(409);
    expect(noKey.body.error).toMatchObject({ code: "NO_CLOUDONIX_KEY", message: expect.stringContaining("Cloudonix API key") });

    const empty = (await w.t.asAdmin("POST", "/api/agent-groups", { name: "empty", members: [] })).body;
    const lonely = await createCampaign(w, { target: { type: "group", id: empty.id } });
    await upload(w, lonely.id, contactsCsv([number(2)]));
    const noAgents = await w.t.asAdmin("POST", `/api/campaigns/${lonely.id}/start`);
    expect(noAgents.status).toBe(409);
    expect(noAgents.body.error).toMatchObject({ code: "TARGET_HAS_NO_AGENTS", message: expect.stringContaining("no enabled agents") });
    expect((await w.t.asAdmin("POST", `/api/campaigns/${lonely.id}/pause`)).body.error.code).toBe("INVALID_STATE");
  });

  it("pauses itself when Cloudonix refuses the tenant's key, dialling nobody, and says why", async ({ expect }) => {
    const w = await campaignWorld();
    await w.t.asAdmin("PUT", "/api/tenant", { cloudonixApiKey: "XIREFUSED0123456789" });
    const campaign = await createCampaign(w);
    await upload(w, campaign.id, contactsCsv([number(3), number(4)]));
    expect((await w.t.asAdmin("POST", `/api/campaigns/${campaign.id}/start`)).status).toBe(200);
    let progress: any;
    for (let i = 0; i < 100 && progress?.status !== "paused"; i++) {
      await new Promise((r) => setTimeout(r, 50));
      progress = (await w.t.asAdmin("GET", `/api/campaigns/${campaign.id}/progress`)).body;
    }
    expect(progress).toMatchObject({ status: "paused", dialled: 0, remaining: 2, lastError: expect.stringContaining("refused the tenant's API key") });
    expect((await standInCalls(w.t.domain)).length).toBe(0);
  });
});

describe("campaigns: a whole campaign against the stand-in", () => {
  it("calls every contact within its window and limits, never a do-not-call number, never twice per attempt, and its results equal the stand-in's log", { timeout: 120_000 }, async ({ expect }) => {
    const w = await campaignWorld({ agents: 3, accountCap: 2 });
    const numbers = Array.from({ length: 60 }, (_, i) => number(100 + i));
    const dnc = [numbers[5]!, numbers[17]!, numbers[42]!];
    await w.t.asAdmin("POST", "/api/do-not-call", { numbers: [dnc[0], dnc[1]] });
    const window = ALWAYS;
    const campaign = await createCampaign(w, { maxConcurrent: 4, callsPerMinute: 600, callingWindow: window, retryPolicy: { busy: { attempts: 2, spacingMinutes: 1 }, noAnswer: { attempts: 2, spacingMinutes: 1 }, failed: { attempts: 1, spacingMinutes: 1 } } });
    const csv = contactsCsv(numbers, (i) => ({ timezone: i % 10 === 0 ? "Asia/Tokyo" : "", first_name: `Name${i}` }));
    expect((await upload(w, campaign.id, csv)).body).toMatchObject({ imported: 60, doNotCall: 2 });
    expect((await w.t.asAdmin("POST", `/api/campaigns/${campaign.id}/start`)).status).toBe(200);
    // Added while running: never dialled either.
    await w.t.asAdmin("POST", "/api/do-not-call", { numbers: [dnc[2]] });

    let maxInProgress = 0;
    let maxAccount = 0;
    const sample = async () => {
      const progress = (await w.t.asAdmin("GET", `/api/campaigns/${campaign.id}/progress`)).body;
      maxInProgress = Math.max(maxInProgress, progress.inProgress);
      maxAccount = Math.max(maxAccount, (await w.t.asAdmin("GET", `/api/provider-accounts/${w.account.id}/status`)).body.active);
      return progress;
    };
    // Retries are a minute apart: when only they are left, move the campaign's clock on.
    let offset = 0;
    await pumpStandIn(
      w.t.domain,
      async () => {
        const progress = await sample();
        if (progress.status === "completed") return true;
        if (progress.inProgress === 0 && progress.remaining > 0) await runnerOf(w.t.tenantId, campaign.id).setClock((offset += 61_000));
        return false;
      },
      90_000,
    );

    const stats = await standInStats(w.t.domain);
    expect(stats.maxLive).toBeLessThanOrEqual(4);
    expect(maxInProgress).toBeLessThanOrEqual(4);
    expect(maxAccount).toBeLessThanOrEqual(2);
    const calls = await standInCalls(w.t.domain);
    const called = new Set(calls.map((c) => c.destination));
    // The third number was put on the list after the start: it may have been called before that, never after.
    for (const n of dnc.slice(0, 2)) expect(called.has(n)).toBe(false);

    const results: any[] = [];
    for (let after = 0; ; ) {
      const page = (await w.t.asAdmin("GET", `/api/campaigns/${campaign.id}/results?after=${after}&limit=25`)).body;
      results.push(...page.items);
      if (page.nextAfter === null) break;
      after = page.nextAfter;
    }
    expect(results).toHaveLength(60);
    const byToken = new Map(calls.map((c) => [c.token, c]));
    const outcomeOf = { answered: "answered", busy: "busy", "no-answer": "noAnswer", failed: "failed" } as const;
    let attempts = 0;
    for (const contact of results) {
      if (dnc.slice(0, 2).includes(contact.number)) {
        expect(contact.state).toBe("dnc");
        expect(contact.attempts).toEqual([]);
        continue;
      }
      if (contact.state === "dnc") continue;
      expect(contact.state).toBe("done");
      // Every attempt is one call of the stand-in's, to this contact, with the same outcome; numbered 1, 2, …
      expect(contact.attempts.map((a: { n: number }) => a.n)).toEqual(contact.attempts.map((_: unknown, i: number) => i + 1));
      for (const attempt of contact.attempts) {
        const call = byToken.get(attempt.token)!;
        expect(call.destination).toBe(contact.number);
        expect(attempt.outcome).toBe(outcomeOf[call.outcome]);
        expect(windowAt(window, contact.timezone ?? "America/New_York", Date.parse(attempt.placedAt)).open).toBe(true);
        attempts++;
      }
      // Retried per policy: an answer ends it, busy/no answer get a second attempt, a failure none.
      const last = contact.attempts.at(-1);
      expect(contact.result).toBe(last.outcome);
      if (last.outcome !== "answered" && last.outcome !== "failed") expect(contact.attempts).toHaveLength(2);
    }
    // None twice: every call the stand-in placed is exactly one attempt of ours.
    expect(attempts).toBe(calls.length);
    expect(new Set(calls.map((c) => c.token)).size).toBe(calls.length);
    const answered = calls.filter((c) => c.outcome === "answered");
    // Answered calls reached the campaign's agents with the contact's variables, via the campaign's group.
    let connected = 0;
    for (const call of answered) {
      const voice = call.deliveries.find((d) => d.kind === "voice-application")!;
      expect(voice.status).toBe(200);
      if (!voice.answer.includes("<Dial")) {
        // The account's two slots were taken: nobody to connect the person to.
        expect(voice.answer).toContain("<Hangup/>");
        continue;
      }
      connected++;
      const contact = results.find((r) => r.number === call.destination);
      expect(voice.answer).toContain(`<Header name="X-Campaign-Id" value="${campaign.id}"/>`);
      expect(voice.answer).toContain(`<Header name="X-Campaign-Contact" value="${contact.id}"/>`);
      expect(voice.answer).toContain(`<Header name="X-first_name" value="${contact.variables.first_name}"/>`);
      expect(voice.answer).toMatch(/<Service provider="vapi">\+1212555200\d<\/Service>/);
    }
    expect(connected).toBeGreaterThan(0);
    const progress = (await w.t.asAdmin("GET", `/api/campaigns/${campaign.id}`)).body;
    expect(progress.status).toBe("completed");
    expect(progress.progress.dialled).toBe(calls.length);
    expect(progress.progress.answered).toBe(answered.length);

    const csv2 = await w.t.asAdmin("GET", `/api/campaigns/${campaign.id}/results?format=csv`);
    expect(csv2.headers.get("content-type")).toContain("text/csv");
    expect(String(csv2.body).trim().split("\r\n")).toHaveLength(61);
  });

  it("calls each contact only inside the window of its own time zone, under a clock that jumps both ways", { timeout: 90_000 }, async ({ expect }) => {
    const w = await campaignWorld({ agents: 2, behaviour: { answer: 1, busy: 0, noAnswer: 0, failed: 0 } });
    // A window from 5 minutes ago to 55 minutes ahead of New York's wall clock, every day.
    const now = Date.now();
    const ny = now + offsetAt(now, "America/New_York");
    const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
    const open = hhmm(ny - 5 * 60_000);
    const close = hhmm(ny + 55 * 60_000);
    const interval = close > open ? { open, close } : { open, close, overnight: true };
    const window = everyDay(interval);
    const campaign = await createCampaign(w, { timezone: "America/New_York", callingWindow: window, maxConcurrent: 3 });
    const numbers = Array.from({ length: 10 }, (_, i) => number(300 + i));
    await upload(
      w,
      campaign.id,
      contactsCsv(numbers, (i) => ({ timezone: i < 5 ? "America/New_York" : "Asia/Tokyo" })),
    );
    // Tokyo is 13 or 14 hours ahead: its wall clock is nowhere near the window now.
    expect(windowAt(window, "Asia/Tokyo", now).open).toBe(false);
    await w.t.asAdmin("POST", `/api/campaigns/${campaign.id}/start`);
    const progress = async () => (await w.t.asAdmin("GET", `/api/campaigns/${campaign.id}/progress`)).body;
    await pumpStandIn(w.t.domain, async () => (await progress()).reached === 5, 40_000);
    // A clock moved back a day: New York's contacts are done, Tokyo's window is still closed.
    await runnerOf(w.t.tenantId, campaign.id).setClock(-86_400_000);
    await new Promise((r) => setTimeout(r, 500));
    expect((await standInCalls(w.t.domain)).map((c) => c.destination).sort()).toEqual(numbers.slice(0, 5));
    expect(await progress()).toMatchObject({ status: "running", remaining: 5, inProgress: 0 });
    // Forward to the moment Tokyo's wall clock shows what New York's showed at the start.
    const ahead = offsetAt(now, "Asia/Tokyo") - offsetAt(now, "America/New_York");
    await runnerOf(w.t.tenantId, campaign.id).setClock(86_400_000 - ahead);
    await pumpStandIn(w.t.domain, async () => (await progress()).status === "completed", 40_000);
    const results = (await w.t.asAdmin("GET", `/api/campaigns/${campaign.id}/results`)).body.items;
    expect(results.map((r: { result: string }) => r.result)).toEqual(Array(10).fill("answered"));
    for (const contact of results) for (const attempt of contact.attempts) expect(windowAt(window, contact.timezone, Date.parse(attempt.placedAt)).open, `${contact.number} at ${attempt.placedAt}`).toBe(true);
    expect((await standInCalls(w.t.domain)).length).toBe(10);
  });

  it("pauses at once (calls in progress finish, none is placed), resumes where it was, and stops for good", { timeout: 90_000 }, async ({ expect }) => {
    const w = await campaignWorld({ agents: 3, behaviour: { answer: 1, busy: 0, noAnswer: 0, failed: 0, talkMs: [300, 400] } });
    const campaign = await createCampaign(w, { maxConcurrent: 3, callsPerMinute: 600 });
    const numbers = Array.from({ length: 20 }, (_, i) => number(400 + i));
    await upload(w, campaign.id, contactsCsv(numbers));
    await w.t.asAdmin("POST", `/api/campaigns/${campaign.id}/start`);
    const progress = async () => (await w.t.asAdmin("GET", `/api/campaigns/${campaign.id}/progress`)).body;
    await pumpStandIn(w.t.domain, async () => (await progress()).dialled >= 6, 30_000);
    const paused = await w.t.asAdmin("POST", `/api/campaigns/${campaign.id}/pause`);
    expect(paused.body.status).toBe("paused");
    const placedAtPause = (await standInCalls(w.t.domain)).length;
    await pumpStandIn(w.t.domain, async () => (await progress()).inProgress === 0, 30_000);
    await new Promise((r) => setTimeout(r, 500));
    expect((await standInCalls(w.t.domain)).length).toBe(placedAtPause);
    expect(await progress()).toMatchObject({ status: "paused", dialled: placedAtPause, remaining: 20 - placedAtPause });
    expect((await w.t.asAdmin("POST", `/api/campaigns/${campaign.id}/start`)).body.error.code).toBe("INVALID_STATE");
    expect((await w.t.asAdmin("POST", `/api/campaigns/${campaign.id}/resume`)).body.status).toBe("running");
    await pumpStandIn(w.t.domain, async () => (await progress()).dialled >= placedAtPause + 3, 30_000);
    expect((await w.t.asAdmin("POST", `/api/campaigns/${campaign.id}/stop`)).body.status).toBe("stopped");
    await pumpStandIn(w.t.domain, async () => (await progress()).inProgress === 0, 30_000);
    const final = await progress();
    expect(final.status).toBe("stopped");
    expect(final.remaining).toBeGreaterThan(0);
    expect((await standInCalls(w.t.domain)).length).toBe(final.dialled);
    expect((await w.t.asAdmin("POST", `/api/campaigns/${campaign.id}/resume`)).body.error.code).toBe("INVALID_STATE");
    expect((await w.t.asAdmin("PUT", `/api/campaigns/${campaign.id}`, { maxConcurrent: 5 })).body.error.code).toBe("CAMPAIGN_FINISHED");
    expect((await w.t.asAdmin("DELETE", `/api/campaigns/${campaign.id}`)).status).toBe(204);
    expect((await w.t.asAdmin("GET", `/api/campaigns/${campaign.id}`)).status).toBe(404);
  });
});

describe("campaigns: webhooks", () => {
  it("connects only calls of the tenant's own campaign, once per attempt however often Cloudonix repeats itself", { timeout: 60_000 }, async ({ expect }) => {
    const w = await campaignWorld({ agents: 2, behaviour: { answer: 1, busy: 0, noAnswer: 0, failed: 0 } });
    const campaign = await createCampaign(w);
    await upload(
      w,
      campaign.id,
      contactsCsv([number(500)], () => ({ plan: "gold" })),
    );
    await w.t.asAdmin("POST", `/api/campaigns/${campaign.id}/start`);
    const progress = async () => (await w.t.asAdmin("GET", `/api/campaigns/${campaign.id}/progress`)).body;
    await pumpStandIn(w.t.domain, async () => (await progress()).status === "completed", 30_000);
    // The list says so too, though MySQL only heard "running" from the start.
    expect((await w.t.asAdmin("GET", "/api/campaigns")).body.items.map((c: { status: string }) => c.status)).toEqual(["completed"]);
    const [call] = await standInCalls(w.t.domain);
    const voice = call!.deliveries.find((d) => d.kind === "voice-application")!;
    const query = new URL(voice.url).search;
    const body = { ApiVersion: "1", CallStatus: "in-progress", CallSid: call!.token, Session: call!.token, From: call!.destination, To: "+14155550100", Direction: "outbound-api", Domain: w.t.domain, AccountSid: w.t.domain };
    const post = (t: { requestKey: string; domain: string }, path: string, payload: unknown) =>
      exports.default.fetch(`https://router.test${path}`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${t.requestKey}` }, body: JSON.stringify(payload) });

    // Cloudonix repeating the voice request and the last session update changes nothing.
    const again = await post(w.t, `/api/webhooks/voice-application${query}`, body);
    expect(await again.text()).toBe(voice.answer);
    const update = call!.deliveries.filter((d) => d.kind === "session-update").at(-1)!;
    const repeated = await post(w.t, new URL(update.url).pathname + new URL(update.url).search, { token: call!.token, status: "completed", domain: w.t.domain });
    expect(repeated.status).toBe(200);
    const results = (await w.t.asAdmin("GET", `/api/campaigns/${campaign.id}/results`)).body.items;
    expect(results[0]).toMatchObject({ state: "done", result: "answered" });
    expect(results[0].attempts).toHaveLength(1);
    expect(voice.answer).toContain('<Header name="X-plan" value="gold"/>');

    // Another tenant naming this campaign in its own request reaches no campaign of ours: hung up.
    const other = await campaignWorld({ agents: 1 });
    const forged = await post(other.t, `/api/webhooks/voice-application${query}`, { ...body, Domain: other.t.domain, AccountSid: other.t.domain, Session: "f".repeat(32), CallSid: "f".repeat(32) });
    expect(forged.status).toBe(200);
    expect(await forged.text()).toContain("<Hangup/>");
    // A campaign URL naming an attempt that was never placed is hung up too.
    const unknown = await post(w.t, `/api/webhooks/voice-application?campaign=${campaign.id}&contact=999&contactAttempt=1`, { ...body, Session: "e".repeat(32), CallSid: "e".repeat(32) });
    expect(await unknown.text()).toContain("<Hangup/>");
    // And neither changed anything.
    expect((await w.t.asAdmin("GET", `/api/campaigns/${campaign.id}/results`)).body.items[0].attempts).toHaveLength(1);
  });
});
