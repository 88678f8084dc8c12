import { afterEach, describe, expect, it, vi } from "vitest";
import { act, screen, within } from "@testing-library/react";
import { CAMPAIGN_POLL_MS } from "../../web/src/api/campaigns";
import { RealtimeProvider } from "../../web/src/realtime/provider";
import CampaignDetail from "../../web/src/views/campaigns/detail";
import { FakeSocket } from "./fake-socket";
import { mockApi, page, renderAt, signIn } from "./render";

/*
 * A campaign's page takes its progress from the live feed (the runner pushes it), and reads it
 * over HTTP only when the feed opens and, while the feed is down, every 15 s.
 */

const WORKDAY = [{ open: "09:00", close: "18:00" }];
const PROGRESS = {
  status: "running",
  lastError: null,
  contacts: 500,
  doNotCall: 20,
  remaining: 300,
  reached: 120,
  exhausted: { busy: 5, noAnswer: 10, failed: 3 },
  dialled: 190,
  answered: 125,
  busy: 30,
  noAnswer: 25,
  failed: 6,
  inProgress: 8,
  maxConcurrent: 10,
  callsPerMinute: 30,
  ratePerMinute: 28,
  accountFree: 2,
  heldByAccount: false,
  startedAt: "2026-01-01T00:00:00.000Z",
  finishedAt: null,
};
const CAMPAIGN = {
  id: "cmp_1",
  name: "Renewals",
  status: "running",
  target: { type: "group", id: "grp_1" },
  callerId: "+14155550100",
  trunkId: null,
  timezone: "America/New_York",
  callingWindow: { mon: WORKDAY, tue: WORKDAY, wed: WORKDAY, thu: WORKDAY, fri: WORKDAY, sat: [], sun: [] },
  maxConcurrent: 10,
  callsPerMinute: 30,
  ringTimeoutSec: 30,
  retryPolicy: { busy: { attempts: 3, spacingMinutes: 10 }, noAnswer: { attempts: 3, spacingMinutes: 60 }, failed: { attempts: 2, spacingMinutes: 30 } },
  contactCount: 500,
  progress: PROGRESS,
  version: 1,
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
};

function setUp() {
  signIn("user");
  vi.stubGlobal("WebSocket", FakeSocket);
  FakeSocket.last = null;
  const calls = mockApi({
    "POST /api/realtime/tickets": { ticket: "t", expiresAt: "", url: "" },
    "GET /api/campaigns/cmp_1": CAMPAIGN,
    "GET /api/campaigns/cmp_1/results": { items: [], nextAfter: null },
    "GET /api/agent-groups": page([{ id: "grp_1", name: "Renewals team" }]),
    "GET /api/voice-agents": page([]),
  });
  renderAt(
    "/campaigns/cmp_1",
    "/campaigns/:id",
    <RealtimeProvider>
      <CampaignDetail />
    </RealtimeProvider>,
  );
  return () => calls.filter((c) => c.method === "GET" && c.path === "/api/campaigns/cmp_1").length;
}

const pushed = (campaignId: string, progress: Record<string, unknown>) => ({ type: "transient", event: "campaign.progress", at: 1, data: { campaignId, progress: { ...PROGRESS, ...progress } } });

describe("a campaign's progress pushed over the live feed", () => {
  afterEach(() => vi.useRealTimers());

  it("updates the page from a pushed message without polling, says when the account holds the dialling back, and ignores other campaigns", async () => {
    const reads = setUp();
    const panel = await screen.findByLabelText("Progress");
    expect(within(panel).getByLabelText("Dialled: 190")).toBeInTheDocument();
    expect(within(panel).getByLabelText("Account slots: 2")).toBeInTheDocument();
    await vi.waitFor(() => expect(FakeSocket.last).not.toBeNull());
    FakeSocket.last!.open();
    // Read once more as the feed opens (pushes are not replayed), then only pushed.
    await vi.waitFor(() => expect(reads()).toBe(2));

    FakeSocket.last!.receive(pushed("cmp_1", { dialled: 205, inProgress: 3, remaining: 290, accountFree: 0, heldByAccount: true }));
    expect(await within(panel).findByLabelText("Dialled: 205")).toBeInTheDocument();
    expect(within(panel).getByLabelText("In progress: 3 / 10")).toBeInTheDocument();
    expect(within(panel).getByLabelText("Remaining: 290")).toBeInTheDocument();
    expect(within(panel).getByLabelText("Account slots: 0")).toBeInTheDocument();
    expect(within(panel).getByText(/Held back by the provider account: 0 slots are free for new calls/)).toBeInTheDocument();

    FakeSocket.last!.receive(pushed("cmp_2", { dialled: 999 }));
    FakeSocket.last!.receive({ type: "transient", event: "something.else", at: 1, data: { campaignId: "cmp_1", progress: { ...PROGRESS, dialled: 998 } } });
    FakeSocket.last!.receive(pushed("cmp_1", { status: "completed", dialled: 480, inProgress: 0, remaining: 0, heldByAccount: false }));
    expect(await within(panel).findByLabelText("Dialled: 480")).toBeInTheDocument();
    expect(screen.queryByLabelText("Dialled: 999")).toBeNull();
    expect(screen.queryByLabelText("Dialled: 998")).toBeNull();
    expect(within(panel).queryByText(/Held back by the provider account/)).toBeNull();
    // The header's badge follows the pushed status too (a completed campaign has no Pause).
    expect(screen.getAllByText("completed").length).toBeGreaterThanOrEqual(2);
    expect(reads()).toBe(2);
  });

  it("polls every 15 s, not every 2 s, while the feed is down", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const reads = setUp();
    await screen.findByLabelText("Dialled: 190");
    expect(reads()).toBe(1);
    await act(() => vi.advanceTimersByTimeAsync(5_000));
    expect(reads()).toBe(1);
    await act(() => vi.advanceTimersByTimeAsync(CAMPAIGN_POLL_MS));
    expect(reads()).toBe(2);
  });
});
