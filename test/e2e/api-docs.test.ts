import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { mkdirSync } from "node:fs";
import { expectCleanConsole, launch, SHOTS, watchConsole } from "./browser";

/** What these tests read of the page's window (the tests are type-checked without the DOM library). */
interface BrowserWindow {
  scrollY: number;
  innerHeight: number;
  document: { body: { scrollHeight: number } };
  scrollTo(x: number, y: number): void;
}

const webUrl = inject("webUrl");
const apiUrl = inject("apiUrl");
const tenant = inject("tenant");

/*
 * The API reference in a real browser: /api/docs on the SPA's origin (its /api proxied to the
 * Worker, as the production route sends /api/* to it) renders the operations of
 * /api/openapi.json, and no request leaves this machine: every request the page makes is
 * recorded, and any to another host is refused and fails the test.
 */
describe("the API reference at /api/docs", () => {
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const outside: string[] = [];

  beforeAll(async () => {
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await page.route("**/*", async (route) => {
      const url = new URL(route.request().url());
      requests.push(url.href);
      if (url.protocol === "data:" || url.hostname === "127.0.0.1" || url.hostname === "localhost") return route.continue();
      outside.push(url.href);
      return route.abort();
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("renders every operation from this origin alone, with both ways to authenticate", async () => {
    const watch = watchConsole(page);
    await page.goto(`${webUrl}/api/docs`);
    await page.locator(".opblock").first().waitFor({ timeout: 30_000 });
    // Swagger UI renders the tag sections near the viewport only: walk the page down, collecting
    // every operation it shows on the way.
    const seen = new Set<string>();
    for (let step = 0; step < 400; step++) {
      const methods = await page.locator(".opblock .opblock-summary-method").allTextContents();
      const paths = await page.locator(".opblock .opblock-summary-path").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-path")));
      for (const [i, path] of paths.entries()) seen.add(`${methods[i]} ${path}`);
      const atBottom = await page.evaluate(() => {
        const w = globalThis as unknown as BrowserWindow;
        return w.scrollY + w.innerHeight >= w.document.body.scrollHeight - 2;
      });
      if (atBottom && step > 2) break;
      await page.mouse.wheel(0, 600);
      await new Promise((r) => setTimeout(r, 60));
    }
    expect(seen.size).toBeGreaterThan(80);
    for (const path of ["/api/api-keys", "/api/metrics", "/api/webhooks/voice-application", "/api/voice-agents/{id}"]) {
      expect(
        [...seen].some((op) => op.endsWith(` ${path}`)),
        path,
      ).toBe(true);
    }
    await page.evaluate(() => (globalThis as unknown as BrowserWindow).scrollTo(0, 0));
    await new Promise((r) => setTimeout(r, 250));
    await page
      .getByRole("button", { name: /Authorize/ })
      .first()
      .click();
    const dialog = page.locator(".auth-container");
    await dialog.first().waitFor();
    const schemes = await dialog.allInnerTexts();
    expect(schemes.join("\n")).toMatch(/bearerAuth/);
    expect(schemes.join("\n")).toMatch(/cloudonixRequestKey/);
    expect(schemes.join("\n")).toMatch(/API key/);
    await page.keyboard.press("Escape");
    // Shot directly: the shared screenshot helper waits by evaluating a string, which this page's
    // Content-Security-Policy (script-src 'self', no eval) rightly refuses.
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/api-docs-1440.png` });

    // Try it out, with a read-only API key as the bearer: the scrape answers 200 in Prometheus text.
    const login = await fetch(`${apiUrl}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(tenant.admin) });
    const token = ((await login.json()) as { token: string }).token;
    const created = await fetch(`${apiUrl}/api/api-keys`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ name: "e2e docs", role: "user" }) });
    const { key } = (await created.json()) as { key: string };
    await page
      .getByRole("button", { name: /Authorize/ })
      .first()
      .click();
    const bearer = page.locator(".auth-container").filter({ hasText: "bearerAuth" });
    await bearer.locator("input").fill(key);
    await bearer.getByRole("button", { name: "Apply credentials" }).click();
    await bearer.getByRole("button", { name: "Remove authorization" }).waitFor();
    await page.locator(".btn-done").first().click();
    const metrics = page.locator("#operations-Metrics-getApiMetrics");
    // Rendered only once its section nears the viewport: scroll down to it.
    for (let step = 0; step < 400 && (await metrics.count()) === 0; step++) {
      await page.mouse.wheel(0, 600);
      await new Promise((r) => setTimeout(r, 60));
    }
    await metrics.locator(".opblock-summary").click();
    await metrics.getByRole("button", { name: "Try it out" }).click();
    await metrics.getByRole("button", { name: "Execute" }).click();
    const status = metrics.locator(".live-responses-table tbody .response-col_status").first();
    await status.waitFor({ timeout: 15_000 });
    expect((await status.textContent())?.trim()).toBe("200");
    expect(await metrics.locator(".live-responses-table").textContent()).toContain("cxlb_calls");

    // Everything the page loaded came from here: the page, Swagger UI's files, the document.
    const loaded = requests.map((href) => new URL(href).pathname);
    expect(loaded).toEqual(expect.arrayContaining(["/api/docs", "/api/docs/swagger-ui.css", "/api/docs/swagger-ui-bundle.js", "/api/docs/init.js", "/api/openapi.json", "/api/metrics"]));
    // Try it out called the page's own origin, not the document's server URL.
    expect(requests.filter((href) => new URL(href).pathname === "/api/metrics").map((href) => new URL(href).origin)).toEqual([new URL(webUrl).origin]);
    expect(outside).toEqual([]);
    expectCleanConsole(watch);
  });
});
