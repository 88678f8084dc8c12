import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { expectAccessible, expectCleanConsole, launch, login, screenshot, watchConsole } from "./browser";
import { choose, navigate } from "./helpers";

const webUrl = inject("webUrl");
const apiUrl = inject("apiUrl");
const tenant = inject("tenant");

/*
 * Provider accounts and campaigns in the browser: an account created and its cap shown, a
 * campaign created, a contact list with a broken row refused with its line, loaded without it,
 * its progress and results shown, and a start refused without the tenant's Cloudonix key. Every
 * screen is checked with axe; a console error fails the test.
 */
describe("provider accounts and campaigns", () => {
  let browser: Browser;
  let page: Page;
  let watch: ReturnType<typeof watchConsole>;
  beforeAll(async () => {
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    watch = watchConsole(page);
    // The campaign needs a group to send answered calls to.
    const token = ((await (await fetch(`${apiUrl}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(tenant.admin) })).json()) as { token: string }).token;
    const headers = { "content-type": "application/json", authorization: `Bearer ${token}` };
    const agent = (await (await fetch(`${apiUrl}/api/voice-agents`, { method: "POST", headers, body: JSON.stringify({ name: `Campaign agent ${Date.now()}`, provider: "vapi", serviceValue: "+12125557001" }) })).json()) as { id: string };
    await fetch(`${apiUrl}/api/agent-groups`, { method: "POST", headers, body: JSON.stringify({ name: "Outbound team", members: [{ agentId: agent.id }] }) });
  });
  afterEach(() => expectCleanConsole(watch, [/status of 4\d\d/]));
  afterAll(async () => {
    await browser?.close();
  });

  it("creates a provider account and shows its slots", async () => {
    await login(page, webUrl, tenant.admin.email, tenant.admin.password);
    await navigate(page, "Provider accounts");
    await page.getByRole("heading", { name: "Provider accounts", level: 1 }).waitFor();
    await expectAccessible(page, "provider accounts");
    await page.getByRole("link", { name: "Add account" }).click();
    await page.getByRole("textbox", { name: /^Name/ }).fill("Vapi production");
    await page.getByRole("textbox", { name: /Maximum concurrent calls/ }).fill("50");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("link", { name: "Vapi production" }).click();
    await page.getByText("0 of 50 calls").waitFor();
    await expectAccessible(page, "provider account");
    await screenshot(page, "campaigns-01-provider-account");
  });

  it("creates a campaign, lists a broken contact row by line, loads the rest, and refuses to start without a Cloudonix key", async () => {
    await navigate(page, "Campaigns");
    await page.getByRole("heading", { name: "Campaigns", level: 1 }).waitFor();
    await expectAccessible(page, "campaigns");
    await page.getByRole("link", { name: "New campaign" }).click();
    await page.getByRole("textbox", { name: /^Name/ }).fill("Renewals");
    await choose(page, /Answered calls go to/, "Outbound team");
    await page.getByRole("textbox", { name: /Caller ID/ }).fill("+14155550100");
    await expectAccessible(page, "new campaign");
    await page.getByRole("button", { name: "Create campaign" }).click();
    await page.getByRole("heading", { name: "Campaign Renewals" }).waitFor();

    const csv = "phone,first_name\n+14155550101,Ann\nnot-a-number,Bob\n+14155550102,Cy\n";
    await page.locator('input[type="file"]').setInputFiles({ name: "contacts.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.getByRole("button", { name: "Upload" }).click();
    const rows = page.getByRole("table", { name: "Invalid rows" }).getByRole("row");
    await rows.nth(1).waitFor();
    expect(await rows.nth(1).textContent()).toContain("3phone");
    await expectAccessible(page, "campaign with a refused upload");
    await page.getByRole("checkbox", { name: /Load the valid rows/ }).check();
    await page.getByRole("button", { name: "Upload" }).click();
    await page.getByText(/2 contacts from 3 rows/).waitFor();
    await page.getByRole("table", { name: "Contacts and their attempts" }).getByText("+14155550102").waitFor();
    await page.getByLabel("Remaining: 2").waitFor();
    await expectAccessible(page, "campaign with contacts");
    await screenshot(page, "campaigns-02-campaign");

    await page.getByRole("button", { name: "Start" }).click();
    await page
      .getByText(/no Cloudonix API key/)
      .first()
      .waitFor();
  });
});
