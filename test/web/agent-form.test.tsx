import { describe, expect, it } from "vitest";
import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import AgentAdd from "../../web/src/views/voice-agents/add";
import AgentEdit from "../../web/src/views/voice-agents/edit";
import { PROVIDERS, agent, mockApi, renderAt, signIn } from "./render";

async function pickProvider(user: ReturnType<typeof userEvent.setup>, name: string) {
  await user.click(screen.getByRole("combobox", { name: /^Provider/ }));
  await user.click(await screen.findByRole("option", { name: new RegExp(name), hidden: true }));
}

describe("voice agent form", () => {
  it("explains the service value for the chosen provider and validates it with the API's schema", async () => {
    signIn("admin");
    const calls = mockApi({ "GET /api/providers": PROVIDERS, "POST /api/voice-agents": (_u: URL, init: RequestInit) => agent(JSON.parse(String(init.body))) });
    const user = userEvent.setup();
    renderAt("/voice-agents/new", "/voice-agents/new", <AgentAdd />);
    expect(screen.getByText("Choose a provider first")).toBeInTheDocument();
    await pickProvider(user, "Retell AI");
    expect(await screen.findByText(/For Retell AI: the agent's phone number in E.164 form/)).toBeInTheDocument();

    await user.type(screen.getByRole("textbox", { name: /^Name/ }), "Alice");
    await user.type(screen.getByRole("textbox", { name: /Agent phone number/ }), "12ab");
    await user.click(screen.getByRole("button", { name: "Create agent" }));
    expect(await screen.findByText(/Retell AI needs the agent's phone number in E.164 form/)).toBeInTheDocument();
    expect(calls.filter((c) => c.method === "POST")).toHaveLength(0);

    await user.clear(screen.getByRole("textbox", { name: /Agent phone number/ }));
    await user.type(screen.getByRole("textbox", { name: /Agent phone number/ }), "+1 (212) 555-0101");
    await user.click(screen.getByRole("button", { name: "Create agent" }));
    await waitFor(() => expect(calls.some((c) => c.method === "POST")).toBe(true));
    const body = calls.find((c) => c.method === "POST")!.body as Record<string, unknown>;
    expect(body).toMatchObject({ name: "Alice", provider: "retell", serviceValue: "+1 (212) 555-0101", enabled: true, weight: 1, maxConcurrentCalls: null });
    expect(body).not.toHaveProperty("password");
  });

  it("never shows a stored password and sends one only when typed", async () => {
    signIn("admin");
    const calls = mockApi({ "GET /api/providers": PROVIDERS, "GET /api/voice-agents/agt_1": agent(), "PUT /api/voice-agents/agt_1": agent({ version: 4 }) });
    const user = userEvent.setup();
    renderAt("/voice-agents/agt_1", "/voice-agents/:id", <AgentEdit />);
    const password = await screen.findByLabelText(/SIP password/);
    expect(password).toHaveValue("");
    expect(screen.getByText(/A password is stored \(never shown\)/)).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(calls.some((c) => c.method === "PUT")).toBe(true));
    const body = calls.find((c) => c.method === "PUT")!.body as Record<string, unknown>;
    expect(body.password).toBeUndefined();
    expect(body.version).toBe(3);
  });

  it("is read-only for a user: fields disabled, no save button", async () => {
    signIn("user");
    mockApi({ "GET /api/providers": PROVIDERS, "GET /api/voice-agents/agt_1": agent() });
    renderAt("/voice-agents/agt_1", "/voice-agents/:id", <AgentEdit />);
    expect(await screen.findByRole("textbox", { name: /^Name/ })).toBeDisabled();
    expect(screen.queryByRole("button", { name: "Save changes" })).toBeNull();
    expect(screen.getByText(/only admins can change voice agents/)).toBeInTheDocument();
  });

  it("shows the API's field errors next to the field", async () => {
    signIn("admin");
    mockApi({
      "GET /api/providers": PROVIDERS,
      "POST /api/voice-agents": () => new Response(JSON.stringify({ error: { code: "CONFLICT", message: 'A voice agent named "Alice" already exists', requestId: "r1", details: { field: "name" } } }), { status: 409 }),
    });
    const user = userEvent.setup();
    renderAt("/voice-agents/new", "/voice-agents/new", <AgentAdd />);
    await pickProvider(user, "Vapi");
    await user.type(screen.getByRole("textbox", { name: /^Name/ }), "Alice");
    await user.type(screen.getByRole("textbox", { name: /Agent phone number/ }), "+12125550101");
    await user.click(screen.getByRole("button", { name: "Create agent" }));
    expect(await screen.findByText('A voice agent named "Alice" already exists')).toBeInTheDocument();
  });
});
