import { describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import CallRecordDetailView from "../../web/src/views/call-records/detail";
import InboundAdd from "../../web/src/views/inbound-rules/add";
import { parseHeaderLines } from "../../web/src/views/inbound-rules/header-lines";
import InboundList from "../../web/src/views/inbound-rules/list";
import RoutingTester from "../../web/src/views/inbound-rules/routing-tester";
import { mockApi, page, renderAt, signIn } from "./render";

/* Carrier SIP headers in the SPA: rule conditions, the routing tester's headers, the call record. */

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
const GROUP = { id: "grp_1", name: "Support", description: "", strategy: "round_robin", rollingWindowHours: 24, maxAttempts: 3, stickyTtlSeconds: null, enabled: true, memberCount: 2, version: 1, createdAt: "", updatedAt: "" };

function rulesApi(rules: unknown[]) {
  return mockApi({
    "GET /api/inbound-rules": page(rules),
    "GET /api/agent-groups": page([GROUP]),
    "GET /api/voice-agents": page([]),
    "POST /api/inbound-rules": (_u: URL, init: RequestInit) => ({ ...rule(), id: "irl_2", ...JSON.parse(String(init.body)) }),
  });
}

async function pickTarget(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByRole("combobox", { name: /Send calls to/ }));
  await user.click(await screen.findByRole("option", { name: "Support", hidden: true }));
}

describe("inbound rule form: only when a carrier header equals a value", () => {
  it("sends the condition, and no condition when both fields are empty", async () => {
    signIn("admin");
    const calls = rulesApi([]);
    const user = userEvent.setup();
    renderAt("/inbound-rules/new", "/inbound-rules/new", <InboundAdd />);
    expect(screen.getByRole("group", { name: "Only when carrier header … equals …" })).toBeInTheDocument();
    await user.type(screen.getByRole("textbox", { name: /Called number pattern/ }), "+1800*");
    await pickTarget(user);
    await user.type(screen.getByRole("textbox", { name: "Carrier header" }), "X-Tenant");
    await user.type(screen.getByRole("textbox", { name: "Equals" }), "42");
    await user.click(screen.getByRole("button", { name: "Create rule" }));
    await waitFor(() => expect(calls.find((c) => c.method === "POST")?.body).toMatchObject({ pattern: "+1800*", header: { name: "X-Tenant", value: "42" } }));
  });

  it("sends null without a condition", async () => {
    signIn("admin");
    const calls = rulesApi([]);
    const user = userEvent.setup();
    renderAt("/inbound-rules/new", "/inbound-rules/new", <InboundAdd />);
    await user.type(screen.getByRole("textbox", { name: /Called number pattern/ }), "+1800*");
    await pickTarget(user);
    await user.click(screen.getByRole("button", { name: "Create rule" }));
    await waitFor(() => expect(calls.find((c) => c.method === "POST")?.body).toMatchObject({ header: null }));
  });

  it("refuses half a condition or a header name the API would refuse, before sending", async () => {
    signIn("admin");
    const calls = rulesApi([]);
    const user = userEvent.setup();
    renderAt("/inbound-rules/new", "/inbound-rules/new", <InboundAdd />);
    await user.type(screen.getByRole("textbox", { name: /Called number pattern/ }), "+1800*");
    await pickTarget(user);
    await user.type(screen.getByRole("textbox", { name: "Carrier header" }), "X Tenant");
    await user.click(screen.getByRole("button", { name: "Create rule" }));
    expect(await screen.findByText(/must be a SIP header name/)).toBeInTheDocument();
    expect(screen.getByText(/is required: the value the header must have/)).toBeInTheDocument();
    expect(calls.filter((c) => c.method === "POST")).toHaveLength(0);
  });

  it("flags a duplicate only for the same pattern and condition, as the API would", async () => {
    signIn("admin");
    rulesApi([rule(), rule({ id: "irl_9", name: "Tenant 42", header: { name: "X-Tenant", value: "42" } })]);
    const user = userEvent.setup();
    renderAt("/inbound-rules/new", "/inbound-rules/new", <InboundAdd />);
    await user.type(screen.getByRole("textbox", { name: /Called number pattern/ }), "+1800*");
    expect(await screen.findByTestId("rule-conflict")).toHaveTextContent("The pattern is already used by rule Sales (+1800*)");
    await user.type(screen.getByRole("textbox", { name: "Carrier header" }), "x-tenant");
    await user.type(screen.getByRole("textbox", { name: "Equals" }), "4");
    await waitFor(() => expect(screen.queryByTestId("rule-conflict")).toBeNull());
    await user.type(screen.getByRole("textbox", { name: "Equals" }), "2");
    expect(await screen.findByTestId("rule-conflict")).toHaveTextContent("The pattern with this header condition is already used by rule Tenant 42 (+1800*)");
  });
});

describe("inbound rules list", () => {
  it("shows a rule's header condition, the conditioned rule before the plain one of its pattern", async () => {
    signIn("user");
    rulesApi([rule(), rule({ id: "irl_9", name: "Tenant 42", priority: 500, header: { name: "X-Tenant", value: "42" } })]);
    renderAt("/inbound-rules", "/inbound-rules", <InboundList />);
    const table = await screen.findByRole("table", { name: "Inbound rules in match order" });
    const [, first, second] = within(table).getAllByRole("row");
    expect(within(first!).getByText("Tenant 42")).toBeInTheDocument();
    expect(within(first!).getByText("when X-Tenant = 42")).toBeInTheDocument();
    expect(within(second!).getByText("Sales")).toBeInTheDocument();
    expect(within(second!).queryByText(/^when /)).toBeNull();
  });
});

