import { describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import AgentList from "../../web/src/views/voice-agents/list";
import { PROVIDERS, agent, mockApi, page, renderAt, signIn } from "./render";

const AGENTS = [agent(), agent({ id: "agt_2", name: "Bob", provider: "vapi", enabled: false, tags: ["support"], maxConcurrentCalls: null })];

function api(extra: Record<string, unknown> = {}) {
  return mockApi({
    "GET /api/providers": PROVIDERS,
    "GET /api/voice-agents": (url: URL) => page(url.searchParams.get("q") ? AGENTS.filter((a) => a.name.toLowerCase().includes(url.searchParams.get("q")!.toLowerCase())) : AGENTS),
    "GET /api/voice-agents/agt_1/status": { agentId: "agt_1", enabled: true, groups: [], live: { healthy: true } },
    "GET /api/voice-agents/agt_2/status": { agentId: "agt_2", enabled: false, groups: [], live: null },
    "POST /api/realtime/tickets": { ticket: "t", expiresAt: "", url: "" },
    ...extra,
  });
}

describe("voice agents table", () => {
  it("lists agents with provider, status, health and utilisation", async () => {
    signIn("admin");
    api();
    renderAt("/voice-agents", "/voice-agents", <AgentList />);
    const table = await screen.findByRole("table", { name: "Voice agents" });
    const rows = within(table).getAllByRole("row");
    expect(rows).toHaveLength(3);
    expect(within(rows[1]!).getByText("Retell AI")).toBeInTheDocument();
    expect(await within(rows[1]!).findByText("Healthy")).toBeInTheDocument();
    expect(within(rows[2]!).getByText("No data")).toBeInTheDocument();
    expect(within(rows[2]!).getByText("0 / no limit")).toBeInTheDocument();
    expect(within(rows[1]!).getByRole("progressbar", { name: /Alice utilisation 0%/, hidden: true })).toBeInTheDocument();
    expect(screen.getByRole("switch", { name: "Bob enabled" })).not.toBeChecked();
  });

  it("searches on the server as you type", async () => {
    signIn("admin");
    const calls = api();
    const user = userEvent.setup();
    renderAt("/voice-agents", "/voice-agents", <AgentList />);
    await screen.findByText("Bob");
    await user.type(screen.getByRole("textbox", { name: "Search" }), "ali");
    await waitFor(() => expect(screen.queryByText("Bob")).toBeNull());
    expect(calls.some((c) => c.path.includes("q=ali"))).toBe(true);
  });

  it("enables selected agents in bulk", async () => {
    signIn("admin");
    const calls = api({ "POST /api/voice-agents/bulk": { action: "enable", ids: ["agt_2"], changed: 1 } });
    const user = userEvent.setup();
    renderAt("/voice-agents", "/voice-agents", <AgentList />);
    await user.click(await screen.findByRole("checkbox", { name: "Select Bob" }));
    const bar = screen.getByRole("region", { name: "Bulk actions" });
    expect(within(bar).getByText("1 selected")).toBeInTheDocument();
    await user.click(within(bar).getByRole("button", { name: "Enable selected" }));
    await waitFor(() => expect(calls.find((c) => c.path === "/api/voice-agents/bulk")?.body).toEqual({ action: "enable", ids: ["agt_2"] }));
  });

  it("toggles an agent with immediate feedback", async () => {
    signIn("admin");
    const calls = api({ "PATCH /api/voice-agents/agt_2/toggle": () => new Promise((resolve) => setTimeout(() => resolve(agent({ id: "agt_2", name: "Bob", enabled: true })), 200)) });
    const user = userEvent.setup();
    renderAt("/voice-agents", "/voice-agents", <AgentList />);
    const bob = await screen.findByRole("switch", { name: "Bob enabled" });
    await user.click(bob);
    expect(bob).toBeChecked();
    await waitFor(() => expect(calls.find((c) => c.method === "PATCH")?.body).toEqual({ enabled: true }));
  });

  it("hides write controls from a read-only user", async () => {
    signIn("user");
    api();
    renderAt("/voice-agents", "/voice-agents", <AgentList />);
    await screen.findByText("Bob");
    expect(screen.queryByRole("link", { name: "Add agent" })).toBeNull();
    expect(screen.queryByRole("checkbox", { name: "Select Bob" })).toBeNull();
    expect(screen.queryByRole("button", { name: /Delete/ })).toBeNull();
    expect(screen.getByText(/read-only access/)).toBeInTheDocument();
  });

  it("tells a read-only user in words which agents are enabled", async () => {
    signIn("user");
    api();
    renderAt("/voice-agents", "/voice-agents", <AgentList />);
    const table = await screen.findByRole("table", { name: "Voice agents" });
    const [, alice, bob] = within(table).getAllByRole("row");
    // A disabled switch looks the same on and off: the state must be readable without it.
    expect(within(table).queryAllByRole("switch")).toHaveLength(0);
    expect(within(alice!).getByTestId("enabled-state")).toHaveTextContent(/^Enabled$/);
    expect(within(bob!).getByTestId("enabled-state")).toHaveTextContent(/^Disabled$/);
  });
});
