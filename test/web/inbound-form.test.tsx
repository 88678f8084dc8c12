import { describe, expect, it } from "vitest";
import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import InboundAdd from "../../web/src/views/inbound-rules/add";
import { mockApi, page, renderAt, signIn } from "./render";

const EXISTING = {
  id: "irl_1",
  name: "Sales",
  pattern: "1555*",
  displayPattern: "+1555*",
  matchType: "prefix",
  priority: 100,
  enabled: true,
  target: { type: "group", id: "grp_1" },
  fallback: null,
  version: 1,
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
};

function api() {
  return mockApi({
    "GET /api/inbound-rules": page([EXISTING]),
    "GET /api/agent-groups": page([{ id: "grp_1", name: "Support", description: "", strategy: "round_robin", rollingWindowHours: 24, maxAttempts: 3, stickyTtlSeconds: null, enabled: true, memberCount: 2, version: 1, createdAt: "", updatedAt: "" }]),
    "GET /api/voice-agents": page([]),
    "POST /api/inbound-rules": (_u: URL, init: RequestInit) => ({ ...EXISTING, id: "irl_2", ...JSON.parse(String(init.body)), displayPattern: "+1800*" }),
  });
}

describe("inbound rule form", () => {
  it("checks the pattern as it is typed, with the API's parser", async () => {
    signIn("admin");
    api();
    const user = userEvent.setup();
    renderAt("/inbound-rules/new", "/inbound-rules/new", <InboundAdd />);
    const pattern = screen.getByRole("textbox", { name: /Called number pattern/ });
    await user.type(pattern, "+1a");
    expect(await screen.findByText(/Use \+15551234567 for one number/)).toBeInTheDocument();
    await user.clear(pattern);
    await user.type(pattern, "+1 800 555 0100");
    expect(await screen.findByText("Matches exactly +18005550100.")).toBeInTheDocument();
    await user.clear(pattern);
    await user.type(pattern, "+1800*");
    expect(await screen.findByText("Matches every number starting with +1800.")).toBeInTheDocument();
  });

  it("shows a conflict with an existing rule before saving", async () => {
    signIn("admin");
    api();
    const user = userEvent.setup();
    renderAt("/inbound-rules/new", "/inbound-rules/new", <InboundAdd />);
    await user.type(screen.getByRole("textbox", { name: /Called number pattern/ }), "+1 (555)*");
    expect(await screen.findByTestId("rule-conflict")).toHaveTextContent("already used by rule Sales (+1555*)");
  });

  it("sends the rule with its target", async () => {
    signIn("admin");
    const calls = api();
    const user = userEvent.setup();
    renderAt("/inbound-rules/new", "/inbound-rules/new", <InboundAdd />);
    await user.type(screen.getByRole("textbox", { name: /Called number pattern/ }), "+1800*");
    await user.click(screen.getByRole("combobox", { name: /Send calls to/ }));
    await user.click(await screen.findByRole("option", { name: "Support", hidden: true }));
    await user.click(screen.getByRole("button", { name: "Create rule" }));
    await waitFor(() => expect(calls.find((c) => c.method === "POST")?.body).toMatchObject({ pattern: "+1800*", target: { type: "group", id: "grp_1" }, priority: 100, enabled: true, fallback: null }));
  });
});
