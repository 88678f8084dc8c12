import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { attemptOf, dialTarget, newSessionToken, post, postLifecycle, voiceBody, type Target } from "../../scripts/lib/cloudonix-sim";
import { expectAccessible, expectCleanConsole, launch, login, screenshot, watchConsole } from "./browser";
import { createE2eTenant, type E2eTenant } from "./stack";
import * as R from "../../web/src/routes";

const webUrl = inject("webUrl");
const apiUrl = inject("apiUrl");

/*
 * The console tells the truth: a known set of calls goes through the webhooks the way Cloudonix
 * sends them (as scripts/simulate.ts does), and every figure the dashboard and the records show
 * must be exactly those calls. A tenant of its own, so the other files' calls do not count.
 */

const AGENTS = [
  { name: "Alice Anderson, senior support", number: "+12125550201" },
  { name: "Bob", number: "+12125550202" },
  { name: "Carol from the night shift team", number: "+12125550203" },
];
const GROUP = "Customer support · escalations and callbacks";
const PLAN = { answered: 60, failed: 20, abandoned: 10 };
/** Talk times of the answered calls, in seconds, taken in turn: really waited, as the router checks them against the time it saw pass. */
const TALK = [1, 2, 3];

interface Tally {
  /** Dials per agent name (the share basis of a round-robin group). */
  dials: Map<string, number>;
  /** Answered calls per agent, and failed ones per the last agent dialled (the record's agent). */
  answered: Map<string, number>;
  failed: Map<string, number>;
  durations: number[];
  /** One answered call, to open in the records. */
  sample: { from: string; seconds: number } | null;
}

const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function api<T>(token: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${apiUrl}${path}`, { method, headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

async function configure(tenant: E2eTenant): Promise<{ token: string; groupId: string }> {
  const { token } = (await (await fetch(`${apiUrl}/api/auth/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(tenant.admin) })).json()) as { token: string };
  const ids: string[] = [];
  for (const a of AGENTS) ids.push((await api<{ id: string }>(token, "POST", "/api/voice-agents", { name: a.name, provider: "retell", serviceValue: a.number })).id);
  const group = await api<{ id: string }>(token, "POST", "/api/agent-groups", { name: GROUP, strategy: "round_robin", maxAttempts: 3, members: ids.map((agentId) => ({ agentId })) });
  await api(token, "POST", "/api/inbound-rules", { name: "Toll-free", pattern: "+1800555*", target: { type: "group", id: group.id } });
  return { token, groupId: group.id };
}

const agentOf = (xml: string) => {
  const dialled = dialTarget(xml);
  return AGENTS.find((a) => dialled?.endsWith(a.number))?.name ?? null;
};

/** One call, ending as `outcome`; what it dialled goes into the tally. */
async function call(target: Target, n: number, outcome: keyof typeof PLAN, tally: Tally): Promise<void> {
  const session = newSessionToken();
  const from = `+1415555${String(1000 + n)}`;
  const body = voiceBody(target, { from, to: "+18005550199" }, session);
  const callStart = Date.now();
  let xml = (await post(target, "/api/webhooks/voice-application", body)).text;
  let last = agentOf(xml);
  if (last) bump(tally.dials, last);
  if (outcome === "answered") {
    const seconds = TALK[n % TALK.length]!;
    const answeredAt = Date.now();
    await postLifecycle(target, "session-update", { token: session, status: "connected", domain: target.domain, callAnswerTime: answeredAt });
    await sleep(seconds * 1000);
    // Every report names the same end: Cloudonix's come from one clock, however late they arrive.
    const endedAt = Date.now();
    const talked = Math.round((endedAt - answeredAt) / 1000);
    await post(target, `/api/webhooks/voice-application/dial-result?attempt=${attemptOf(xml)}`, { ...body, DialCallStatus: "completed", DialCallDuration: String(talked) });
    await postLifecycle(target, "session-update", { token: session, status: "completed", domain: target.domain, callEndTime: endedAt });
    // No CDR for these: the talk time comes from DialCallDuration and the session's times. (A
    // CDR's "duration" is the whole call, ringing included, and the record takes it as is.)
    bump(tally.answered, last!);
    tally.durations.push(talked);
    tally.sample ??= { from, seconds: talked };
  } else if (outcome === "abandoned") {
    // The caller hangs up while the agent rings.
    await postLifecycle(target, "session-update", { token: session, status: "completed", domain: target.domain, callEndTime: Date.now() });
  } else {
    // Busy at every agent the group offers, then the end of the chain.
    for (let hops = 0; hops < 5 && attemptOf(xml); hops++) {
      xml = (await post(target, `/api/webhooks/voice-application/dial-result?attempt=${attemptOf(xml)}`, { ...body, DialCallStatus: "busy", DialCallDuration: "0" })).text;
      const next = agentOf(xml);
      if (next) bump(tally.dials, (last = next));
    }
    await postLifecycle(target, "cdr", { domain: target.domain, disposition: "BUSY", duration: Math.round((Date.now() - callStart) / 1000), billsec: 0, session: { token: session, callStartTime: callStart, callEndTime: Date.now() } });
    if (last) bump(tally.failed, last);
  }
}

