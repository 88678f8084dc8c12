import { describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import axe from "axe-core";
import Deliveries from "../../web/src/views/deliveries";
import { mockApi, renderAt, signIn } from "./render";

const delivery = (n: number, overrides: Record<string, unknown> = {}) => ({
  id: n,
  deliveryId: `dlv-${n}`,
  kind: "voice-application",
  callId: `session-${n}`,
  method: "POST",
  statusCode: 200,
  status: "ok",
  outcome: "routed:ringing",
  error: null,
  durationMs: 14,
  receivedAt: new Date(Date.UTC(2026, 2, 1, 10, n)).toISOString(),
  ...overrides,
});

const letter = (n: number, overrides: Record<string, unknown> = {}) => ({
  id: n,
  queue: "call-events",
  messageId: `msg-${n}`,
  kind: "call_event",
  callId: `session-${n}`,
  error: `refused batch ${n}`,
  attempts: 3,
  status: "parked",
  bodyTruncated: false,
  receivedAt: new Date(Date.UTC(2026, 2, 1, 9, n)).toISOString(),
  replayedAt: null,
  resolvedAt: null,
  resolvedBy: null,
  ...overrides,
});

const SUMMARY = { window: "15m", since: "", deliveries: 40, failed: 3, refused: 1, failureRate: 0.075, failing: true, parkedDeadLetters: 2 };

function api(extra: Record<string, unknown> = {}) {
  return mockApi({
    "GET /api/webhook-deliveries": (url: URL) =>
      url.searchParams.get("cursor") === "page2" ? { items: [delivery(1)], nextCursor: null } : { items: [delivery(3, { status: "failed", statusCode: 200, outcome: "internal_error", error: "boom" }), delivery(2)], nextCursor: "page2" },
    "GET /api/webhook-deliveries/3": {
      ...delivery(3, { status: "failed", outcome: "internal_error", error: "boom" }),
      request: { query: "attempt=1", body: "From=%2B14155550100&Password=[redacted]", truncated: true },
      response: '<Response><Reject reason="congestion"/></Response>',
      callRecordId: "cal_77",
    },
    "GET /api/webhook-deliveries/summary": SUMMARY,
    "GET /api/dead-letters": { items: [letter(5), letter(4, { status: "replayed", resolvedBy: "ops@example.com", resolvedAt: "2026-03-01T11:00:00.000Z" })], nextCursor: null },
    "GET /api/dead-letters/5": { ...letter(5), body: '{"kind":"call_event","seq":1}', problem: null, callRecordId: null },
    "GET /api/dead-letters/6": { ...letter(6), body: "not json", problem: "its body is not JSON", callRecordId: null },
    "POST /api/dead-letters/5/replay": () => new Response(JSON.stringify({ changed: true, message: "Replayed: its message is stored", letter: letter(5, { status: "replayed" }) }), { status: 200 }),
    "POST /api/dead-letters/5/discard": () => new Response(JSON.stringify({ changed: true, message: "Discarded", letter: letter(5, { status: "discarded" }) }), { status: 200 }),
    "POST /api/dead-letters/replay": () => new Response(JSON.stringify({ replayed: 1, skipped: [], remaining: 0 }), { status: 200 }),
    ...extra,
  });
}

const listCalls = (calls: { path: string }[], path: string) => calls.filter((c) => c.path.startsWith(`${path}?`)).map((c) => new URL(c.path, "http://x").searchParams);
const posts = (calls: { method: string; path: string }[]) => calls.filter((c) => c.method === "POST").map((c) => c.path);

async function noSeriousAxeViolations(root: Element) {
  // Layout-dependent rules mean nothing in a simulated DOM; the e2e tests run them in a browser.
  const result = await axe.run(root, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] }, rules: { "color-contrast": { enabled: false } } });
  const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(" | ")}`)).toEqual([]);
}

describe("the deliveries screen", () => {
  it("lists deliveries, filters and pages them, and shows one whole with a link to its call record", async () => {
    signIn("user");
    const calls = api();
    const user = userEvent.setup();
    const { container } = renderAt("/deliveries", "/deliveries", <Deliveries />);
    const table = await screen.findByRole("table", { name: "Webhook deliveries" });
    await within(table).findByText("session-3");
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(2);
    expect(within(rows[0]!).getByText("failed · 200")).toBeInTheDocument();
    expect(within(rows[1]!).getByText("ok · 200")).toBeInTheDocument();
    await noSeriousAxeViolations(container);

    await user.click(screen.getByRole("button", { name: "Next page" }));
    await within(table).findByText("session-1");
    expect(listCalls(calls, "/api/webhook-deliveries").at(-1)!.get("cursor")).toBe("page2");

    await user.click(screen.getByRole("combobox", { name: "Status" }));
    await user.click(await screen.findByRole("option", { name: "Failed (our side)", hidden: true }));
    await waitFor(() => expect(listCalls(calls, "/api/webhook-deliveries").at(-1)!.get("status")).toBe("failed"));
    const last = listCalls(calls, "/api/webhook-deliveries").at(-1)!;
    expect(last.has("cursor")).toBe(false);
    expect(screen.getByText("Page 1")).toBeInTheDocument();
    // "Last 24 hours" by default.
    expect(Date.now() - Date.parse(last.get("since")!)).toBeGreaterThan(86_000_000);

    await user.click(screen.getAllByRole("button", { name: /^Details of the voice-application delivery received/ })[0]!);
    const dialog = await screen.findByRole("dialog", { name: "Webhook delivery" });
    const body = await within(dialog).findByLabelText("Request body");
    expect(body).toHaveTextContent("From=%2B14155550100&Password=[redacted]");
    expect(body.tagName).toBe("PRE");
    expect(within(dialog).getByLabelText("Our answer")).toHaveTextContent('<Response><Reject reason="congestion"/></Response>');
    expect(within(dialog).getByText("failed · 200")).toBeInTheDocument();
    expect(within(dialog).getByText("14 ms")).toBeInTheDocument();
    expect(within(dialog).getByText("boom")).toBeInTheDocument();
    expect(within(dialog).getByText(/shown cut/)).toBeInTheDocument();
    expect(within(dialog).getByRole("link", { name: "Open the call record" })).toHaveAttribute("href", "/call-records/cal_77");
    await noSeriousAxeViolations(dialog);
  });

  it("lets an admin replay and discard letters only after confirming, and replay all", async () => {
    signIn("admin");
    const calls = api();
    const user = userEvent.setup();
    const { container } = renderAt("/deliveries?tab=dead-letters", "/deliveries", <Deliveries />);
    const table = await screen.findByRole("table", { name: "Dead letters" });
    await within(table).findByText("refused batch 5");
    expect(await screen.findByText("2 parked letters waiting")).toBeInTheDocument();
    // Only the parked letter has actions.
    expect(within(table).getAllByRole("button", { name: /^Replay letter/ })).toHaveLength(1);
    await noSeriousAxeViolations(container);

    await user.click(within(table).getByRole("button", { name: "Replay letter 5" }));
    const confirm = await screen.findByRole("dialog", { name: "Replay this letter?" });
    expect(posts(calls)).toEqual([]);
    await user.click(within(confirm).getByRole("button", { name: "Replay" }));
    await waitFor(() => expect(posts(calls)).toEqual(["/api/dead-letters/5/replay"]));
    expect(await screen.findByText("Replayed: its message is stored")).toBeInTheDocument();

    await user.click(within(table).getByRole("button", { name: "Discard letter 5" }));
    const discard = await screen.findByRole("dialog", { name: "Discard this letter?" });
    await user.click(within(discard).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByRole("dialog", { name: "Discard this letter?" })).toBeNull());
    expect(posts(calls)).toEqual(["/api/dead-letters/5/replay"]);
    await user.click(within(table).getByRole("button", { name: "Discard letter 5" }));
    await user.click(within(await screen.findByRole("dialog", { name: "Discard this letter?" })).getByRole("button", { name: "Discard" }));
    await waitFor(() => expect(posts(calls)).toContain("/api/dead-letters/5/discard"));

    await user.click(screen.getByRole("button", { name: "Replay all parked" }));
    await user.click(within(await screen.findByRole("dialog", { name: "Replay every parked letter?" })).getByRole("button", { name: "Replay" }));
    await waitFor(() => expect(posts(calls)).toContain("/api/dead-letters/replay"));
    expect(await screen.findByText("Replayed 1; 0 could not be replayed; 0 still parked")).toBeInTheDocument();
  });

  it("shows a letter's error and body, and why it cannot be replayed", async () => {
    signIn("admin");
    api({ "GET /api/dead-letters": { items: [letter(6)], nextCursor: null } });
    const user = userEvent.setup();
    renderAt("/deliveries?tab=dead-letters", "/deliveries", <Deliveries />);
    await user.click(await screen.findByRole("button", { name: /^Details of letter 6/ }));
    const dialog = await screen.findByRole("dialog", { name: "Dead letter" });
    expect(await within(dialog).findByLabelText("Body")).toHaveTextContent("not json");
    expect(within(dialog).getByText("refused batch 6")).toBeInTheDocument();
    expect(within(dialog).getByText(/cannot be replayed: its body is not JSON/)).toBeInTheDocument();
    expect(within(dialog).getByRole("button", { name: "Replay letter 6" })).toBeDisabled();
    expect(within(dialog).getByRole("button", { name: "Discard letter 6" })).toBeEnabled();
    await noSeriousAxeViolations(dialog);
  });

  it("offers a read-only user no replay or discard, and says why", async () => {
    signIn("user");
    const calls = api();
    const user = userEvent.setup();
    renderAt("/deliveries?tab=dead-letters", "/deliveries", <Deliveries />);
    const table = await screen.findByRole("table", { name: "Dead letters" });
    await within(table).findByText("refused batch 5");
    expect(screen.getByRole("note")).toHaveTextContent("read-only access");
    expect(screen.queryByRole("button", { name: /Replay/ })).toBeNull();
    expect(screen.queryByRole("button", { name: /Discard/ })).toBeNull();
    await user.click(within(table).getByRole("button", { name: /^Details of letter 5/ }));
    const dialog = await screen.findByRole("dialog", { name: "Dead letter" });
    expect(await within(dialog).findByText(/Only an admin of this tenant can replay or discard/)).toBeInTheDocument();
    expect(within(dialog).queryByRole("button", { name: /Replay|Discard/ })).toBeNull();
    expect(posts(calls)).toEqual([]);
  });
});
