import { describe, expect, it } from "vitest";
import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import AuditLog from "../../web/src/views/settings/audit-log";
import { agent, mockApi, page, renderAt, signIn } from "./render";

const entry = (id: number, action: string, entityType: string, entityId: string | null, before: unknown = null, after: unknown = null) => ({
  id,
  at: "2026-03-02T10:00:00.000Z",
  actor: { userId: "usr_1", email: "admin@example.com" },
  ip: null,
  action,
  entityType,
  entityId,
  before,
  after,
});

const ENTRIES = [
  entry(1, "auth.login", "user", "usr_9"),
  entry(2, "auth.login_failed", "user", "usr_9"),
  entry(3, "voice_agent.created", "voice_agent", "agt_1", null, { id: "agt_1", name: "Alice", enabled: true }),
  entry(4, "voice_agent.deleted", "voice_agent", "agt_7", { id: "agt_7", name: "Gone agent" }, null),
  entry(5, "agent_group.members_replaced", "agent_group", "grp_1", { members: [] }, { members: [{ agentId: "agt_1" }] }),
  entry(6, "inbound_rule.updated", "inbound_rule", "irl_1", { name: "", displayPattern: "+1800555*", priority: 1 }, { name: "", displayPattern: "+1800555*", priority: 2 }),
  entry(7, "dead_letter.replayed", "dead_letter", "42", { callId: "sess-9", status: "parked" }, { callId: "sess-9", status: "replayed" }),
];

function api() {
  return mockApi({
    "GET /api/audit-log": (url: URL) => page(url.searchParams.get("entityType") ? ENTRIES.filter((e) => e.entityType === url.searchParams.get("entityType")) : ENTRIES),
    "GET /api/users": page([{ id: "usr_9", email: "viewer@example.com", name: "Viewer", role: "user", disabled: false }]),
    "GET /api/voice-agents": page([agent()]),
    "GET /api/agent-groups": page([{ id: "grp_1", name: "Support" }]),
  });
}

const rowOf = async (action: string) => (await screen.findByText(action)).closest("tr")!;

describe("audit log", () => {
  it("describes sign-ins as sign-ins, not as creations", async () => {
    signIn("admin");
    api();
    renderAt("/audit-log", "/audit-log", <AuditLog />);
    const login = await rowOf("auth.login");
    const failed = await rowOf("auth.login_failed");
    expect(login.lastElementChild).toHaveTextContent(/^signed in$/);
    expect(failed.lastElementChild).toHaveTextContent(/^sign-in refused$/);
    expect(within(await rowOf("voice_agent.created")).getByText("created")).toBeInTheDocument();
    expect(within(await rowOf("inbound_rule.updated")).getByText("priority")).toBeInTheDocument();
  });

  it("names the entity, with its id beside it", async () => {
    signIn("admin");
    api();
    renderAt("/audit-log", "/audit-log", <AuditLog />);
    // No snapshot: the name comes from the current users list.
    expect(await within(await rowOf("auth.login")).findByText("viewer@example.com")).toHaveAttribute("title", "usr_9");
    expect(within(await rowOf("voice_agent.created")).getByText("Alice")).toBeInTheDocument();
    // Deleted: the snapshot still has the name.
    expect(within(await rowOf("voice_agent.deleted")).getByText("Gone agent")).toBeInTheDocument();
    expect(await within(await rowOf("agent_group.members_replaced")).findByText("Support")).toBeInTheDocument();
    expect(within(await rowOf("inbound_rule.updated")).getByText("+1800555*")).toBeInTheDocument();
    expect(within(await rowOf("dead_letter.replayed")).getByText("Dead letter #42 (call sess-9)")).toBeInTheDocument();
    expect(within(await rowOf("voice_agent.created")).getByText(/agt_1/)).toBeInTheDocument();
  });

  it("filters by dead letters", async () => {
    signIn("admin");
    const calls = api();
    const user = userEvent.setup();
    renderAt("/audit-log", "/audit-log", <AuditLog />);
    await rowOf("auth.login");
    await user.click(screen.getByRole("combobox", { name: "Entity" }));
    await user.click(await screen.findByRole("option", { name: "Dead letters", hidden: true }));
    await screen.findByText("dead_letter.replayed");
    expect(calls.some((c) => c.path.startsWith("/api/audit-log") && c.path.includes("entityType=dead_letter"))).toBe(true);
  });

  it("names an API key as the actor of what it changed, and its own revocation", async () => {
    signIn("admin");
    mockApi({
      "GET /api/audit-log": page([
        { ...entry(8, "trunk.created", "trunk", "trk_1", null, { id: "trk_1", name: "carrier-a" }), actor: { userId: null, email: null, apiKey: { id: "key_1", name: "Terraform" } } },
        entry(9, "api_key.revoked", "api_key", "key_1", { id: "key_1", name: "Terraform", status: "active" }, { id: "key_1", name: "Terraform", status: "revoked" }),
      ]),
      "GET /api/users": page([]),
      "GET /api/voice-agents": page([]),
      "GET /api/agent-groups": page([]),
    });
    renderAt("/audit-log", "/audit-log", <AuditLog />);
    const created = await rowOf("trunk.created");
    expect(within(created).getByText("API key Terraform")).toHaveAttribute("title", "key_1");
    const revoked = await rowOf("api_key.revoked");
    expect(revoked.lastElementChild).toHaveTextContent(/^revoked$/);
    expect(within(revoked).getByText("Terraform")).toBeInTheDocument();
    expect(within(revoked).getByText(/API keys · key_1/)).toBeInTheDocument();
  });
});
