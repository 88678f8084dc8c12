import { describe, expect, it, vi } from "vitest";
import { screen } from "@testing-library/react";
import { useSummary } from "../../web/src/api/analytics";
import { RealtimeProvider } from "../../web/src/realtime/provider";
import { FakeSocket } from "./fake-socket";
import { mockApi, renderAt, signIn } from "./render";

function CallsToday() {
  const summary = useSummary({ since: "2026-03-01T00:00:00.000Z" });
  return <p>{summary.data ? `ended: ${summary.data.totals.calls}` : "loading"}</p>;
}

describe("realtime provider", () => {
  it("refreshes the analytics again once a call's record has landed, not only at its live event", async () => {
    signIn("user");
    vi.stubGlobal("WebSocket", FakeSocket);
    // The queue consumer writes the ended call a moment after the hub says it ended.
    let ended = 0;
    const calls = mockApi({ "POST /api/realtime/tickets": { ticket: "t", expiresAt: "", url: "" }, "GET /api/analytics/summary": () => ({ totals: { calls: ended } }) });
    renderAt(
      "/",
      "/",
      <RealtimeProvider>
        <CallsToday />
      </RealtimeProvider>,
    );
    expect(await screen.findByText("ended: 0")).toBeInTheDocument();
    await vi.waitFor(() => expect(FakeSocket.last).not.toBeNull());
    FakeSocket.last!.open();
    const fetches = () => calls.filter((c) => c.path.startsWith("/api/analytics/summary")).length;
    await vi.waitFor(() => expect(fetches()).toBe(2)); // the snapshot's refresh
    const before = fetches();

    FakeSocket.last!.receive({ type: "call.ended", seq: 6, at: 1, data: { callId: "c1", state: "completed" } });
    await vi.waitFor(() => expect(fetches()).toBe(before + 1));
    expect(screen.getByText("ended: 0")).toBeInTheDocument();
    ended = 1;
    expect(await screen.findByText("ended: 1", {}, { timeout: 5_000 })).toBeInTheDocument();
    expect(fetches()).toBe(before + 2);
  });
});
