import { describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import Settings from "../../web/src/views/settings/tenant";
import { mockApi, page, renderAt, signIn } from "./render";

const OLD_TOKEN = "cxcb_old-callback-token";
const NEW_TOKEN = "cxcb_new-callback-token";
const urls = (token: string) => ({ sessionUpdate: `https://admin.acme.test/api/webhooks/c/${token}/session-update`, cdr: `https://admin.acme.test/api/webhooks/c/${token}/cdr` });

function tenant(overrides: Record<string, unknown> = {}) {
  return {
    id: "ten_1",
    name: "Acme",
    timezone: "UTC",
    cloudonixDomain: "acme.cloudonix.net",
    cloudonixDomainUuid: null as string | null,
    hasCloudonixApiKey: true,
    requestKey: { hint: "abcd", rotatedAt: "2026-01-01T00:00:00.000Z" },
    webhookUrl: "https://admin.acme.test/api/webhooks/voice-application",
    hasCallbackToken: true,
    callbackTokenRotatedAt: "2026-01-01T00:00:00.000Z",
    callbackUrls: urls(OLD_TOKEN),
    defaultFallback: null,
    retentionDays: 90,
    outboundCallerPatterns: ["1555*"],
    configVersion: 1,
    version: 7,
    createdAt: "",
    updatedAt: "",
    ...overrides,
  };
}

const NEW_KEY = "cxrk_the-new-key-shown-only-once";
const DOMAIN_UUID = "0f8fad5b-d9cb-469f-a165-70867728950e";

function api(overrides: Record<string, unknown> = {}) {
  let current = tenant(overrides);
  const calls = mockApi({
    "GET /api/tenant": () => current,
    "PUT /api/tenant": (_u: URL, init: RequestInit) => (current = { ...current, ...JSON.parse(String(init.body)), version: current.version + 1 }),
    "POST /api/tenant/request-key": () => {
      current = { ...current, requestKey: { hint: "once", rotatedAt: "2026-03-01T00:00:00.000Z" }, version: current.version + 1 };
      return { requestKey: NEW_KEY, hint: "once", rotatedAt: "2026-03-01T00:00:00.000Z", previousKeyValidUntil: null };
    },
    "POST /api/tenant/callback-token": () => {
      current = { ...current, hasCallbackToken: true, callbackTokenRotatedAt: "2026-03-01T00:00:00.000Z", callbackUrls: urls(NEW_TOKEN), version: current.version + 1 };
      return { callbackUrls: urls(NEW_TOKEN), rotatedAt: "2026-03-01T00:00:00.000Z", previousTokenValidUntil: "2026-03-01T01:00:00.000Z" };
    },
    "POST /api/tenant/cloudonix-domain-uuid": () => {
      if (!current.hasCloudonixApiKey) return new Response(JSON.stringify({ error: { code: "API_KEY_NOT_SET", message: "Store the tenant's Cloudonix API key first", requestId: "t" } }), { status: 409 });
      if (current.cloudonixDomain === "refused.cloudonix.net") {
        return new Response(JSON.stringify({ error: { code: "CLOUDONIX_KEY_REFUSED", message: "Cloudonix refused the tenant's API key (HTTP 401)", requestId: "t" } }), { status: 422 });
      }
      current = { ...current, cloudonixDomainUuid: DOMAIN_UUID, version: current.version + 1 };
      return current;
    },
    "GET /api/agent-groups": page([]),
    "GET /api/voice-agents": page([]),
  });
  return calls;
}

describe("tenant settings", () => {
  it("shows a rotated request key once, after a confirmation, and never again", async () => {
    signIn("admin");
    const calls = api();
    const user = userEvent.setup();
    renderAt("/settings", "/settings", <Settings />);
    expect(await screen.findByText("…abcd")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Rotate key" }));
    const confirm = await screen.findByRole("dialog", { name: "Rotate the request key?" });
    expect(calls.some((c) => c.path === "/api/tenant/request-key")).toBe(false);
    // Its close button has a name (axe's button-name rule).
    expect(within(confirm).getByRole("button", { name: "Close" })).toBeInTheDocument();
    await user.click(within(confirm).getByRole("button", { name: "Rotate key" }));

    const shown = await screen.findByRole("dialog", { name: "Your new request key" });
    expect(within(shown).getByText(NEW_KEY)).toBeInTheDocument();
    expect(within(shown).getByText(/it is never shown again/)).toBeInTheDocument();
    expect(within(shown).getByRole("button", { name: "Close" })).toBeInTheDocument();
    await user.click(within(shown).getByRole("button", { name: "I have copied it" }));
    await waitFor(() => expect(screen.queryByText(NEW_KEY)).toBeNull());
    // The screen now knows only the new key's last characters.
    expect(await screen.findByText("…once")).toBeInTheDocument();
    expect(document.body.textContent).not.toContain(NEW_KEY);
  });

  it("never shows the stored API key and sends one only when typed; patterns as people write them", async () => {
    signIn("admin");
    const calls = api();
    const user = userEvent.setup();
    renderAt("/settings", "/settings", <Settings />);
    const apiKey = await screen.findByLabelText(/Cloudonix API key/);
    expect(apiKey).toHaveValue("");
    expect(apiKey).toHaveAttribute("placeholder", "•••••••• (unchanged)");
    expect(screen.getByText("+1555*")).toBeInTheDocument();
    await user.clear(screen.getByRole("textbox", { name: /Tenant name/ }));
    await user.type(screen.getByRole("textbox", { name: /Tenant name/ }), "Acme Ltd");
    await user.click(screen.getByRole("button", { name: "Save settings" }));
    await waitFor(() => expect(calls.some((c) => c.method === "PUT")).toBe(true));
    const body = calls.find((c) => c.method === "PUT")!.body as Record<string, unknown>;
    expect(body).toMatchObject({ name: "Acme Ltd", timezone: "UTC", cloudonixDomain: "acme.cloudonix.net", retentionDays: 90, outboundCallerPatterns: ["+1555*"], defaultFallback: null, version: 7 });
    expect(body).not.toHaveProperty("cloudonixApiKey");

    await user.type(await screen.findByLabelText(/Cloudonix API key/), "new-api-key-123");
    await user.click(screen.getByRole("button", { name: "Save settings" }));
    await waitFor(() => expect(calls.filter((c) => c.method === "PUT")).toHaveLength(2));
    expect(calls.filter((c) => c.method === "PUT")[1]!.body).toMatchObject({ cloudonixApiKey: "new-api-key-123", version: 8 });
  });

  it("sets and clears the routing-number header, refusing a name the API would refuse", async () => {
    signIn("admin");
    const calls = api({ routingNumberHeader: null });
    const user = userEvent.setup();
    renderAt("/settings", "/settings", <Settings />);
    const field = await screen.findByRole("textbox", { name: /Routing number header/ });
    expect(field).toHaveValue("");
    await user.type(field, "A2B DNID");
    await user.click(screen.getByRole("button", { name: "Save settings" }));
    expect(await screen.findByText(/must be a SIP header name such as A2B-DNID/)).toBeInTheDocument();
    expect(calls.some((c) => c.method === "PUT")).toBe(false);

    await user.clear(field);
    await user.type(field, "A2B-DNID");
    await user.click(screen.getByRole("button", { name: "Save settings" }));
    await waitFor(() => expect(calls.find((c) => c.method === "PUT")?.body).toMatchObject({ routingNumberHeader: "A2B-DNID", version: 7 }));
    const saved = await screen.findByRole("textbox", { name: /Routing number header/ });
    await waitFor(() => expect(saved).toHaveValue("A2B-DNID"));
    await user.clear(saved);
    await user.click(screen.getByRole("button", { name: "Save settings" }));
    await waitFor(() => expect(calls.filter((c) => c.method === "PUT")[1]?.body).toMatchObject({ routingNumberHeader: null, version: 8 }));
  });

  it("enters the domain UUID, refusing one that is not a UUID, or reads it from Cloudonix", async () => {
    signIn("admin");
    const calls = api({ cloudonixDomainUuid: null });
    const user = userEvent.setup();
    renderAt("/settings", "/settings", <Settings />);
    const field = await screen.findByRole("textbox", { name: /Cloudonix domain UUID/ });
    await user.type(field, "not-a-uuid");
    await user.click(screen.getByRole("button", { name: "Save settings" }));
    expect(await screen.findByText(/must be a UUID/)).toBeInTheDocument();
    expect(calls.some((c) => c.method === "PUT")).toBe(false);

    await user.click(screen.getByRole("button", { name: "Read from Cloudonix" }));
    await waitFor(() => expect(screen.getByRole("textbox", { name: /Cloudonix domain UUID/ })).toHaveValue(DOMAIN_UUID));
    expect(calls.filter((c) => c.method === "POST" && c.path === "/api/tenant/cloudonix-domain-uuid")).toHaveLength(1);
  });

  it("says why the UUID could not be read from Cloudonix, and needs the key stored first", async () => {
    signIn("admin");
    api({ cloudonixDomainUuid: null, cloudonixDomain: "refused.cloudonix.net" });
    const user = userEvent.setup();
    renderAt("/settings", "/settings", <Settings />);
    await user.click(await screen.findByRole("button", { name: "Read from Cloudonix" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Cloudonix refused the tenant's API key (HTTP 401)");
  });

  it("shows admins the two callback URLs with copy buttons, and new ones after a confirmed rotation", async () => {
    signIn("admin");
    const calls = api();
    const user = userEvent.setup();
    renderAt("/settings", "/settings", <Settings />);
    expect(await screen.findByText(urls(OLD_TOKEN).sessionUpdate)).toBeInTheDocument();
    expect(screen.getByText(urls(OLD_TOKEN).cdr)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Copy Session update callback (session-update-endpoint)" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Copy CDR callback (cdr-endpoint)" })).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Rotate URLs" }));
    const confirm = await screen.findByRole("dialog", { name: "Rotate the callback URLs?" });
    expect(within(confirm).getByText(/keep working for one hour/)).toBeInTheDocument();
    expect(calls.some((c) => c.path === "/api/tenant/callback-token")).toBe(false);
    await user.click(within(confirm).getByRole("button", { name: "Rotate URLs" }));

    const shown = await screen.findByRole("dialog", { name: "Your new callback URLs" });
    expect(calls.filter((c) => c.path === "/api/tenant/callback-token")).toHaveLength(1);
    expect(within(shown).getByText(urls(NEW_TOKEN).sessionUpdate)).toBeInTheDocument();
    expect(within(shown).getByText(urls(NEW_TOKEN).cdr)).toBeInTheDocument();
    expect(within(shown).getByRole("button", { name: "Copy CDR callback (cdr-endpoint)" })).toBeInTheDocument();
    await user.click(within(shown).getByRole("button", { name: "Done" }));
    await waitFor(() => expect(screen.queryByRole("dialog", { name: "Your new callback URLs" })).toBeNull());
    // The page itself now shows the new URLs, not the old.
    expect(await screen.findByText(urls(NEW_TOKEN).cdr)).toBeInTheDocument();
    expect(screen.queryByText(urls(OLD_TOKEN).cdr)).toBeNull();
  });

  it("offers to generate callback URLs when the tenant has none", async () => {
    signIn("admin");
    api({ hasCallbackToken: false, callbackTokenRotatedAt: null, callbackUrls: null });
    renderAt("/settings", "/settings", <Settings />);
    expect(await screen.findByText(/No callback URLs yet/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Generate URLs" })).toBeInTheDocument();
  });

  it("gives a user no way to change settings, rotate the key or see the callback URLs", async () => {
    signIn("user");
    // As the API answers a read-only user: whether there are callback URLs, never the URLs.
    api({ callbackUrls: null });
    renderAt("/settings", "/settings", <Settings />);
    expect(await screen.findByRole("textbox", { name: /Tenant name/ })).toBeDisabled();
    expect(screen.queryByRole("button", { name: /Rotate key|Rotate URLs|Generate URLs|Save settings/ })).toBeNull();
    expect(screen.getByRole("button", { name: "Copy Voice application URL (GET or POST)" })).toBeInTheDocument();
    expect(screen.getByText(/only admins can see them/)).toBeInTheDocument();
    expect(document.body.textContent).not.toContain("/api/webhooks/c/");
  });
});