describe("routing tester: carrier headers", () => {
  const EXPLANATION = {
    decision: { action: "hangup", agent: null, trunk: null, person: null, context: [], timeLimitSec: null, cxml: "<Response><Hangup/></Response>" },
    chain: { attempts: [], waits: [], end: { label: "clean hang-up", action: "hangup", cxml: "<Response><Hangup/></Response>" } },
    trace: {
      direction: "inbound",
      rulesTried: [{ ruleId: "irl_9", pattern: "1800*", result: "header_not_matched", detail: "header X-Tenant is not 42" }],
      stages: [],
      notes: ["matched 18005550123 from carrier header A2B-DNID (the tenant's routing-number header) instead of To 18005550199"],
    },
  };

  it("sends the typed headers as a map, and shows why a header rule was passed over", async () => {
    signIn("user");
    const calls = mockApi({ "POST /api/routing/explain": EXPLANATION, "GET /api/voice-agents": page([]), "GET /api/trunks": page([]) });
    const user = userEvent.setup();
    renderAt("/routing-tester", "/routing-tester", <RoutingTester />);
    await user.type(screen.getByRole("textbox", { name: /To \(called number\)/ }), "+18005550199");
    await user.type(screen.getByRole("textbox", { name: /Carrier headers/ }), "A2B-DNID: 18005550123{Enter}{Enter}X-Tenant: 7");
    await user.click(screen.getByRole("button", { name: "Explain" }));
    await waitFor(() => expect(calls.find((c) => c.method === "POST")?.body).toEqual({ from: "+14155550100", to: "+18005550199", direction: "auto", headers: { "A2B-DNID": "18005550123", "X-Tenant": "7" } }));
    const rules = await screen.findByRole("table", { name: "Rules tried" });
    expect(within(rules).getByText("header not matched")).toBeInTheDocument();
    expect(within(rules).getByText("header X-Tenant is not 42")).toBeInTheDocument();
    expect(screen.getByText(/matched 18005550123 from carrier header A2B-DNID/)).toBeInTheDocument();
  });

  it("refuses a line that is not Name: value, and a header name the API would refuse", async () => {
    signIn("user");
    const calls = mockApi({ "POST /api/routing/explain": EXPLANATION, "GET /api/voice-agents": page([]), "GET /api/trunks": page([]) });
    const user = userEvent.setup();
    renderAt("/routing-tester", "/routing-tester", <RoutingTester />);
    await user.type(screen.getByRole("textbox", { name: /To \(called number\)/ }), "+18005550199");
    const headers = screen.getByRole("textbox", { name: /Carrier headers/ });
    await user.type(headers, "X-Tenant: 42{Enter}A2B-DNID 18005550123");
    await user.click(screen.getByRole("button", { name: "Explain" }));
    expect(await screen.findByText("Line 2: write each header as Name: value")).toBeInTheDocument();
    await user.clear(headers);
    await user.type(headers, "X Tenant: 42");
    await user.click(screen.getByRole("button", { name: "Explain" }));
    expect(await screen.findByText('"X Tenant" is not a SIP header name (letters, digits and - . _, at most 64 characters, no spaces or colons)')).toBeInTheDocument();
    expect(calls.filter((c) => c.method === "POST")).toHaveLength(0);
  });

  it("reads header lines as a SIP message shows them", () => {
    expect(parseHeaderLines("  A2B-DNID :  +18005550123 \r\n\nCorrelation-Id: a:b:c\n__proto__: x")).toEqual({
      headers: JSON.parse('{"A2B-DNID": "+18005550123", "Correlation-Id": "a:b:c", "__proto__": "x"}'),
      error: null,
    });
    expect(parseHeaderLines(": 42").error).toBe("Line 1: write each header as Name: value");
  });
});

describe("call record detail: carrier headers", () => {
  const RECORD = {
    id: "cal_1",
    callId: "sess-1",
    direction: "inbound",
    from: "+14155550100",
    to: "+18005550199",
    callerName: null,
    status: "completed",
    disposition: "answered",
    endReason: "hangup",
    ruleId: null,
    groupId: null,
    agentId: null,
    trunkId: null,
    attemptCount: 0,
    startedAt: "2026-03-02T10:00:00.000Z",
    answeredAt: null,
    endedAt: "2026-03-02T10:01:00.000Z",
    durationSec: 0,
    billableSec: 0,
    rule: null,
    group: null,
    agent: null,
    trunk: null,
    attempts: [],
    routing: null,
    flags: [],
    events: [],
  };

  it("lists the headers the call arrived with, and nothing for a call without", async () => {
    signIn("user");
    mockApi({ "GET /api/call-records/cal_1": { ...RECORD, carrierHeaders: { "A2B-DNID": "18005550123", "X-Tenant": "42" } }, "GET /api/voice-agents": page([]), "GET /api/trunks": page([]) });
    const { unmount } = renderAt("/call-records/cal_1", "/call-records/:id", <CallRecordDetailView />);
    const table = await screen.findByRole("table", { name: "Carrier headers" });
    const rows = within(table)
      .getAllByRole("row")
      .slice(1)
      .map((r) =>
        within(r)
          .getAllByRole("cell")
          .map((c) => c.textContent),
      );
    expect(rows).toEqual([
      ["A2B-DNID", "18005550123"],
      ["X-Tenant", "42"],
    ]);
    unmount();

    mockApi({ "GET /api/call-records/cal_1": { ...RECORD, carrierHeaders: null }, "GET /api/voice-agents": page([]), "GET /api/trunks": page([]) });
    renderAt("/call-records/cal_1", "/call-records/:id", <CallRecordDetailView />);
    expect(await screen.findByText("Routing trace")).toBeInTheDocument();
    expect(screen.queryByRole("table", { name: "Carrier headers" })).toBeNull();
  });
});
