import { describe, expect, it } from "vitest";
import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import AgentAdd from "../../web/src/views/voice-agents/add";
import AgentEdit from "../../web/src/views/voice-agents/edit";
import { PROVIDERS, agent, mockApi, page, renderAt, signIn } from "./render";

async function pickProvider(user: ReturnType<typeof userEvent.setup>, name: string) {
  await user.click(screen.getByRole("combobox", { name: /^Provider/ }));
  await user.click(await screen.findByRole("option", { name: new RegExp(name), hidden: true }));
}

const TRUNKS = page([{ id: "trk_1", name: "Carrier A" }]);
const posted = (calls: { method: string; body: unknown }[]) => calls.find((c) => c.method === "POST")?.body as Record<string, unknown> | undefined;

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

  it("asks a SIP agent for its URI and optional credentials, refusing markup in the URI as it is typed", async () => {
    signIn("admin");
    const calls = mockApi({ "GET /api/providers": PROVIDERS, "POST /api/voice-agents": (_u: URL, init: RequestInit) => agent(JSON.parse(String(init.body))) });
    const user = userEvent.setup();
    renderAt("/voice-agents/new", "/voice-agents/new", <AgentAdd />);
    await pickProvider(user, "SIP URI");
    const uri = await screen.findByRole("textbox", { name: /^SIP URI/ });
    expect(uri).toHaveAttribute("placeholder", "sip:agent@sip.example.com;transport=tls");
    expect(screen.getByText(/For SIP URI: any SIP agent's URI/)).toBeInTheDocument();
    expect(screen.getByLabelText(/SIP password/)).toBeInTheDocument();
    expect(screen.queryByRole("textbox", { name: /Dial out through trunk/ })).toBeNull();

    await user.type(screen.getByRole("textbox", { name: /^Name/ }), "Desk");
    await user.type(uri, 'sip:agent@pbx.example.com"><Dial>');
    await user.tab();
    // Refused on leaving the field, before any save, with the API's own message.
    expect(await screen.findByText(/SIP URI needs a SIP URI like sip:agent@sip.example.com;transport=tls \(no spaces, quotes or angle brackets\)/)).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Create agent" }));
    expect(calls.filter((c) => c.method === "POST")).toHaveLength(0);

    await user.clear(uri);
    await user.type(uri, "sip:agent@pbx.example.com;transport=tls");
    await user.type(screen.getByRole("textbox", { name: /SIP username/ }), "desk");
    await user.click(screen.getByRole("button", { name: "Create agent" }));
    await waitFor(() => expect(posted(calls)).toBeDefined());
    expect(posted(calls)).toMatchObject({ provider: "sip", serviceValue: "sip:agent@pbx.example.com;transport=tls", username: "desk", context: [] });
    expect(posted(calls)).not.toHaveProperty("trunkId");
  });

  it("asks a WebSocket agent for a wss:// URL only: no credentials, context as stream parameters", async () => {
    signIn("admin");
    const calls = mockApi({ "GET /api/providers": PROVIDERS, "POST /api/voice-agents": (_u: URL, init: RequestInit) => agent(JSON.parse(String(init.body))) });
    const user = userEvent.setup();
    renderAt("/voice-agents/new", "/voice-agents/new", <AgentAdd />);
    await pickProvider(user, "WebSocket stream");
    const url = await screen.findByRole("textbox", { name: /^WebSocket URL/ });
    expect(url).toHaveAttribute("placeholder", "wss://agent.example.com/stream");
    expect(screen.queryByLabelText(/SIP password/)).toBeNull();
    expect(screen.queryByRole("textbox", { name: /SIP username/ })).toBeNull();
    expect(screen.getByText("Stream parameters sent to the agent")).toBeInTheDocument();

    await user.type(screen.getByRole("textbox", { name: /^Name/ }), "Streamer");
    await user.type(url, "ws://agent.example.com/stream");
    await user.tab();
    expect(await screen.findByText(/WebSocket stream needs a secure WebSocket URL like wss:\/\/agent.example.com\/stream/)).toBeInTheDocument();
    await user.clear(url);
    await user.type(url, "wss://agent.example.com/stream?id=7");
    await user.click(screen.getByRole("button", { name: "Add parameter" }));
    await user.type(screen.getByRole("textbox", { name: "Parameter 1 name" }), "Caller");
    await user.click(screen.getByRole("textbox", { name: "Parameter 1 value" }));
    await user.paste("{caller}");
    await user.click(screen.getByRole("button", { name: "Create agent" }));
    await waitFor(() => expect(posted(calls)).toBeDefined());
    const body = posted(calls)!;
    expect(body).toMatchObject({ provider: "websocket", serviceValue: "wss://agent.example.com/stream?id=7", context: [{ name: "X-Caller", value: "{caller}" }] });
    expect(body).not.toHaveProperty("username");
    expect(body).not.toHaveProperty("password");
  });

  it("dials a phone-number agent through a chosen trunk, without credentials", async () => {
    signIn("admin");
    const calls = mockApi({ "GET /api/providers": PROVIDERS, "GET /api/trunks": TRUNKS, "POST /api/voice-agents": (_u: URL, init: RequestInit) => agent(JSON.parse(String(init.body))) });
    const user = userEvent.setup();
    renderAt("/voice-agents/new", "/voice-agents/new", <AgentAdd />);
    await pickProvider(user, "Phone number");
    const number = await screen.findByRole("textbox", { name: /^Phone number or extension/ });
    expect(screen.queryByLabelText(/SIP password/)).toBeNull();
    await user.type(screen.getByRole("textbox", { name: /^Name/ }), "Front desk");
    await user.type(number, "call me");
    await user.tab();
    expect(await screen.findByText(/Phone number needs an E.164 number \(\+12125550123\) or an extension of 2 to 8 digits/)).toBeInTheDocument();
    await user.clear(number);
    await user.type(number, "+1 212 555 0199");
    await user.click(screen.getByRole("combobox", { name: /Dial out through trunk/ }));
    await user.click(await screen.findByRole("option", { name: "Carrier A", hidden: true }));
    await user.click(screen.getByRole("button", { name: "Create agent" }));
    await waitFor(() => expect(posted(calls)).toBeDefined());
    expect(posted(calls)).toMatchObject({ provider: "phone", serviceValue: "+1 212 555 0199", trunkId: "trk_1" });
    expect(posted(calls)).not.toHaveProperty("password");
  });

  it("clears the stored credentials of an agent that becomes a phone number", async () => {
    signIn("admin");
    const calls = mockApi({ "GET /api/providers": PROVIDERS, "GET /api/trunks": TRUNKS, "GET /api/voice-agents/agt_1": agent({ username: "alice" }), "PUT /api/voice-agents/agt_1": agent({ version: 4 }) });
    const user = userEvent.setup();
    renderAt("/voice-agents/agt_1", "/voice-agents/:id", <AgentEdit />);
    await screen.findByLabelText(/SIP password/);
    await pickProvider(user, "Phone number");
    expect(await screen.findByText("A phone-number agent takes no credentials: saving removes the stored ones.")).toBeInTheDocument();
    expect(screen.queryByLabelText(/SIP password/)).toBeNull();
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(calls.some((c) => c.method === "PUT")).toBe(true));
    expect(calls.find((c) => c.method === "PUT")!.body).toMatchObject({ provider: "phone", username: null, password: null, serviceValue: "+12125550101", version: 3 });
  });
});
