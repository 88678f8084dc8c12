import { describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import CallRecords from "../../web/src/views/call-records/list";
import { agent, mockApi, page, renderAt, signIn } from "./render";

const record = (n: number, overrides: Record<string, unknown> = {}) => ({
  id: `cal_${n}`,
  callId: `s${n}`,
  direction: "inbound",
  from: `+1415555${String(n).padStart(4, "0")}`,
  to: "+18005550199",
  callerName: null,
  status: "completed",
  disposition: null,
  endReason: null,
  ruleId: null,
  groupId: null,
  agentId: "agt_1",
  trunkId: null,
  attemptCount: 1,
  startedAt: new Date(Date.UTC(2026, 2, 1, 10, n)).toISOString(),
  answeredAt: null,
  endedAt: null,
  durationSec: 42,
  billableSec: 42,
  wait: null,
  ...overrides,
});

/** Two pages: the first points at the second with a cursor. */
function api() {
  return mockApi({
    "GET /api/call-records": (url: URL) => (url.searchParams.get("cursor") === "page2" ? { items: [record(3, { status: "failed" })], nextCursor: null } : { items: [record(1), record(2)], nextCursor: "page2" }),
    "GET /api/voice-agents": page([agent()]),
    "GET /api/agent-groups": page([]),
  });
}

const listCalls = (calls: { path: string }[]) => calls.filter((c) => c.path.startsWith("/api/call-records?")).map((c) => new URL(c.path, "http://x").searchParams);
const rows = () =>
  within(screen.getByRole("table", { name: "Call records" }))
    .getAllByRole("row")
    .slice(1);

describe("call records", () => {
  it("pages forward and back with the cursor, on the same filters", async () => {
    signIn("user");
    const calls = api();
    const user = userEvent.setup();
    renderAt("/call-records", "/call-records", <CallRecords />);
    await screen.findByText("+14155550001");
    expect(rows()).toHaveLength(2);
    expect(within(rows()[0]!).getByText("Alice")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Previous page" })).toBeDisabled();

    await user.click(screen.getByRole("button", { name: "Next page" }));
    await screen.findByText("+14155550003");
    expect(screen.getByText("Page 2")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Next page" })).toBeDisabled();
    const [first, second] = [listCalls(calls)[0]!, listCalls(calls).at(-1)!];
    expect(second.get("cursor")).toBe("page2");
    // The period's start stays put while paging, so the cursor's result set does not shift.
    expect(second.get("since")).toBe(first.get("since"));
    expect(second.get("limit")).toBe("50");

    await user.click(screen.getByRole("button", { name: "Previous page" }));
    await screen.findByText("+14155550001");
    expect(screen.getByText("Page 1")).toBeInTheDocument();
  });

  it("filters by status, direction and caller, and starts again at page one", async () => {
    signIn("user");
    const calls = api();
    const user = userEvent.setup();
    renderAt("/call-records?range=24h", "/call-records", <CallRecords />);
    await screen.findByText("+14155550001");
    await user.click(screen.getByRole("button", { name: "Next page" }));
    await screen.findByText("Page 2");

    await user.click(screen.getAllByLabelText("Status").find((el) => el.tagName === "INPUT")!);
    await user.click(await screen.findByRole("option", { name: "failed", hidden: true }));
    await user.click(await screen.findByRole("option", { name: "timeout", hidden: true }));
    await waitFor(() => expect(listCalls(calls).at(-1)!.get("status")).toBe("failed,timeout"));
    expect(screen.getByText("Page 1")).toBeInTheDocument();
    expect(listCalls(calls).at(-1)!.has("cursor")).toBe(false);

    await user.click(screen.getByRole("combobox", { name: "Direction" }));
    await user.click(await screen.findByRole("option", { name: "Outbound", hidden: true }));
    await user.type(screen.getByRole("textbox", { name: "Caller" }), "+1415555");
    await waitFor(() => expect(listCalls(calls).at(-1)!.get("caller")).toBe("+1415555"));
    const last = listCalls(calls).at(-1)!;
    expect(last.get("direction")).toBe("outbound");
    expect(last.get("status")).toBe("failed,timeout");
    // "Last 24 hours" from the URL: the start is about a day ago.
    expect(Date.now() - Date.parse(last.get("since")!)).toBeGreaterThan(86_000_000);
    expect(Date.now() - Date.parse(last.get("since")!)).toBeLessThan(87_000_000);
  });

  it("searches a number by its last digits, and says when a contains search's period is too long", async () => {
    signIn("user");
    const calls = api();
    const user = userEvent.setup();
    renderAt("/call-records?range=all", "/call-records", <CallRecords />);
    await screen.findByText("+14155550001");

    // Both number filters have the same options: pick from the list this select controls.
    const choose = async (select: string, option: string) => {
      const combobox = screen.getByRole("combobox", { name: select });
      await user.click(combobox);
      await waitFor(() => expect(document.getElementById(combobox.getAttribute("aria-controls")!)).not.toBeNull());
      await user.click(within(document.getElementById(combobox.getAttribute("aria-controls")!)!).getByRole("option", { name: option, hidden: true }));
    };
    await choose("Match the To number", "ends with");
    await user.type(screen.getByRole("textbox", { name: "Called number" }), "0100");
    await waitFor(() => expect(listCalls(calls).at(-1)!.get("callee")).toBe("0100"));
    expect(listCalls(calls).at(-1)!.get("calleeMatch")).toBe("suffix");
    // The caller is not searched, so its match is not sent.
    expect(listCalls(calls).at(-1)!.has("callerMatch")).toBe(false);
    expect(screen.queryByText(/needs a period of at most/)).not.toBeInTheDocument();

    await choose("Match the To number", "contains");
    await waitFor(() => expect(listCalls(calls).at(-1)!.get("calleeMatch")).toBe("contains"));
    expect(screen.getByText(/"contains" needs a period of at most 31 days/)).toBeInTheDocument();

    await user.click(screen.getByRole("combobox", { name: "When" }));
    await user.click(await screen.findByRole("option", { name: "Last 7 days", hidden: true }));
    await waitFor(() => expect(listCalls(calls).at(-1)!.has("since")).toBe(true));
    expect(screen.queryByText(/needs a period of at most/)).not.toBeInTheDocument();
    expect(screen.getByText(/Scans every call of the period/)).toBeInTheDocument();
  });

  it("shows how long a call waited in the waiting room and how the wait ended, and a dash for calls that never waited", async () => {
    signIn("user");
    mockApi({
      "GET /api/call-records": page([
        record(1, { wait: { position: 2, waitSec: 45, outcome: "abandoned" } }),
        record(2, { wait: { position: 1, waitSec: 75, outcome: "connected" } }),
        record(3, { status: "ringing", wait: { position: 3, waitSec: null, outcome: "waiting" } }),
        record(4),
      ]),
      "GET /api/voice-agents": page([agent()]),
      "GET /api/agent-groups": page([]),
    });
    renderAt("/call-records", "/call-records", <CallRecords />);
    await screen.findByText("+14155550001");
    const table = screen.getByRole("table", { name: "Call records" });
    const headers = within(table)
      .getAllByRole("columnheader")
      .map((h) => h.textContent);
    expect(headers).toEqual(["Started", "Direction", "From", "To", "Status", "Agent", "Attempts", "Waited", "Duration"]);
    const waited = rows().map((row) => within(row).getAllByRole("cell")[7]!);
    expect(waited.map((cell) => cell.textContent)).toEqual(["0:45 · caller hung up", "1:15 · then connected", "still waiting", "—"]);
    // The place in line is there for a pointer too.
    expect(within(waited[0]!).getByTitle("#2 in line · waited 0:45 · caller hung up")).toBeInTheDocument();
  });
});
