import { describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import axe from "axe-core";
import Alerts from "../../web/src/views/integrations/alerts";
import { mockApi, renderAt, signIn } from "./render";

const rule = (overrides: Record<string, unknown> = {}) => ({
  id: "alr_1",
  name: "Agents out",
  kind: "agent_unhealthy",
  params: { agentId: null },
  enabled: true,
  cooldownMinutes: 60,
  notifyWebhooks: true,
  hasSlackUrl: true,
  version: 3,
  createdAt: "2026-03-01T09:00:00.000Z",
  updatedAt: "2026-03-01T09:00:00.000Z",
  ...overrides,
});

const alert = (id: string, overrides: Record<string, unknown> = {}) => ({
  id,
  ruleId: "alr_1",
  ruleName: "Agents out",
  kind: "agent_unhealthy",
  subject: { type: "agent", id: "agt_1", name: "Ada" },
  status: "open",
  message: "Agent Ada was taken out of rotation for failing calls",
  details: null,
  openedAt: "2026-03-01T10:00:00.000Z",
  lastNotifiedAt: "2026-03-01T10:00:00.000Z",
  notifications: 1,
  resolvedAt: null,
  ...overrides,
});

function api() {
  return mockApi({
    "GET /api/alerts": (url: URL) =>
      url.searchParams.get("status") === "open"
        ? { items: [alert("al_2")], nextCursor: null }
        : { items: [alert("al_2"), alert("al_1", { status: "resolved", resolvedAt: "2026-03-01T09:30:00.000Z", ruleId: null, ruleName: null, kind: "endpoint_disabled", message: "Event webhook CRM was disabled" })], nextCursor: null },
    "GET /api/alert-rules": {
      items: [rule(), rule({ id: "alr_2", name: "Sales failing", kind: "failure_rate", hasSlackUrl: false, notifyWebhooks: false, params: { targetType: "group", targetId: "grp_1", thresholdPct: 40, windowMinutes: 60, minAttempts: 10 } })],
    },
    "GET /api/voice-agents": { items: [{ id: "agt_1", name: "Ada", provider: "retell" }], nextCursor: null },
    "GET /api/agent-groups": { items: [{ id: "grp_1", name: "Sales" }], nextCursor: null },
    "GET /api/event-webhooks": { items: [] },
    "GET /api/schedules": { items: [{ id: "sch_1", name: "Office hours" }], nextCursor: null },
    "POST /api/alert-rules": (_url: URL, init: RequestInit) => rule({ id: "alr_3", ...JSON.parse(String(init.body)), hasSlackUrl: false }),
    "PUT /api/alert-rules/alr_1": (_url: URL, init: RequestInit) => rule({ ...JSON.parse(String(init.body)), version: 4 }),
  });
}

const writes = (calls: { method: string; path: string; body: unknown }[]) => calls.filter((c) => c.method !== "GET");

describe("the alerts screen", () => {
  it("lists open alerts, the rules and the recent alerts (the router's own named as such)", async () => {
    signIn("admin");
    api();
    const { container } = renderAt("/alerts", "/alerts", <Alerts />);
    const open = await screen.findByRole("table", { name: "Open alerts" });
    expect(await within(open).findByText("Agent Ada was taken out of rotation for failing calls")).toBeInTheDocument();
    const rules = await screen.findByRole("table", { name: "Alert rules" });
    const rows = within(rules).getAllByRole("row").slice(1);
    expect(within(rows[0]!).getByText("event webhooks, Slack")).toBeInTheDocument();
    expect(within(rows[1]!).getByText("nowhere (listed here only)")).toBeInTheDocument();
    const recent = await screen.findByRole("table", { name: "Recent alerts" });
    expect(await within(recent).findByText("the router")).toBeInTheDocument();
    expect(within(recent).getByText("resolved")).toBeInTheDocument();
    const result = await axe.run(container, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa"] }, rules: { "color-contrast": { enabled: false } } });
    expect(result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
  });

  it("adds a failure-rate rule, refusing what the API would before sending it", async () => {
    signIn("admin");
    const calls = api();
    const user = userEvent.setup();
    renderAt("/alerts", "/alerts", <Alerts />);
    await user.click(await screen.findByRole("button", { name: "Add alert rule" }));
    const form = await screen.findByRole("form", { name: "New alert rule" });
    await user.type(within(form).getByRole("textbox", { name: "Name" }), "Sales too many failures");
    await user.click(within(form).getByRole("combobox", { name: "Alert when" }));
    await user.click(await screen.findByRole("option", { name: "An agent's or group's failure rate is too high", hidden: true }));
    await user.type(within(form).getByRole("textbox", { name: "Slack-compatible incoming webhook" }), "https://hooks.example.com/x\tfoo");
    await user.click(within(form).getByRole("button", { name: "Save rule" }));
    // No target chosen, and a URL with a tab in it: nothing is sent.
    expect(await within(form).findByText(/control characters/)).toBeInTheDocument();
    expect(writes(calls)).toEqual([]);

    await user.clear(within(form).getByRole("textbox", { name: "Slack-compatible incoming webhook" }));
    await user.click(within(form).getByRole("combobox", { name: "Agent or group" }));
    await user.click(await screen.findByRole("option", { name: "Sales", hidden: true }));
    await user.clear(within(form).getByRole("textbox", { name: "Failed share of dial attempts (%)" }));
    await user.type(within(form).getByRole("textbox", { name: "Failed share of dial attempts (%)" }), "35");
    await user.click(within(form).getByRole("button", { name: "Save rule" }));
    await waitFor(() => expect(writes(calls)).toHaveLength(1));
    expect(writes(calls)[0]).toMatchObject({
      method: "POST",
      path: "/api/alert-rules",
      body: { name: "Sales too many failures", kind: "failure_rate", params: { targetType: "group", targetId: "grp_1", thresholdPct: 35, windowMinutes: 60, minAttempts: 10 }, cooldownMinutes: 60, notifyWebhooks: true },
    });
    expect((writes(calls)[0]!.body as Record<string, unknown>).slackUrl).toBeUndefined();
  });

  it("watches a schedule's open hours for calls nobody answers", async () => {
    signIn("admin");
    const calls = api();
    const user = userEvent.setup();
    renderAt("/alerts", "/alerts", <Alerts />);
    await user.click(await screen.findByRole("button", { name: "Add alert rule" }));
    const form = await screen.findByRole("form", { name: "New alert rule" });
    await user.type(within(form).getByRole("textbox", { name: "Name" }), "Nobody answers");
    await user.click(within(form).getByRole("combobox", { name: "Alert when" }));
    await user.click(await screen.findByRole("option", { name: "No call is answered for a while during a schedule's open hours", hidden: true }));
    await user.click(within(form).getByRole("combobox", { name: "Schedule" }));
    await user.click(await screen.findByRole("option", { name: "Office hours", hidden: true }));
    await user.clear(within(form).getByRole("textbox", { name: "No answered call for (minutes)" }));
    await user.type(within(form).getByRole("textbox", { name: "No answered call for (minutes)" }), "15");
    await user.click(within(form).getByRole("button", { name: "Save rule" }));
    await waitFor(() => expect(writes(calls)).toHaveLength(1));
    expect(writes(calls)[0]).toMatchObject({ body: { kind: "no_answers", params: { scheduleId: "sch_1", minutes: 15 } } });
  });

  it("edits a rule with its version, leaving the Slack URL alone unless it is replaced or removed", async () => {
    signIn("admin");
    const calls = api();
    const user = userEvent.setup();
    renderAt("/alerts", "/alerts", <Alerts />);
    await user.click(await screen.findByRole("button", { name: "Edit Agents out" }));
    const form = await screen.findByRole("form", { name: "Edit alert rule Agents out" });
    expect(within(form).getByText(/A URL is set \(never shown back\)/)).toBeInTheDocument();
    await user.click(within(form).getByRole("switch", { name: "Remove the Slack URL" }));
    await user.click(within(form).getByRole("button", { name: "Save rule" }));
    await waitFor(() => expect(writes(calls)).toHaveLength(1));
    expect(writes(calls)[0]).toMatchObject({ method: "PUT", path: "/api/alert-rules/alr_1", body: { name: "Agents out", params: { agentId: null }, slackUrl: null, version: 3 } });
  });

  it("shows a read-only user alerts and rules, with no write control", async () => {
    signIn("user");
    const calls = api();
    renderAt("/alerts", "/alerts", <Alerts />);
    await screen.findByRole("table", { name: "Alert rules" });
    expect(screen.queryByRole("button", { name: /Add alert rule|Edit|Delete/ })).toBeNull();
    expect(screen.queryByRole("switch")).toBeNull();
    expect(writes(calls)).toEqual([]);
  });
});