/** The plan's calls, a few at a time: answered first (failures take agents out of rotation, which would change who answers). */
async function simulate(target: Target): Promise<Tally> {
  const tally: Tally = { dials: new Map(), answered: new Map(), failed: new Map(), durations: [], sample: null };
  let n = 0;
  for (const outcome of ["answered", "abandoned", "failed"] as const) {
    const queue = Array.from({ length: PLAN[outcome] }, () => n++);
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        for (let i = queue.shift(); i !== undefined; i = queue.shift()) await call(target, i, outcome, tally);
      }),
    );
  }
  return tally;
}

const text = async (page: Page, testId: string) => ((await page.getByTestId(testId).textContent()) ?? "").trim();
const mmss = (seconds: number) => `${Math.floor(Math.round(seconds) / 60)}:${String(Math.round(seconds) % 60).padStart(2, "0")}`;

/** The header's title and every badge's word, when cut short by an ellipsis (wider than shown). */
const CLIPPED = `[...document.querySelectorAll("header h2, .mantine-Badge-label")].filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent)`;

/** What reaches past the right edge of the screen without a scroll container to hold it: unclipped, or positioned out of one. */
const PAST_THE_EDGE = `(() => {
  const width = document.documentElement.clientWidth;
  const clipped = (el) => { for (let p = el.parentElement; p; p = p.parentElement) if (getComputedStyle(p).overflowX !== "visible") return true; return false; };
  return [...document.body.querySelectorAll("*")]
    .filter((el) => el.getBoundingClientRect().right > width + 1 && (!clipped(el) || getComputedStyle(el).position === "absolute"))
    .slice(0, 8)
    .map((el) => el.tagName.toLowerCase() + "." + String(el.className).slice(0, 60) + " " + Math.round(el.getBoundingClientRect().right) + "px");
})()`;

/** Every screen, by path, with what shows that it has loaded. */
const SCREENS: [name: string, path: string, ready: string][] = [
  ["dashboard", R.ROUTE_DASHBOARD, "Calls over time"],
  ["voice-agents", R.ROUTE_VOICE_AGENTS, "Voice agents"],
  ["agent-groups", R.ROUTE_AGENT_GROUPS, "Agent groups"],
  ["inbound-rules", R.ROUTE_INBOUND_RULES, "Inbound rules"],
  ["routing-tester", R.ROUTE_ROUTING_TESTER, "Routing tester"],
  ["outbound-rules", R.ROUTE_OUTBOUND_RULES, "Outbound rules"],
  ["trunks", R.ROUTE_TRUNKS, "Trunks"],
  ["call-records", R.ROUTE_CALL_RECORDS, "Call records"],
  ["deliveries", R.ROUTE_DELIVERIES, "Deliveries"],
  ["event-webhooks", R.ROUTE_EVENT_WEBHOOKS, "Event webhooks"],
  ["alerts", R.ROUTE_ALERTS, "Alerts"],
  ["settings", R.ROUTE_SETTINGS, "Settings"],
  ["users", R.ROUTE_USERS, "Users and roles"],
  ["audit-log", R.ROUTE_AUDIT_LOG, "Audit log"],
  ["api-keys", R.ROUTE_API_KEYS, "API keys"],
];

