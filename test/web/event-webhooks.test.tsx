import { describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import axe from "axe-core";
import EventWebhooks from "../../web/src/views/integrations/event-webhooks";
import { mockApi, renderAt, signIn } from "./render";

const endpoint = (overrides: Record<string, unknown> = {}) => ({
  id: "ewh_1",
  url: "https://crm.example.com/hooks/router",
  description: "CRM",
  enabled: true,
  eventTypes: ["call.started", "call.ended"],
  secretHint: "Ab9z",
  secretRotatedAt: null,
  previousSecretExpiresAt: null,
  disabledReason: null,
  disabledAt: null,
  failingSince: null,
  lastSuccessAt: "2026-03-01T10:00:00.000Z",
  lastFailureAt: null,
  version: 1,
  createdAt: "2026-03-01T09:00:00.000Z",
  updatedAt: "2026-03-01T09:00:00.000Z",
  ...overrides,
});

const attempt = (overrides: Record<string, unknown> = {}) => ({ n: 1, trigger: "auto", at: "2026-03-01T10:00:00.000Z", ok: true, statusCode: 200, latencyMs: 87, error: null, responseExcerpt: "thanks", ...overrides });

const delivery = (id: string, overrides: Record<string, unknown> = {}) => ({
  id,
  eventId: `evt_${id}`,
  eventType: "call.ended",
  callId: "call-abcdef0123456789",
  seq: 7,
  status: "delivered",
  attempts: 1,
  lastStatusCode: 200,
  lastError: null,
  nextAttemptAt: null,
  deliveredAt: "2026-03-01T10:00:00.000Z",
  createdAt: "2026-03-01T10:00:00.000Z",
  lastAttempt: attempt(),
  ...overrides,
});

const DELIVERIES = {
  items: [delivery("evd_2", { status: "failed", attempts: 14, lastStatusCode: 503, lastError: "the receiver answered 503", lastAttempt: attempt({ n: 14, ok: false, statusCode: 503, latencyMs: 1200, responseExcerpt: "upstream down" }) }), delivery("evd_1")],
  nextCursor: null,
};

function api(extra: Record<string, unknown> = {}) {
  return mockApi({
    "GET /api/event-webhooks": { items: [endpoint(), endpoint({ id: "ewh_2", description: "", url: "https://oncall.example.net/x", enabled: false, disabledReason: "every delivery failed for 24 h (last: the receiver answered 500)" })] },
    "GET /api/event-webhooks/ewh_1/deliveries": DELIVERIES,
    "GET /api/event-webhooks/ewh_1/deliveries/evd_2": {
      ...DELIVERIES.items[0],
      payload: JSON.stringify({ id: "evt_evd_2", type: "call.ended", data: { callId: "call-abc" } }),
      attemptLog: [attempt({ n: 2, trigger: "resend", ok: false, statusCode: 503 }), attempt({ n: 1, ok: false, statusCode: null, error: "no answer within 10 s", latencyMs: 10000 })],
    },
    "POST /api/event-webhooks/ewh_1/deliveries/evd_2/resend": () => new Response(JSON.stringify({ ...DELIVERIES.items[0], payload: "{}", attemptLog: [] }), { status: 202 }),
    "POST /api/event-webhooks": (_url: URL, init: RequestInit) => ({ ...endpoint({ id: "ewh_3", ...JSON.parse(String(init.body)) }), secret: "whsec_shown_once_only" }),
    "POST /api/event-webhooks/ewh_1/rotate-secret": () => new Response(JSON.stringify({ secret: "whsec_rotated_secret", secretHint: "cret", rotatedAt: "2026-03-01T11:00:00.000Z", previousSecretExpiresAt: "2026-03-02T11:00:00.000Z" }), { status: 200 }),
    "PUT /api/event-webhooks/ewh_2": (_url: URL, init: RequestInit) => endpoint({ id: "ewh_2", ...JSON.parse(String(init.body)) }),
    ...extra,
  });
}

async function noSeriousAxeViolations(root: Element) {
  const result = await axe.run(root, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] }, rules: { "color-contrast": { enabled: false } } });
  const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(" | ")}`)).toEqual([]);
}

const writes = (calls: { method: string; path: string; body: unknown }[]) => calls.filter((c) => c.method !== "GET");

describe("the event webhooks screen", () => {
  it("lists endpoints with their events, state and the reason the router disabled one, and the first one's deliveries", async () => {
    signIn("admin");
    api();
    const { container } = renderAt("/event-webhooks", "/event-webhooks", <EventWebhooks />);
    const table = await screen.findByRole("table", { name: "Event webhooks" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(2);
    expect(within(rows[0]!).getByText("https://crm.example.com/hooks/router")).toBeInTheDocument();
    expect(within(rows[0]!).getByText("call.ended")).toBeInTheDocument();
    expect(within(rows[0]!).getByText("…Ab9z")).toBeInTheDocument();
    expect(within(rows[1]!).getByText(/Disabled by the router: every delivery failed for 24 h/)).toBeInTheDocument();

    const deliveries = await screen.findByRole("table", { name: "Deliveries" });
    const drows = within(deliveries).getAllByRole("row").slice(1);
    expect(drows).toHaveLength(2);
    expect(within(drows[0]!).getByText("failed")).toBeInTheDocument();
    expect(within(drows[0]!).getByText("503")).toBeInTheDocument();
    expect(within(drows[0]!).getByText("1200 ms")).toBeInTheDocument();
    expect(within(drows[0]!).getByText("upstream down")).toBeInTheDocument();
    expect(within(drows[1]!).getByText("delivered")).toBeInTheDocument();
    await noSeriousAxeViolations(container);
  });

  it("creates an endpoint, validating with the API's rules first, and shows its secret once with a copy button", async () => {
    signIn("admin");
    const calls = api();
    const user = userEvent.setup();
    renderAt("/event-webhooks", "/event-webhooks", <EventWebhooks />);
    await user.click(await screen.findByRole("button", { name: "Add endpoint" }));
    const form = await screen.findByRole("form", { name: "New event webhook" });
    await user.type(within(form).getByRole("textbox", { name: "URL" }), "ftp://nope");
    await user.type(within(form).getByRole("textbox", { name: "Description" }), "On-call");
    await user.click(within(form).getByRole("button", { name: "Add endpoint" }));
    expect(await within(form).findByText("must be an https URL")).toBeInTheDocument();
    expect(writes(calls)).toEqual([]);

    await user.clear(within(form).getByRole("textbox", { name: "URL" }));
    await user.type(within(form).getByRole("textbox", { name: "URL" }), "https://oncall.example.com/in");
    await user.click(within(form).getByRole("checkbox", { name: /Alert fired/ }));
    await user.click(within(form).getByRole("button", { name: "Add endpoint" }));
    await waitFor(() => expect(writes(calls)).toHaveLength(1));
    expect(writes(calls)[0]).toMatchObject({ method: "POST", path: "/api/event-webhooks", body: { url: "https://oncall.example.com/in", description: "On-call", eventTypes: ["call.ended", "alert.fired"] } });
    const shown = await screen.findByRole("dialog", { name: /Signing secret of On-call/ });
    expect(within(shown).getByText("whsec_shown_once_only")).toBeInTheDocument();
    expect(within(shown).getByRole("button", { name: "Copy Signing secret" })).toBeInTheDocument();
    expect(within(shown).getByText(/never shown again/)).toBeInTheDocument();
    await user.click(within(shown).getByRole("button", { name: "I have copied it" }));
    await waitFor(() => expect(screen.queryByText("whsec_shown_once_only")).toBeNull());
  });

  it("rotates a secret after a confirmation, enables an endpoint, resends a delivery and opens its attempt log", async () => {
    signIn("admin");
    const calls = api();
    const user = userEvent.setup();
    renderAt("/event-webhooks", "/event-webhooks", <EventWebhooks />);
    await user.click(await screen.findByRole("button", { name: "Rotate the secret of CRM" }));
    await user.click(within(await screen.findByRole("dialog", { name: "Rotate the signing secret?" })).getByRole("button", { name: "Rotate" }));
    const shown = await screen.findByRole("dialog", { name: "New secret of CRM" });
    expect(within(shown).getByText("whsec_rotated_secret")).toBeInTheDocument();
    await user.click(within(shown).getByRole("button", { name: "I have copied it" }));

    await user.click(screen.getByRole("switch", { name: "Enable https://oncall.example.net/x" }));
    await waitFor(() => expect(writes(calls).map((c) => [c.method, c.path, c.body])).toContainEqual(["PUT", "/api/event-webhooks/ewh_2", { enabled: true }]));

    const deliveries = await screen.findByRole("table", { name: "Deliveries" });
    await user.click(within(deliveries).getByRole("button", { name: "Resend call.ended evd_2" }));
    await waitFor(() => expect(writes(calls).map((c) => c.path)).toContain("/api/event-webhooks/ewh_1/deliveries/evd_2/resend"));

    await user.click(within(deliveries).getByRole("button", { name: "Open delivery call.ended evd_2" }));
    const dialog = await screen.findByRole("dialog", { name: "Delivery" });
    const log = await within(dialog).findByRole("table", { name: "Attempts" });
    expect(within(log).getByText("2 (resend)")).toBeInTheDocument();
    expect(within(log).getByText("no answer within 10 s")).toBeInTheDocument();
    expect(within(dialog).getByText(/"type": "call.ended"/)).toBeInTheDocument();
  });

  it("shows a read-only user the endpoints and deliveries, with no write control", async () => {
    signIn("user");
    const calls = api();
    renderAt("/event-webhooks", "/event-webhooks", <EventWebhooks />);
    await screen.findByRole("table", { name: "Event webhooks" });
    await screen.findByRole("table", { name: "Deliveries" });
    expect(screen.queryByRole("button", { name: "Add endpoint" })).toBeNull();
    expect(screen.queryByRole("button", { name: /Rotate|Resend|Delete/ })).toBeNull();
    expect(screen.queryByRole("switch")).toBeNull();
    expect(screen.getAllByTestId("enabled-state").map((b) => b.textContent)).toEqual(["Enabled", "Disabled"]);
    expect(writes(calls)).toEqual([]);
  });
});
