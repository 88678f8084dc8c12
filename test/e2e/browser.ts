// Debian's chromium driven by playwright-core (no downloaded browser).
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium, type Browser, type Page } from "playwright-core";
import { expect } from "vitest";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const SHOTS = "test-output/e2e/screenshots";

/**
 * Everything the page reports as wrong: console errors and warnings (React's among them, the
 * SPA is built for development here) and uncaught exceptions. `take()` hands them over and
 * starts again; a test expects none, or names the ones it causes on purpose.
 */
export function watchConsole(page: Page): { take(): string[] } {
  let messages: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") messages.push(`${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => messages.push(`uncaught: ${error.message}`));
  return {
    take() {
      const taken = messages;
      messages = [];
      return taken;
    },
  };
}

/** Fails on any console error or warning except those `expected` matches (ones a test causes on purpose). */
export function expectCleanConsole(watch: { take(): string[] }, expected: RegExp[] = []): void {
  const unexpected = watch.take().filter((m) => !expected.some((e) => e.test(m)));
  expect(unexpected, "browser console").toEqual([]);
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

/** Waits until no transition or animation that ends is still running (a dialog opening, a toast leaving). */
export async function settled(page: Page): Promise<void> {
  // A string, not a function: this file is type-checked without the DOM library. Endless
  // animations (a loader, a progress bar's stripes) never finish and are not waited for.
  await page.waitForFunction(`document.getAnimations().every((a) => a.playState !== "running" || a.effect?.getComputedTiming().iterations === Infinity)`, undefined, { timeout: 5_000 });
}

/**
 * Waits for the toasts to close on their own (the app closes them after a few seconds; a
 * hovered one waits, so the mouse moves out of the way first). Failing here means toasts pile up.
 */
export async function toastsGone(page: Page): Promise<void> {
  await page.mouse.move(1, 1);
  await page.waitForFunction(`document.querySelectorAll(".mantine-Notification-root").length === 0`, undefined, { timeout: 10_000 });
}

/**
 * A screenshot of the screen as a person sees it once it is still: no toast over the content,
 * no dialog half-way in. An open dialog is shot as the viewport (it is fixed to it); anything
 * else as the full page from the top (the header is fixed to the top too).
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await toastsGone(page);
  const dialog = (await page.getByRole("dialog").count()) > 0;
  if (!dialog) await page.evaluate("window.scrollTo(0, 0)");
  await settled(page);
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: !dialog });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string }[];
}

/** Runs axe-core in the page (WCAG 2.1 A/AA rules) and returns serious and critical violations. */
export async function axe(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: axeSource });
  // A string, not a function: this file is type-checked without the DOM library.
  const violations = (await page.evaluate(`(async () => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target, html: n.html.slice(0, 160), summary: (n.failureSummary || "").slice(0, 300) })) }));
  })()`)) as AxeViolation[];
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const serious = await axe(page);
  expect(serious, `${screen}: ${JSON.stringify(serious, null, 2)}`).toEqual([]);
}

export async function login(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel("Email").fill(email);
  await page.locator("input[autocomplete=current-password]").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Dashboard" }).waitFor();
}
