import { describe, expect, it } from "vitest";
import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import InboundAdd from "../../web/src/views/inbound-rules/add";
import Settings from "../../web/src/views/settings/tenant";
import { mockApi, page, renderAt, signIn } from "./render";

const GROUP = { id: "grp_1", name: "Support", description: "", strategy: "round_robin", rollingWindowHours: 24, maxAttempts: 3, stickyTtlSeconds: null, enabled: true, memberCount: 2, version: 1, createdAt: "", updatedAt: "" };

function ruleApi() {
  return mockApi({
    "GET /api/inbound-rules": page([]),
    "GET /api/agent-groups": page([GROUP]),
    "GET /api/voice-agents": page([]),
    "GET /api/trunks": page([{ id: "trk_1", name: "Carrier A" }]),
    "POST /api/inbound-rules": (_u: URL, init: RequestInit) => ({ id: "irl_2", ...JSON.parse(String(init.body)) }),
  });
}

type User = ReturnType<typeof userEvent.setup>;

async function fillRule(user: User) {
  await user.type(screen.getByRole("textbox", { name: /Called number pattern/ }), "+1800*");
  await user.click(screen.getByRole("combobox", { name: /Send calls to/ }));
  await user.click(await screen.findByRole("option", { name: "Support", hidden: true }));
}

async function chooseFallback(user: User, kind: string, label = /^Fallback/) {
  await user.click(screen.getByRole("combobox", { name: label }));
  await user.click(await screen.findByRole("option", { name: kind, hidden: true }));
}

const posted = (calls: { method: string; body: unknown }[]) => calls.find((c) => c.method === "POST")?.body as Record<string, unknown> | undefined;

describe("fallback editor: escalation to a person", () => {
  it("escalates to a SIP URI, refusing one that carries markup as soon as the field is left", async () => {
    signIn("admin");
    const calls = ruleApi();
    const user = userEvent.setup();
    renderAt("/inbound-rules/new", "/inbound-rules/new", <InboundAdd />);
    await fillRule(user);
    await chooseFallback(user, "A person: SIP URI");
    const uri = screen.getByRole("textbox", { name: /^SIP URI/ });
    expect(uri).toHaveAttribute("placeholder", "sip:desk@pbx.example.com");
    await user.type(uri, 'sip:desk@pbx.example.com"><Dial>');
    await user.tab();
    const refusal = "must be a SIP URI like sip:desk@pbx.example.com (no spaces, quotes or angle brackets)";
    expect(await screen.findByText(refusal)).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Create rule" }));
    expect(calls.filter((c) => c.method === "POST")).toHaveLength(0);

    await user.clear(uri);
    await user.type(uri, "sip:desk@pbx.example.com");
    expect(screen.queryByText(refusal)).toBeNull();
    await user.click(screen.getByRole("button", { name: "Create rule" }));
    await waitFor(() => expect(posted(calls)).toBeDefined());
    expect(posted(calls)!.fallback).toEqual({ type: "sip", uri: "sip:desk@pbx.example.com" });
  });

  it("escalates to a phone number through a chosen trunk, or Cloudonix's choice", async () => {
    signIn("admin");
    const calls = ruleApi();
    const user = userEvent.setup();
    renderAt("/inbound-rules/new", "/inbound-rules/new", <InboundAdd />);
    await fillRule(user);
    await chooseFallback(user, "A person: phone number");
    const number = screen.getByRole("textbox", { name: /^Phone number/ });
    await user.type(number, "desk 12");
    await user.tab();
    expect(await screen.findByText("must be an E.164 number (+12125550123) or an extension of 2 to 8 digits")).toBeInTheDocument();
    await user.clear(number);
    await user.type(number, "+1 212 555 0123");
    expect(screen.getByRole("combobox", { name: /^Through trunk/ })).toHaveValue("Cloudonix chooses");
    await user.click(screen.getByRole("combobox", { name: /^Through trunk/ }));
    await user.click(await screen.findByRole("option", { name: "Carrier A", hidden: true }));
    await user.click(screen.getByRole("button", { name: "Create rule" }));
    await waitFor(() => expect(posted(calls)).toBeDefined());
    expect(posted(calls)!.fallback).toEqual({ type: "number", number: "+1 212 555 0123", trunkId: "trk_1" });
  });

  it("makes a person the tenant's default fallback, and sets the unmatched action", async () => {
    signIn("admin");
    let current: Record<string, unknown> = {
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
      unmatchedAction: "hangup",
      retentionDays: 90,
      outboundCallerPatterns: [],
      routingNumberHeader: null,
      configVersion: 1,
      version: 7,
      createdAt: "",
      updatedAt: "",
    };
    const calls = mockApi({
      "GET /api/tenant": () => current,
      "PUT /api/tenant": (_u: URL, init: RequestInit) => (current = { ...current, ...JSON.parse(String(init.body)), version: Number(current.version) + 1 }),
      "GET /api/agent-groups": page([]),
      "GET /api/voice-agents": page([]),
      "GET /api/trunks": page([]),
    });
    const user = userEvent.setup();
    renderAt("/settings", "/settings", <Settings />);
    await screen.findByRole("heading", { name: "Tenant", level: 2 });
    const unmatched = screen.getByRole("combobox", { name: "Unmatched calls without a default fallback" });
    expect(unmatched).toHaveValue("Hang up (answered first, so billed)");
    expect(unmatched).toHaveAccessibleDescription("What an inbound call no rule matches gets");
    await user.click(unmatched);
    await user.click(await screen.findByRole("option", { name: "Reject (never answered, not billed)", hidden: true }));
    await user.click(screen.getByRole("button", { name: "Save settings" }));
    await waitFor(() => expect(calls.find((c) => c.method === "PUT")?.body).toMatchObject({ unmatchedAction: "reject", defaultFallback: null, version: 7 }));

    await chooseFallback(user, "A person: SIP URI", /^Default fallback/);
    await user.type(await screen.findByRole("textbox", { name: /^SIP URI/ }), "sips:night-desk@pbx.example.com;transport=tls");
    expect(screen.getByRole("combobox", { name: "Unmatched calls without a default fallback" })).toHaveAccessibleDescription("Not used while a default fallback is set");
    await user.click(screen.getByRole("button", { name: "Save settings" }));
    await waitFor(() => expect(calls.filter((c) => c.method === "PUT")).toHaveLength(2));
    expect(calls.filter((c) => c.method === "PUT")[1]!.body).toMatchObject({ defaultFallback: { type: "sip", uri: "sips:night-desk@pbx.example.com;transport=tls" }, version: 8 });
  });
});
