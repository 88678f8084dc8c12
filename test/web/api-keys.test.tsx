import { describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import ApiKeys from "../../web/src/views/settings/api-keys";
import { mockApi, renderAt, signIn } from "./render";

const SECRET = "cxak_the-new-key-shown-only-once-0123456789abcdef";

function key(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: "key_1",
    name: "CRM sync",
    role: "user",
    hint: "wxyz",
    status: "active",
    expiresAt: null,
    lastUsedAt: "2026-03-01T10:00:00.000Z",
    revokedAt: null,
    createdAt: "2026-02-01T10:00:00.000Z",
    createdBy: { userId: "usr_1", apiKeyId: null, name: "admin@example.com" },
    ...overrides,
  };
}

function api() {
  let items = [key(), key({ id: "key_2", name: "Old exporter", status: "revoked", revokedAt: "2026-02-10T00:00:00.000Z", lastUsedAt: null, hint: "old1" })];
  const calls = mockApi({
    "GET /api/api-keys": () => ({ items }),
    "POST /api/api-keys": (_u: URL, init: RequestInit) => {
      const body = JSON.parse(String(init.body));
      const created = key({ id: "key_3", name: body.name, role: body.role, expiresAt: body.expiresAt, hint: SECRET.slice(-4), lastUsedAt: null });
      items = [created, ...items];
      return { ...created, key: SECRET };
    },
    "POST /api/api-keys/key_1/revoke": () => {
      items = items.map((k) => (k.id === "key_1" ? { ...k, status: "revoked", revokedAt: "2026-03-02T00:00:00.000Z" } : k));
      return items.find((k) => k.id === "key_1");
    },
    "DELETE /api/api-keys/key_2": () => {
      items = items.filter((k) => k.id !== "key_2");
      return new Response(null, { status: 204 });
    },
  });
  return calls;
}

describe("API keys screen", () => {
  it("lists keys by name, role, hint and status, never a key", async () => {
    signIn("admin");
    api();
    renderAt("/settings/api-keys", "/settings/api-keys", <ApiKeys />);
    const table = await screen.findByRole("table", { name: "API keys" });
    const crm = within(table).getByText("CRM sync").closest("tr")!;
    expect(within(crm).getByText("…wxyz")).toBeInTheDocument();
    expect(within(crm).getByText("read-only")).toBeInTheDocument();
    expect(within(crm).getByText("active")).toBeInTheDocument();
    expect(within(crm).getByText("never")).toBeInTheDocument();
    const old = within(table).getByText("Old exporter").closest("tr")!;
    expect(within(old).getByText("revoked")).toBeInTheDocument();
    expect(within(old).getByText("never used")).toBeInTheDocument();
    // Only an active key can be revoked.
    expect(within(old).queryByRole("button", { name: /Revoke/ })).toBeNull();
  });

  it("creates a key with a name, role and expiry, and shows it once with a copy button", async () => {
    signIn("admin");
    const calls = api();
    const user = userEvent.setup();
    renderAt("/settings/api-keys", "/settings/api-keys", <ApiKeys />);
    await user.click(await screen.findByRole("button", { name: "Create API key" }));
    const dialog = await screen.findByRole("dialog", { name: "Create an API key" });
    // The API's own schema refuses an empty name before anything is sent.
    await user.click(within(dialog).getByRole("button", { name: "Create key" }));
    expect(await within(dialog).findByText("must not be empty")).toBeInTheDocument();
    expect(calls.some((c) => c.method === "POST")).toBe(false);

    await user.type(within(dialog).getByRole("textbox", { name: /Name/ }), "Prometheus");
    await user.click(within(dialog).getByRole("combobox", { name: "Role" }));
    await user.click(await screen.findByRole("option", { name: /Admin: may change everything/, hidden: true }));
    const before = Date.now();
    await user.click(within(dialog).getByRole("button", { name: "Create key" }));
    await waitFor(() => expect(calls.some((c) => c.method === "POST")).toBe(true));
    const sent = calls.find((c) => c.method === "POST")!.body as { name: string; role: string; expiresAt: string };
    expect(sent).toMatchObject({ name: "Prometheus", role: "admin" });
    // The default expiry: 90 days from now.
    const days = (Date.parse(sent.expiresAt) - before) / 86_400_000;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThan(90.1);

    const shown = await screen.findByRole("dialog", { name: 'API key "Prometheus"' });
    expect(within(shown).getByText(SECRET)).toBeInTheDocument();
    expect(within(shown).getByText(/it is never shown again/)).toBeInTheDocument();
    expect(within(shown).getByRole("button", { name: "Copy API key" })).toBeInTheDocument();
    await user.click(within(shown).getByRole("button", { name: "I have copied it" }));
    await waitFor(() => expect(screen.queryByText(SECRET)).toBeNull());
    // The list now shows the new key by its hint only.
    expect(await screen.findByText("Prometheus")).toBeInTheDocument();
    expect(document.body.textContent).not.toContain(SECRET);
  });

  it("revokes a key only after a confirmation", async () => {
    signIn("admin");
    const calls = api();
    const user = userEvent.setup();
    renderAt("/settings/api-keys", "/settings/api-keys", <ApiKeys />);
    await user.click(await screen.findByRole("button", { name: "Revoke CRM sync" }));
    const confirm = await screen.findByRole("dialog", { name: 'Revoke "CRM sync"?' });
    expect(within(confirm).getByText(/stops working at once/)).toBeInTheDocument();
    expect(calls.some((c) => c.path.endsWith("/revoke"))).toBe(false);
    await user.click(within(confirm).getByRole("button", { name: "Revoke key" }));
    await waitFor(() => expect(calls.some((c) => c.method === "POST" && c.path === "/api/api-keys/key_1/revoke")).toBe(true));
    const row = (await screen.findAllByText("revoked"))[0]!.closest("tr")!;
    expect(row).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole("button", { name: "Revoke CRM sync" })).toBeNull());

    await user.click(screen.getByRole("button", { name: "Delete Old exporter" }));
    await user.click(within(await screen.findByRole("dialog", { name: 'Delete "Old exporter"?' })).getByRole("button", { name: "Delete" }));
    await waitFor(() => expect(screen.queryByText("Old exporter")).toBeNull());
  });

  it("tells a read-only user that only admins manage keys, and asks the API nothing", async () => {
    signIn("user");
    const calls = api();
    renderAt("/settings/api-keys", "/settings/api-keys", <ApiKeys />);
    expect(await screen.findByText("Only admins see and manage API keys.")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Create API key" })).toBeNull();
    expect(calls).toEqual([]);
  });
});
