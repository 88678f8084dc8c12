// Figures for the admin SPA: the built bundle's size (gzip), and the time from navigation to
// an interactive dashboard over a tenant with 30 days of call records (bench/analytics-generate.ts).
//   npx tsx bench/analytics-generate.ts --records 100000 --days 30   (once)
//   npx tsx bench/web-dashboard.ts [--runs 5]
import { readdirSync, readFileSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { parseArgs } from "node:util";
import { launch } from "../test/e2e/browser";
import { startStack } from "../test/e2e/stack";
import type { AnalyticsBenchState } from "./analytics-generate";

// The generator's state file (not imported: that module runs when loaded).
const STATE_FILE = ".wrangler/bench-analytics.json";

const { values } = parseArgs({ options: { runs: { type: "string", default: "5" } } });
const state = JSON.parse(readFileSync(STATE_FILE, "utf8")) as AnalyticsBenchState;

const stack = await startStack();
try {
  const dist = "web/dist/assets";
  const files = readdirSync(dist).map((name) => ({ name, raw: statSync(`${dist}/${name}`).size, gz: gzipSync(readFileSync(`${dist}/${name}`)).length }));
  const sum = (list: typeof files) => list.reduce((a, f) => ({ raw: a.raw + f.raw, gz: a.gz + f.gz }), { raw: 0, gz: 0 });
  const html = readFileSync("web/dist/index.html", "utf8");
  const entry = files.filter((f) => html.includes(f.name));
  const dashboard = files.filter((f) => f.name.startsWith("dashboard-"));
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`bundle: all assets ${kb(sum(files).raw)} (${kb(sum(files).gz)} gzip) in ${files.length} files`);
  console.log(`bundle: entry (JS+CSS in index.html) ${kb(sum(entry).gz)} gzip; + dashboard chunk ${kb(sum(dashboard).gz)} gzip`);

  const browser = await launch();
  const times: number[] = [];
  for (let run = 0; run < Number(values.runs); run++) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${stack.webUrl}/login`);
    await page.getByLabel("Email").fill(state.viewer.email);
    await page.locator("input[autocomplete=current-password]").fill(state.viewer.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Dashboard" }).waitFor();
    // A cold load of the dashboard (session kept): from navigation until the KPIs, the calls
    // chart, the per-agent load and the live connection are there and the main thread is idle.
    const started = Date.now();
    await page.goto(`${stack.webUrl}/`, { waitUntil: "commit" });
    await page.locator("[data-testid=kpi-calls-today]").filter({ hasNotText: "—" }).waitFor({ timeout: 60_000 });
    await page.getByRole("figure", { name: "Calls over time" }).locator("svg .recharts-area").first().waitFor({ timeout: 60_000 });
    await page.getByRole("table", { name: "Load per agent" }).locator("tbody tr").first().waitFor({ timeout: 60_000 });
    await page.locator("[data-testid=connection-indicator][data-state=open]").waitFor({ timeout: 60_000 });
    await page.evaluate("new Promise((resolve) => requestIdleCallback(resolve, { timeout: 2000 }))");
    times.push(Date.now() - started);
    await context.close();
  }
  await browser.close();
  times.sort((a, b) => a - b);
  console.log(`dashboard interactive over ${state.records} records / ${Math.round((state.to - state.from) / 86_400_000)} days: runs ${times.join(", ")} ms; median ${times[Math.floor(times.length / 2)]} ms`);
} finally {
  await stack.stop();
}
