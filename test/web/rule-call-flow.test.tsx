import { describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import InboundAdd from "../../web/src/views/inbound-rules/add";
import InboundEdit from "../../web/src/views/inbound-rules/edit";
import InboundList from "../../web/src/views/inbound-rules/list";
import { mockApi, page, renderAt, signIn } from "./render";

const GROUP = { id: "grp_1", name: "Support", description: "", strategy: "round_robin", rollingWindowHours: 24, maxAttempts: 3, stickyTtlSeconds: null, enabled: true, memberCount: 2, version: 1, createdAt: "", updatedAt: "" };
const RULE = {
  id: "irl_1",
  name: "Callbacks",
  pattern: "1555*",
  displayPattern: "+1555*",
  matchType: "prefix",
  priority: 100,
  enabled: true,
  target: { type: "group", id: "grp_1" },
  fallback: null,
  header: null,
  scheduleId: null,
  closedTarget: null,
  callType: "api",
  timeLimitSec: 900,
  context: [{ name: "X-Campaign", value: "{ruleName}" }],
  version: 2,
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
};

function api() {
  return mockApi({
    "GET /api/inbound-rules": page([RULE]),
    "GET /api/inbound-rules/irl_1": RULE,
    "GET /api/agent-groups": page([GROUP]),
    "GET /api/voice-agents": page([]),
    "POST /api/inbound-rules": (_u: URL, init: RequestInit) => ({ ...RULE, id: "irl_2", ...JSON.parse(String(init.body)) }),
    "PUT /api/inbound-rules/irl_1": (_u: URL, init: RequestInit) => ({ ...RULE, ...JSON.parse(String(init.body)), version: 3 }),
  });
}

const callTypes = () => screen.getByRole("radiogroup", { name: "Calls this rule takes" });

describe("inbound rule: call type, time limit and headers", () => {
  it("takes API-started calls, limits their length and adds headers, checked with the API's schema", async () => {
    signIn("admin");
    const calls = api();
    const user = userEvent.setup();
    renderAt("/inbound-rules/new", "/inbound-rules/new", <InboundAdd />);
    expect(screen.getByText("Calls to your numbers, matched on the number called.")).toBeInTheDocument();
    await user.type(screen.getByRole("textbox", { name: /Called number pattern/ }), "+1800*");
    await user.type(screen.getByRole("textbox", { name: /^Name/ }), "Outreach");
    await user.click(screen.getByRole("combobox", { name: /Send calls to/ }));
    await user.click(await screen.findByRole("option", { name: "Support", hidden: true }));

    await user.click(within(callTypes()).getByRole("radio", { name: "Calls started through the API" }));
    expect(screen.getByText(/the person called has already answered, and this rule connects them to an agent/)).toBeInTheDocument();

    const limit = screen.getByRole("textbox", { name: /Maximum call length/ });
    await user.type(limit, "100000");
    await user.tab();
    expect(await screen.findByText("must be at most 86400 seconds (24 hours)")).toBeInTheDocument();
    await user.clear(limit);
    await user.type(limit, "1800");
    expect(screen.queryByText("must be at most 86400 seconds (24 hours)")).toBeNull();

    await user.click(screen.getByRole("button", { name: "Add header" }));
    await user.type(screen.getByRole("textbox", { name: "Header 1 name" }), "Rule");
    await user.click(screen.getByRole("textbox", { name: "Header 1 value" }));
    await user.paste("{ruleName} for {caller}");
    // The preview fills in the rule's own name.
    expect(within(screen.getByTestId("context-preview")).getByText("Outreach for +14155550100")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Create rule" }));
    await waitFor(() => expect(calls.some((c) => c.method === "POST")).toBe(true));
    expect(calls.find((c) => c.method === "POST")!.body).toMatchObject({ pattern: "+1800*", callType: "api", timeLimitSec: 1800, context: [{ name: "X-Rule", value: "{ruleName} for {caller}" }] });
  });

  it("refuses a header name without X- on save, next to the row, and sends nothing", async () => {
    signIn("admin");
    const calls = api();
    const user = userEvent.setup();
    renderAt("/inbound-rules/new", "/inbound-rules/new", <InboundAdd />);
    await user.type(screen.getByRole("textbox", { name: /Called number pattern/ }), "+1800*");
    await user.click(screen.getByRole("combobox", { name: /Send calls to/ }));
    await user.click(await screen.findByRole("option", { name: "Support", hidden: true }));
    await user.click(screen.getByRole("button", { name: "Add header" }));
    const name = screen.getByRole("textbox", { name: "Header 1 name" });
    await user.clear(name);
    await user.type(name, "Tenant");
    await user.click(screen.getByRole("button", { name: "Create rule" }));
    expect(await screen.findByText(/must start with "X-"/)).toBeInTheDocument();
    expect(name).toHaveAttribute("aria-invalid", "true");
    expect(calls.filter((c) => c.method === "POST")).toHaveLength(0);
  });

  it("shows a rule's call type, limit and headers, and saves them unchanged", async () => {
    signIn("admin");
    const calls = api();
    const user = userEvent.setup();
    renderAt("/inbound-rules/irl_1", "/inbound-rules/:id", <InboundEdit />);
    await screen.findByRole("textbox", { name: /Called number pattern/ });
    expect(within(callTypes()).getByRole("radio", { name: "Calls started through the API" })).toBeChecked();
    expect(screen.getByRole("textbox", { name: /Maximum call length/ })).toHaveValue("900");
    expect(screen.getByRole("textbox", { name: "Header 1 value" })).toHaveValue("{ruleName}");
    expect(within(screen.getByTestId("context-preview")).getByText("Callbacks")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(calls.some((c) => c.method === "PUT")).toBe(true));
    expect(calls.find((c) => c.method === "PUT")!.body).toMatchObject({ callType: "api", timeLimitSec: 900, context: RULE.context, version: 2 });
  });

  it("lists a rule that escalates to a person by the number or URI it dials", async () => {
    signIn("user");
    mockApi({
      "GET /api/inbound-rules": page([
        { ...RULE, fallback: { type: "number", number: "+12125550123", trunkId: "trk_1" } },
        { ...RULE, id: "irl_2", name: "Desk", pattern: "1900*", displayPattern: "+1900*", fallback: { type: "sip", uri: "sip:desk@pbx.example.com" } },
      ]),
      "GET /api/agent-groups": page([GROUP]),
      "GET /api/voice-agents": page([]),
    });
    renderAt("/inbound-rules", "/inbound-rules", <InboundList />);
    const table = await screen.findByRole("table", { name: "Inbound rules in match order" });
    const rows = within(table).getAllByRole("row").slice(1);
    const fallbackOf = (name: string) => within(rows.find((r) => within(r).queryByText(name))!).getAllByRole("cell")[6]!;
    expect(fallbackOf("Callbacks")).toHaveTextContent(/^\+12125550123$/);
    expect(fallbackOf("Desk")).toHaveTextContent(/^sip:desk@pbx\.example\.com$/);
  });

  it("checks conflicts among rules of the same call type only, as the API does", async () => {
    signIn("admin");
    api();
    const user = userEvent.setup();
    renderAt("/inbound-rules/new", "/inbound-rules/new", <InboundAdd />);
    // RULE takes API-started calls to +1555*: an inbound rule of that pattern is no conflict.
    await user.type(screen.getByRole("textbox", { name: /Called number pattern/ }), "+1555*");
    expect(await screen.findByText("Matches every number starting with +1555.")).toBeInTheDocument();
    expect(screen.queryByTestId("rule-conflict")).toBeNull();
    await user.click(within(callTypes()).getByRole("radio", { name: "Calls started through the API" }));
    expect(await screen.findByTestId("rule-conflict")).toHaveTextContent("already used by rule Callbacks (+1555*)");
  });

  it("marks rules for API-started calls in the list", async () => {
    signIn("user");
    mockApi({ "GET /api/inbound-rules": page([RULE, { ...RULE, id: "irl_2", name: "Main", callType: "inbound" }]), "GET /api/agent-groups": page([GROUP]), "GET /api/voice-agents": page([]) });
    renderAt("/inbound-rules", "/inbound-rules", <InboundList />);
    const table = await screen.findByRole("table", { name: "Inbound rules in match order" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(within(rows.find((r) => within(r).queryByText("Callbacks"))!).getByText("API calls")).toBeInTheDocument();
    expect(within(rows.find((r) => within(r).queryByText("Main"))!).queryByText("API calls")).toBeNull();
  });
});
