import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { expectAccessible, expectCleanConsole, launch, screenshot, watchConsole } from "./browser";
import { navigate } from "./helpers";

const webUrl = inject("webUrl");
const tenant = inject("tenant");

describe("a read-only user, by keyboard alone", () => {
  let browser: Browser;
  let page: Page;
  let watch: ReturnType<typeof watchConsole>;
  /** Console messages a test causes on purpose. */
  let expected: RegExp[] = [];
  beforeAll(async () => {
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    watch = watchConsole(page);
  });
  afterEach(() => {
    expectCleanConsole(watch, expected);
    expected = [];
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("signs in with the keyboard and reaches a screen through the skip link and the navigation", async () => {
    await page.goto(`${webUrl}/login`);
    // The form renders after the route's chunk loads; a Tab pressed before that lands nowhere.
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await page.keyboard.press("Tab");
    await page.keyboard.type(tenant.viewer.email);
    await page.keyboard.press("Tab");
    await page.keyboard.type(tenant.viewer.password);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Dashboard" }).waitFor();
    // The first Tab lands on the skip link; the navigation follows the header controls.
    await page.keyboard.press("Tab");
    expect(await page.evaluate("document.activeElement.textContent")).toBe("Skip to content");
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press("Tab");
      if ((await page.evaluate("document.activeElement.textContent")) === "Voice agents") break;
    }
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Voice agents" }).waitFor();
  });

  it("sees every screen without write controls", async () => {
    const screens: [string, string][] = [
      ["Voice agents", "Add agent"],
      ["Agent groups", "Add group"],
      ["Inbound rules", "Add rule"],
      ["Outbound rules", "Add rule"],
      ["Trunks", "Add trunk"],
      ["Users", "Add user"],
    ];
    for (const [screen, addLabel] of screens) {
      await navigate(page, screen);
      await page.getByRole("heading", { name: screen === "Users" ? "Users and roles" : screen, level: 1 }).waitFor();
      await page.getByText(/read-only access/).waitFor();
      expect(
        await page
          .getByRole("link", { name: addLabel })
          .or(page.getByRole("button", { name: addLabel }))
          .count(),
        screen,
      ).toBe(0);
      expect(await page.getByRole("button", { name: /^Delete/ }).count(), screen).toBe(0);
      await expectAccessible(page, `${screen} (read-only)`);
    }
    await navigate(page, "Settings");
    await page.getByRole("heading", { name: "Tenant", level: 2 }).waitFor();
    expect(await page.getByRole("button", { name: /Rotate key|Generate key|Save settings/ }).count()).toBe(0);
    expect(await page.getByRole("textbox", { name: /^Tenant name/ }).isDisabled()).toBe(true);
    await screenshot(page, "21-settings-read-only");
    await expectAccessible(page, "settings (read-only)");
    // The routing tester only reads: a user may use it.
    await navigate(page, "Routing tester");
    await page.getByLabel(/To \(called number\)/).fill("+19995550000");
    await page.getByRole("button", { name: "Explain" }).click();
    await page.getByTestId("routing-decision").waitFor();
    await screenshot(page, "22-routing-tester-read-only");
  });

  it("ends the session when the server revokes it", async () => {
    // The revoked token's requests are refused; the browser logs each refusal.
    expected = [/status of 401/];
    await page.evaluate(`(() => { const s = JSON.parse(localStorage.getItem("cxlb.session")); s.token = "revoked.token"; localStorage.setItem("cxlb.session", JSON.stringify(s)); })()`);
    await page.reload();
    await page.getByText("Your session has ended. Sign in again to continue.").waitFor({ timeout: 15_000 });
    await screenshot(page, "23-session-expired");
    await expectAccessible(page, "session expired");
  });
});
