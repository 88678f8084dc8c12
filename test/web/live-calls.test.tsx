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
