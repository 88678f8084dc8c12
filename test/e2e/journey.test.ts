import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { expectAccessible, expectCleanConsole, launch, login, screenshot, settled, watchConsole } from "./browser";
import { choose, navigate, startCall } from "./helpers";

const webUrl = inject("webUrl");
const apiUrl = inject("apiUrl");
const tenant = inject("tenant");
const target = { baseUrl: apiUrl, domain: tenant.domain, requestKey: tenant.requestKey };

/*
 * One admin's day, in order (each step builds on the last, like a person at the console):
 * sign in, create agents, a group and a rule, test routing, send calls and watch them live,
 * find them in the records, export them, sign out. Every screen is screenshotted and scanned.
 */
describe("an admin's day", () => {
  let browser: Browser;
  let page: Page;
  let watch: ReturnType<typeof watchConsole>;
  /** Console messages a test causes on purpose. */
  let expected: RegExp[] = [];
  beforeAll(async () => {
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    watch = watchConsole(page);
  });
  afterEach(() => {
    expectCleanConsole(watch, expected);
    expected = [];
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("signs in and sees the dashboard connect live", async () => {
    await page.goto(`${webUrl}/`);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await screenshot(page, "01-login");
    await expectAccessible(page, "login");
    await login(page, webUrl, tenant.admin.email, tenant.admin.password);
    await page.locator("[data-testid=connection-indicator][data-state=open]").waitFor({ timeout: 20_000 });
    expect(await page.getByTestId("kpi-active-calls").textContent()).toBe("0");
    await screenshot(page, "02-dashboard-empty");
    await expectAccessible(page, "dashboard");
  });

  it("creates two voice agents with provider-aware forms", async () => {
    await navigate(page, "Voice agents");
    for (const agent of [
      { name: "Alice", provider: "Retell AI", number: "+1 (212) 555-0101" },
      { name: "Bob", provider: "Vapi", number: "+12125550102" },
    ]) {
      await page.getByRole("link", { name: "Add agent" }).click();
      await page.getByRole("textbox", { name: /^Name/ }).fill(agent.name);
      await choose(page, /^Provider/, agent.provider);
      await page.getByText(`For ${agent.provider}:`).first().waitFor();
      await page.getByLabel(/Agent phone number/).fill(agent.number);
      await page.getByLabel(/Max concurrent calls/).fill("5");
      await page.getByLabel(/SIP password/).fill("s3cret-sip");
      if (agent.name === "Alice") {
        await screenshot(page, "03-agent-form");
        await expectAccessible(page, "voice agent form");
      }
      await page.getByRole("button", { name: "Create agent" }).click();
      await page.getByRole("link", { name: agent.name, exact: true }).waitFor();
    }
    // Credentials are never shown back: the edit form says one is stored, the field is empty.
    await page.getByRole("link", { name: "Alice", exact: true }).click();
    await page.getByText("A password is stored").waitFor();
    expect(await page.getByLabel(/SIP password/).inputValue()).toBe("");
    expect(await page.getByLabel(/Agent phone number/).inputValue()).toBe("+12125550101");
    await screenshot(page, "03b-agent-edit");
    await expectAccessible(page, "voice agent edit");
    await page.getByRole("button", { name: "Cancel" }).click();

    // The toggle answers at once and sticks; a keyboard user flips it with Space.
    const bob = page.getByRole("switch", { name: "Bob enabled" });
    await bob.press("Space");
    await expect.poll(() => bob.isChecked()).toBe(false);
    await expect.poll(() => bob.isEnabled()).toBe(true);
    await bob.press("Space");
    await expect.poll(() => bob.isChecked()).toBe(true);
    await expect.poll(() => bob.isEnabled()).toBe(true);
    await screenshot(page, "04-voice-agents");
    await expectAccessible(page, "voice agents");
  });

  it("creates a group and orders its members by keyboard", async () => {
    await navigate(page, "Agent groups");
    await page.getByRole("link", { name: "Add group" }).click();
    await page.getByRole("textbox", { name: /^Name/ }).fill("Support");
    await choose(page, "Add a member", /^Alice/);
    await choose(page, "Add a member", /^Bob/);
    // Bob to the top with the keyboard sensor: focus the handle, space, arrow up, space.
    await page.getByRole("button", { name: /Reorder Bob/ }).focus();
    for (const key of ["Space", "ArrowUp", "Space"]) {
      await page.keyboard.press(key);
      await page.waitForTimeout(250);
    }
    await expect.poll(async () => (await page.getByTestId("member-row").first().textContent()) ?? "").toContain("Bob");
    // And back with the buttons.
    await page.getByRole("button", { name: "Move Alice up" }).click();
    await expect.poll(async () => (await page.getByTestId("member-row").first().textContent()) ?? "").toContain("Alice");
    await page.getByLabel("Weight of Alice").fill("3");
    await screenshot(page, "05-group-form");
    await expectAccessible(page, "group form");
    await page.getByRole("button", { name: "Create group" }).click();
    await page.getByRole("link", { name: "Support" }).waitFor();
    await screenshot(page, "06-groups");
    await expectAccessible(page, "groups");
    await page.getByRole("link", { name: "Support" }).click();
    await page.getByRole("form", { name: "Edit Support" }).waitFor();
    expect(await page.getByLabel("Weight of Alice").inputValue()).toBe("3");
    await screenshot(page, "06b-group-edit");
    await expectAccessible(page, "group edit");
    await page.getByRole("button", { name: "Cancel" }).click();
  });

  it("creates an inbound rule, with the pattern checked as it is typed", async () => {
    await navigate(page, "Inbound rules");
    await page.getByRole("link", { name: "Add rule" }).click();
    const pattern = page.getByLabel(/Called number pattern/);
    await pattern.fill("+1800abc");
    await page.getByText(/Use \+15551234567 for one number/).waitFor();
    await pattern.fill("+1800555*");
    await page.getByText("Matches every number starting with +1800555.").waitFor();
    await page.getByRole("textbox", { name: /^Name/ }).fill("Toll-free support");
    await choose(page, /Send calls to/, "Support");
    await screenshot(page, "07-inbound-form");
    await expectAccessible(page, "inbound rule form");
    await page.getByRole("button", { name: "Create rule" }).click();
    await page.getByRole("link", { name: "+1800555*" }).waitFor();

    // A second rule with the same pattern is flagged before saving, and refused by the API.
    await page.getByRole("link", { name: "Add rule" }).click();
    await page.getByLabel(/Called number pattern/).fill("+1 800 555*");
    await page.getByTestId("rule-conflict").waitFor();
    await page.getByRole("button", { name: "Cancel" }).click();
    await screenshot(page, "08-inbound-rules");
    await expectAccessible(page, "inbound rules");
  });

  it("explains a routing decision with its trace", async () => {
    await navigate(page, "Routing tester");
    await page.getByLabel(/To \(called number\)/).fill("+18005550199");
    await page.getByRole("button", { name: "Explain" }).click();
    const decision = page.getByTestId("routing-decision");
    await decision.waitFor();
    expect(await decision.textContent()).toMatch(/Dial an agent: (Alice|Bob)/);
    await page.getByRole("table", { name: "Rules tried" }).getByText("+1800555*").waitFor();
    await screenshot(page, "09-routing-tester");
    await expectAccessible(page, "routing tester");
  });

  it("adds a trunk and an outbound rule", async () => {
    await navigate(page, "Trunks");
    await page.getByRole("link", { name: "Add trunk" }).click();
    await page.getByLabel(/Trunk name in Cloudonix/).fill("carrier-a");
    await page.getByLabel(/Caller ID override/).fill("+14155550100");
    await screenshot(page, "10a-trunk-form");
    await expectAccessible(page, "trunk form");
    await page.getByRole("button", { name: "Create trunk" }).click();
    await page.getByRole("link", { name: "carrier-a" }).waitFor();
    await screenshot(page, "10-trunks");
    await expectAccessible(page, "trunks");
    await navigate(page, "Outbound rules");
    await page.getByRole("link", { name: "Add rule" }).click();
    await page.getByLabel(/Destination prefix/).fill("+44");
    await choose(page, /Trunks, in dialling order/, "carrier-a");
    await page.keyboard.press("Escape");
    await screenshot(page, "10b-outbound-form");
    await expectAccessible(page, "outbound rule form");
    await page.getByRole("button", { name: "Create rule" }).click();
    await page.getByRole("link", { name: "+44…" }).waitFor();
    await screenshot(page, "11-outbound-rules");
    await expectAccessible(page, "outbound rules");

    // Deleting asks first; cancelling keeps the rule.
    await page.getByRole("button", { name: "Delete outbound rule 44" }).click();
    const confirm = page.getByRole("dialog", { name: "Delete this outbound rule?" });
    await confirm.waitFor();
    await screenshot(page, "11b-delete-confirmation");
    await expectAccessible(page, "delete confirmation");
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await confirm.waitFor({ state: "detached" });
    await page.getByRole("link", { name: "+44…" }).waitFor();
  });

  it("shows simulated calls live on the dashboard, then in the records", async () => {
    await navigate(page, "Dashboard");
    await page.locator("[data-testid=connection-indicator][data-state=open]").waitFor({ timeout: 20_000 });
    const calls = [];
    for (let i = 0; i < 3; i++) calls.push(await startCall(target, `+1415555010${i}`, "+18005550199"));
    expect(calls.every((c) => /provider="(retell|vapi)"/.test(c.xml))).toBe(true);
    await expect.poll(() => page.getByTestId("live-call").count(), { timeout: 15_000 }).toBe(3);
    expect(await page.getByTestId("kpi-active-calls").textContent()).toBe("3");
    // Calls today counts calls in progress too.
    await expect.poll(async () => page.getByTestId("kpi-calls-today-counts").textContent(), { timeout: 30_000 }).toBe("started since midnight: 0 ended, 3 still live");
    await screenshot(page, "12-dashboard-live");
    for (const call of calls) await call.end();
    await expect.poll(() => page.getByTestId("live-call").count(), { timeout: 15_000 }).toBe(0);
    // Every call is counted, and as ended: a call whose end or record went missing would show
    // as "2 ended", or as "1 still live".
    await expect.poll(async () => page.getByTestId("kpi-calls-today-counts").textContent(), { timeout: 30_000 }).toBe("started since midnight: 3 ended, 0 still live");
    expect(await page.getByTestId("kpi-calls-today").textContent()).toBe("3");
    await expect.poll(async () => page.getByTestId("outcome-counts").textContent(), { timeout: 30_000 }).toBe("Answered: 3");
    await screenshot(page, "13-dashboard-after");
    await expectAccessible(page, "dashboard with data");

    await navigate(page, "Call records");
    const rows = page.getByTestId("call-records").locator("tbody tr");
    await expect.poll(async () => (await rows.allTextContents()).filter((t) => t.includes("completed")).length, { timeout: 20_000 }).toBe(3);
    await screenshot(page, "14-call-records");
    await expectAccessible(page, "call records");
    await page.getByLabel("Caller").fill("+14155550101");
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1);
    await rows.first().getByRole("link").click();
    await page.getByRole("heading", { name: "Timeline" }).waitFor();
    await page.getByRole("heading", { name: "Routing trace" }).waitFor();
    // The trace reads like the routing tester's; attempts have real headers and agent names.
    await page.getByRole("table", { name: "Rules tried" }).getByText("+1800555*").waitFor();
    const attempts = page.getByRole("table", { name: "Attempts" });
    expect(await attempts.getByRole("columnheader").allTextContents()).toEqual(["#", "Dialled", "Stage", "Started", "Ended", "Talk time", "Outcome", "Dial status"]);
    expect(await attempts.locator("tbody tr").first().getByRole("link").textContent()).toMatch(/^(Alice|Bob)$/);
    await screenshot(page, "15-call-detail");
    await expectAccessible(page, "call detail");
  });

  it("exports the records with progress and a download", async () => {
    await navigate(page, "Call records");
    await page.getByRole("button", { name: "Export" }).click();
    await page.getByRole("dialog", { name: "Export call records" }).waitFor();
    await settled(page);
    await expectAccessible(page, "export dialog");
    await page.getByRole("button", { name: "Start export" }).click();
    const link = page.getByRole("link", { name: /Download CSV/ });
    await link.waitFor({ timeout: 30_000 });
    await screenshot(page, "16-export");
    await expectAccessible(page, "export dialog, done");
    const csv = (await page.evaluate(`fetch(${JSON.stringify(await link.getAttribute("href"))}).then((r) => r.text())`)) as string;
    expect(csv.trim().split("\n").length).toBe(4);
    await page.keyboard.press("Escape");
  });

  it("shows settings with the exact webhook URLs, users and the audit log", async () => {
    await navigate(page, "Settings");
    await page.getByRole("heading", { name: "Cloudonix webhooks" }).waitFor();
    const urls = await page.locator("pre").allTextContents();
    expect(urls.some((u) => u.endsWith("/api/webhooks/voice-application"))).toBe(true);
    await screenshot(page, "17-settings");
    await expectAccessible(page, "settings");
    await page.getByRole("button", { name: "Rotate key" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Rotate key" }).click();
    const dialog = page.getByRole("dialog", { name: "Your new request key" });
    await dialog.waitFor();
    expect((await dialog.locator("pre").textContent())?.length).toBeGreaterThan(20);
    await screenshot(page, "18-request-key");
    await expectAccessible(page, "request key dialog");
    await dialog.getByRole("button", { name: "I have copied it" }).click();
    await dialog.waitFor({ state: "detached" });
    await navigate(page, "Users");
    await page.getByText(tenant.viewer.email).waitFor();
    await screenshot(page, "19-users");
    await expectAccessible(page, "users");
    await page.getByRole("button", { name: "Add user" }).click();
    const addUser = page.getByRole("dialog", { name: "Add a user" });
    await addUser.waitFor();
    await screenshot(page, "19b-add-user");
    await expectAccessible(page, "add user dialog");
    await addUser.getByRole("button", { name: "Cancel" }).click();
    await addUser.waitFor({ state: "detached" });
    await navigate(page, "Audit log");
    await page.getByText("voice_agent.created").first().waitFor();
    await screenshot(page, "20-audit-log");
    await expectAccessible(page, "audit log");
  });

  it("signs out cleanly", async () => {
    await page.getByRole("button", { name: /account menu/ }).click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await page.getByText("You have signed out.").waitFor();
    await page.goto(`${webUrl}/voice-agents`);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(await page.evaluate(`localStorage.getItem("cxlb.session")`)).toBeNull();
  });
});