describe("the console tells the truth about a known set of calls", () => {
  let browser: Browser;
  let page: Page;
  let watch: ReturnType<typeof watchConsole>;
  let tenant: E2eTenant;
  let tally: Tally;
  let admin: { token: string; groupId: string };

  beforeAll(async () => {
    tenant = await createE2eTenant();
    admin = await configure(tenant);
    tally = await simulate({ baseUrl: apiUrl, domain: tenant.domain, requestKey: tenant.requestKey });
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    watch = watchConsole(page);
    await login(page, webUrl, tenant.admin.email, tenant.admin.password);
  }, 300_000);
  afterEach(() => expectCleanConsole(watch));
  afterAll(async () => {
    await browser?.close();
  });

  it("shows the calls' counts in the KPIs, the outcomes and the chart's series", async () => {
    const ended = PLAN.answered + PLAN.failed + PLAN.abandoned;
    // Records reach MySQL through the queue: wait until all of them are counted.
    await expect.poll(() => text(page, "kpi-calls-today-counts"), { timeout: 60_000, interval: 2_000 }).toBe(`started since midnight: ${ended} ended, 0 still live`);
    await page.reload();
    await expect.poll(() => text(page, "kpi-calls-today"), { timeout: 20_000 }).toBe(String(ended));
    expect(await text(page, "kpi-success-rate")).toBe(`${((PLAN.answered / ended) * 100).toFixed(1)}%`);
    const average = tally.durations.reduce((a, b) => a + b, 0) / tally.durations.length;
    expect(await text(page, "kpi-average-duration")).toBe(mmss(average));
    await expect.poll(() => text(page, "outcome-counts"), { timeout: 20_000 }).toBe(`Answered: ${PLAN.answered}Failed: ${PLAN.failed}Abandoned: ${PLAN.abandoned}`);

    // The chart's own data, as its screen-reader table gives it: per outcome, summed over the buckets.
    const table = page.getByTestId("calls-over-time-data");
    expect(await table.locator("thead th").allTextContents()).toEqual(["Time", "Answered", "Failed", "Abandoned"]);
    // Strings, not functions: these files are type-checked without the DOM library.
    const rows = (await page.evaluate(`[...document.querySelectorAll("[data-testid=calls-over-time-data] tbody tr")].map((tr) => [...tr.querySelectorAll("td")].map((td) => Number(td.textContent)))`)) as number[][];
    const sums = [0, 1, 2].map((i) => rows.reduce((n, r) => n + (r[i] ?? 0), 0));
    expect(sums).toEqual([PLAN.answered, PLAN.failed, PLAN.abandoned]);
    // Hovering the latest bar tells each outcome's count in that hour.
    const latest = [...rows].reverse().find((r) => r.some((n) => n > 0))!;
    const chart = page.getByRole("figure", { name: "Calls over time" });
    await chart.locator(".recharts-bar-rectangle").last().hover();
    const tooltip = chart.locator(".recharts-tooltip-wrapper");
    const counted = async () => {
      const text = ((await tooltip.textContent()) ?? "").replace(/\s+/g, "");
      return ["Answered", "Failed", "Abandoned"].map((name) => new RegExp(`${name}(\\d+)`).exec(text)?.[1] ?? null);
    };
    await expect.poll(counted).toEqual(latest.map(String));
    await page.mouse.move(1, 1);
    // Answered is drawn first (the base of each stack) and in green.
    const legend = await page.getByTestId("calls-over-time-legend").locator("p").allTextContents();
    expect(legend.map((l) => l.trim())).toEqual(["Answered", "Failed", "Abandoned"]);
  });

  it("shows each agent's calls and each member's share of the group as simulated", async () => {
    const loadTable = page.getByRole("table", { name: "Load per agent" });
    for (const agent of AGENTS) {
      const row = loadTable.getByTestId("agent-load-row").filter({ hasText: agent.name });
      const cells = await row.locator("td").allTextContents();
      expect([cells[0], Number(cells[1]), Number(cells[2])], agent.name).toEqual([agent.name, tally.answered.get(agent.name) ?? 0, tally.failed.get(agent.name) ?? 0]);
    }
    const dials = [...tally.dials.values()].reduce((a, b) => a + b, 0);
    const groupLoad = page.getByRole("region", { name: `${GROUP} load against target` });
    for (const agent of AGENTS) {
      const share = Math.round(((tally.dials.get(agent.name) ?? 0) / dials) * 100);
      await groupLoad.getByRole("meter", { name: `${agent.name} in ${GROUP}: ${share}% of the calls, target 33%` }).waitFor();
    }
    // Long names stay whole and inside the panel.
    const overflow = (await page.evaluate(`(() => { const el = document.querySelector('[aria-label="Group members: share of calls against target"]'); return el.scrollWidth - el.clientWidth; })()`)) as number;
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, "truth-01-dashboard-1440");
    await expectAccessible(page, "dashboard after the calls");
  });

  it("shows an answered call's real duration and its attempt's end and dial status", async () => {
    const sample = tally.sample!;
    await page.goto(`${webUrl}/call-records`);
    await page.getByLabel("Caller").fill(sample.from);
    const rows = page.getByTestId("call-records").locator("tbody tr");
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(1);
    expect(await rows.first().locator("td").last().textContent()).toBe(mmss(sample.seconds));
    await rows.first().getByRole("link").click();
    await page.getByRole("heading", { name: "Attempts" }).waitFor();
    expect(await page.getByRole("group", { name: "Duration" }).textContent()).toBe(`Duration${mmss(sample.seconds)}`);
    const attempt = (await page.getByRole("table", { name: "Attempts" }).locator("tbody tr").first().locator("td").allTextContents()).map((t) => t.trim());
    expect(attempt[4]).toMatch(/\d/);
    expect(attempt[5]).toBe(mmss(sample.seconds));
    expect(attempt[6]).toBe("answered");
    expect(attempt[7]).toBe("completed");
    expect(await page.evaluate(CLIPPED)).toEqual([]);
    await screenshot(page, "truth-02-call-detail-1440");
    await expectAccessible(page, "call detail");
  });

  it("fits every screen at 1440 px and 390 px, readable and accessible, with a screenshot of each", async () => {
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      for (const [name, path, ready] of SCREENS) {
        await page.goto(`${webUrl}${path}`);
        await page.getByRole("heading", { name: ready }).first().waitFor();
        await page.waitForLoadState("networkidle");
        // No badge or title is cut short ("L…", "READ…", "ANSWE…").
        await screenshot(page, `truth-${width}-${name}`);
        const clipped = await page.evaluate(CLIPPED);
        expect(clipped, `${name} at ${width}px`).toEqual([]);
        // Nor does the page scroll sideways (wide tables scroll inside their own container).
        const sideways = (await page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")) as number;
        expect(sideways, `${name} at ${width}px scrolls sideways; past the edge: ${JSON.stringify(sideways > 0 ? await page.evaluate(PAST_THE_EDGE) : [])}`).toBeLessThanOrEqual(0);
        await expectAccessible(page, `${name} at ${width}px`);
      }
      await page.goto(`${webUrl}/agent-groups/${admin.groupId}`);
      await page.getByRole("form", { name: `Edit ${GROUP}` }).waitFor();
      await page.getByTestId("member-row").first().waitFor();
      await page.waitForLoadState("networkidle");
      await screenshot(page, `truth-${width}-group-edit`);
      await expectAccessible(page, `group page at ${width}px`);
    }
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it("says on the group page which members health took out of rotation, as the group's stats say", async () => {
    const stats = await api<{ live: { members: { agentId: string; healthy: boolean; failures: number }[] } | null }>(admin.token, "GET", `/api/agent-groups/${admin.groupId}/stats`);
    const struck = (stats.live?.members ?? []).filter((m) => !m.healthy || m.failures >= 3).length;
    // 20 calls busy at every agent: some member failed three times in a row.
    expect(struck).toBeGreaterThan(0);
    await page.goto(`${webUrl}/agent-groups/${admin.groupId}`);
    await page.getByTestId("member-row").first().waitFor();
    await expect.poll(() => page.getByTestId("member-row").getByTestId("health-note").count(), { timeout: 20_000 }).toBe(struck);
  });

  it("writes the default fallback in the same font as the other fallbacks", async () => {
    await page.goto(`${webUrl}/inbound-rules`);
    const row = page.getByRole("table", { name: "Inbound rules in match order" }).locator("tbody tr").first();
    await row.waitFor();
    const fonts = (await page.evaluate(`(() => {
      const tds = document.querySelectorAll('table[aria-label="Inbound rules in match order"] tbody tr:first-child td');
      const font = (el) => getComputedStyle(el).font;
      return { name: font(tds[2]), fallback: font(tds[6].querySelector("*") ?? tds[6]) };
    })()`)) as { name: string; fallback: string };
    expect(fonts.fallback).toBe(fonts.name);
  });
});

describe("a read-only user reads state without controls", () => {
  let browser: Browser;
  let page: Page;
  let watch: ReturnType<typeof watchConsole>;

  beforeAll(async () => {
    const tenant = await createE2eTenant();
    await configure(tenant);
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    watch = watchConsole(page);
    await login(page, webUrl, tenant.viewer.email, tenant.viewer.password);
  }, 120_000);
  afterEach(() => expectCleanConsole(watch));
  afterAll(async () => {
    await browser?.close();
  });

  it("sees which agents are enabled, in words, on a phone", async () => {
    await page.goto(`${webUrl}/voice-agents`);
    const states = page.getByTestId("enabled-state");
    await expect.poll(() => states.count()).toBe(AGENTS.length);
    expect(new Set(await states.allTextContents())).toEqual(new Set(["Enabled"]));
    expect(await page.getByRole("switch").count()).toBe(0);
    await screenshot(page, "truth-390-voice-agents-read-only");
    const clipped = await page.evaluate(CLIPPED);
    expect(clipped).toEqual([]);
    await expectAccessible(page, "voice agents (read-only, 390 px)");
  });
});
