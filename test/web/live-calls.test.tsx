import { describe, expect, it, vi } from "vitest";
import { screen, within } from "@testing-library/react";
import { RealtimeProvider } from "../../web/src/realtime/provider";
import { LiveCallsPanel } from "../../web/src/views/dashboard/live-calls";
import { FakeSocket } from "./fake-socket";
import { mockApi, page, renderAt, signIn } from "./render";

const call = (callId: string, from: string) => ({
  callId,
  recordId: `cal_${callId}`,
  state: "connected",
  direction: "inbound",
  from,
  to: "+18005550199",
  ruleId: null,
  groupId: null,
  agentId: null,
  trunkId: null,
  attempt: 1,
  startedAt: Date.now(),
  answeredAt: null,
  endedAt: null,
});

describe("live calls panel", () => {
  it("announces calls starting and ending, not the ticking elapsed times or the list a connect brings", async () => {
    signIn("user");
    vi.stubGlobal("WebSocket", FakeSocket);
    mockApi({ "POST /api/realtime/tickets": { ticket: "t", expiresAt: "", url: "" }, "GET /api/voice-agents": page([]), "GET /api/agent-groups": page([]) });
    renderAt(
      "/",
      "/",
      <RealtimeProvider>
        <LiveCallsPanel />
      </RealtimeProvider>,
    );
    await vi.waitFor(() => expect(FakeSocket.last).not.toBeNull());
    const ws = FakeSocket.last!;
    ws.receive({ type: "hello", protocol: "cxlb.v1", epoch: "e1", seq: 5, heartbeatSec: 30, ackEvery: 50, maxInFlight: 100 });
    ws.receive({ type: "snapshot", epoch: "e1", seq: 5, calls: [call("c1", "+14155550100")], part: 1, parts: 1 });

    const table = screen.getByRole("table", { name: "Live calls" });
    expect(table).not.toHaveAttribute("aria-live");
    expect(await within(table).findByText("+14155550100")).toBeInTheDocument();
    const announcer = screen.getByRole("status");
    expect(announcer).toHaveAttribute("aria-live", "polite");
    expect(announcer).toHaveTextContent("");

    ws.receive({ type: "call.started", seq: 6, at: 1, data: call("c2", "+14155550101") });
    expect(announcer).toHaveTextContent("Call from +14155550101 to +18005550199 started.");
    ws.receive({ type: "call.updated", seq: 7, at: 1, data: { ...call("c2", "+14155550101"), attempt: 2 } });
    expect(announcer).toHaveTextContent("Call from +14155550101 to +18005550199 started.");
    ws.receive({ type: "call.ended", seq: 8, at: 1, data: call("c1", "+14155550100") });
    expect(announcer).toHaveTextContent("Call from +14155550100 to +18005550199 ended.");
    expect(within(table).queryByText("+14155550100")).toBeNull();
  });
});

describe("live calls panel: the waiting room", () => {
  async function connect(calls: object[]) {
    signIn("user");
    vi.stubGlobal("WebSocket", FakeSocket);
    // This render's own socket, not one an earlier test left behind.
    FakeSocket.last = null;
    mockApi({ "POST /api/realtime/tickets": { ticket: "t", expiresAt: "", url: "" }, "GET /api/voice-agents": page([]), "GET /api/agent-groups": page([]) });
    renderAt(
      "/",
      "/",
      <RealtimeProvider>
        <LiveCallsPanel />
      </RealtimeProvider>,
    );
    await vi.waitFor(() => expect(FakeSocket.last).not.toBeNull());
    const ws = FakeSocket.last!;
    ws.receive({ type: "hello", protocol: "cxlb.v1", epoch: "e1", seq: 5, heartbeatSec: 30, ackEvery: 50, maxInFlight: 100 });
    ws.receive({ type: "snapshot", epoch: "e1", seq: 5, calls, part: 1, parts: 1 });
    return ws;
  }
  /** Each row's caller and what its State cell says, newest first as the panel sorts them. */
  const states = () =>
    within(screen.getByRole("table", { name: "Live calls" }))
      .getAllByTestId("live-call")
      .map((row) => within(row).getAllByRole("cell"))
      .map((cells) => `${cells[0]!.textContent} ${cells[2]!.textContent}`);

  it("shows each waiting caller's place in line and how many wait, and drops the count when nobody does", async () => {
    const now = Date.now();
    const first = { ...call("c1", "+14155550101"), state: "ringing", startedAt: now - 30_000, waiting: { position: 1, since: now - 20_000 } };
    const second = { ...call("c2", "+14155550102"), state: "ringing", startedAt: now - 10_000, waiting: { position: 2, since: now - 5_000 } };
    const talking = { ...call("c3", "+14155550103"), startedAt: now - 60_000, waiting: null };
    const ws = await connect([first, second, talking]);

    await vi.waitFor(() => expect(screen.getAllByTestId("live-call")).toHaveLength(3));
    expect(states()).toEqual(["+14155550102 waiting · #2 in line", "+14155550101 waiting · #1 in line", "+14155550103 connected"]);
    expect(screen.getByTestId("waiting-count")).toHaveTextContent(/^2 waiting$/);
    expect(screen.getByTestId("live-count")).toHaveTextContent(/^3 live$/);

    // The first in line is connected: the second moves up, one waits.
    ws.receive({ type: "call.updated", seq: 6, at: 1, data: { ...first, state: "connected", waiting: null } });
    ws.receive({ type: "call.updated", seq: 7, at: 1, data: { ...second, waiting: { position: 1, since: second.waiting.since } } });
    expect(states()).toEqual(["+14155550102 waiting · #1 in line", "+14155550101 connected", "+14155550103 connected"]);
    expect(screen.getByTestId("waiting-count")).toHaveTextContent(/^1 waiting$/);

    ws.receive({ type: "call.ended", seq: 8, at: 1, data: second });
    expect(screen.queryByTestId("waiting-count")).toBeNull();
    expect(screen.getByTestId("live-count")).toHaveTextContent(/^2 live$/);
  });

  it("has no waiting count when nobody waits", async () => {
    await connect([call("c1", "+14155550101"), { ...call("c2", "+14155550102"), waiting: null }]);
    await vi.waitFor(() => expect(screen.getAllByTestId("live-call")).toHaveLength(2));
    expect(screen.queryByTestId("waiting-count")).toBeNull();
    expect(screen.queryByText(/in line/)).toBeNull();
  });
});
