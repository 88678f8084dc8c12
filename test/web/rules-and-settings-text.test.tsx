import { describe, expect, it } from "vitest";
import { screen, within } from "@testing-library/react";
import InboundAdd from "../../web/src/views/inbound-rules/add";
import InboundList from "../../web/src/views/inbound-rules/list";
import Settings from "../../web/src/views/settings/tenant";
import { mockApi, page, renderAt, signIn } from "./render";

const rule = (overrides: Record<string, unknown> = {}) => ({
  id: "irl_1",
  name: "Sales",
  pattern: "1800*",
  displayPattern: "+1800*",
  matchType: "prefix",
  priority: 100,
  enabled: true,
  target: { type: "group", id: "grp_1" },
  fallback: null,
  header: null,
  version: 1,
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
  ...overrides,
});

describe("inbound rules list", () => {
  it("writes the default fallback in the cell's own font, like a hang-up", async () => {
    signIn("user");
    mockApi({
      "GET /api/inbound-rules": page([rule(), rule({ id: "irl_2", pattern: "1900*", displayPattern: "+1900*", name: "Hotline", fallback: { type: "hangup" } })]),
      "GET /api/agent-groups": page([{ id: "grp_1", name: "Support" }]),
      "GET /api/voice-agents": page([]),
    });
    renderAt("/inbound-rules", "/inbound-rules", <InboundList />);
    const table = await screen.findByRole("table", { name: "Inbound rules in match order" });
    const fallbackCell = (row: HTMLElement) => within(row).getAllByRole("cell")[6]!;
    const rows = within(table).getAllByRole("row").slice(1);
    const sales = rows.find((r) => within(r).queryByText("Sales"))!;
    const hotline = rows.find((r) => within(r).queryByText("Hotline"))!;
    expect(fallbackCell(hotline)).toHaveTextContent(/^hangup$/);
    const text = within(fallbackCell(sales)).getByText("default");
    // Inline and inheriting the cell's size and family (Mantine's default Text is a 16 px paragraph).
    expect(text.tagName).toBe("SPAN");
    expect(text).toHaveAttribute("data-inherit");
  });
});

describe("inbound rule form", () => {
  it("types numbers in monospace, but labels and help in the form's font", async () => {
    signIn("admin");
    mockApi({ "GET /api/inbound-rules": page([]), "GET /api/agent-groups": page([]), "GET /api/voice-agents": page([]) });
    renderAt("/inbound-rules/new", "/inbound-rules/new", <InboundAdd />);
    const pattern = await screen.findByRole("textbox", { name: /Called number pattern/ });
    expect(pattern).toHaveClass("mono");
    expect(screen.getByText("Called number pattern").closest(".mono")).toBeNull();
    expect(screen.getByText("Carrier header").closest(".mono")).toBeNull();
  });
});

describe("tenant settings", () => {
  it("describes the default fallback as what unmatched calls get", async () => {
    signIn("admin");
    mockApi({
      "GET /api/tenant": {
        id: "ten_1",
        name: "Acme",
        timezone: "UTC",
        cloudonixDomain: "acme.cloudonix.net",
        cloudonixDomainUuid: null,
        hasCloudonixApiKey: false,
        requestKey: null,
        webhookUrl: "https://admin.acme.test/api/webhooks/voice-application",
        hasCallbackToken: false,
        callbackTokenRotatedAt: null,
        callbackUrls: null,
        defaultFallback: null,
        retentionDays: 90,
        outboundCallerPatterns: [],
        configVersion: 1,
        version: 7,
        createdAt: "",
        updatedAt: "",
      },
      "GET /api/agent-groups": page([]),
      "GET /api/voice-agents": page([]),
    });
    renderAt("/settings", "/settings", <Settings />);
    await screen.findByRole("heading", { name: "Tenant", level: 2 });
    expect(screen.getByRole("combobox", { name: "Default fallback" })).toHaveAccessibleDescription("What calls get that no inbound rule matches");
    expect(screen.queryByText("When the target cannot take the call")).toBeNull();
  });
});
