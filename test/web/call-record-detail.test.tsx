import { describe, expect, it, vi } from "vitest";
import { screen, within } from "@testing-library/react";
import CallRecordDetailView from "../../web/src/views/call-records/detail";
import { agent, mockApi, page, renderAt, signIn } from "./render";

const STARTED = Date.parse("2026-03-02T10:00:00Z");

const RECORD = {
  id: "cal_1",
  callId: "sess-1",
  direction: "inbound",
  from: "+14155550100",
  to: "+18005550199",
  callerName: null,
  status: "completed",
  disposition: "answered",
  endReason: "hangup",
  ruleId: "irl_1",
  groupId: "grp_1",
  agentId: "agt_2",
  trunkId: null,
  attemptCount: 2,
  startedAt: new Date(STARTED).toISOString(),
  answeredAt: new Date(STARTED + 9_000).toISOString(),
  endedAt: new Date(STARTED + 60_000).toISOString(),
  durationSec: 51,
  billableSec: 51,
  rule: { id: "irl_1", name: "Toll-free" },
  group: { id: "grp_1", name: "Support" },
  agent: { id: "agt_2", name: "Bob" },
  trunk: null,
  attempts: [
    { n: 1, stage: "Support", kind: "agent", targetId: "agt_1", targetName: "Alice", provider: "retell", groupId: "grp_1", startedAt: STARTED + 1_000, endedAt: STARTED + 5_000, outcome: "failed", dialStatus: "busy", durationSec: 0 },
    { n: 2, stage: "Support", kind: "agent", targetId: "agt_2", targetName: "Bob (old name)", provider: "vapi", groupId: "grp_1", startedAt: STARTED + 5_000, endedAt: STARTED + 60_000, outcome: "answered", dialStatus: "completed", durationSec: 51 },
  ],
  routing: {
    snapshotVersion: 7,
    direction: "inbound",
    directionReason: "no Direction; caller is not an outbound caller ID",
    caller: "14155550100",
    called: "18005550199",
    rulesTried: [
      { ruleId: "irl_1", pattern: "1800555*", result: "matched" },
      { ruleId: "irl_2", pattern: "*", result: "shadowed_by_longer_prefix" },
    ],
    rule: { id: "irl_1", name: "Toll-free", pattern: "1800555*" },
    usedDefaultFallback: false,
    notes: [],
    picks: [{ stage: "Support", chosen: "agt_1", candidates: ["agt_2"], skipped: [{ agentId: "agt_3", reason: "at_capacity" }], eligibleCount: 2 }],
    refused: ["dial result for attempt 1 ignored (current attempt 2, state connected)"],
  },
  flags: [] as { field: string; reported: string | number | null; used: string | number | null; reason: string }[],
  quality: { mosRx: 4.31, mosTx: 3.2, jitterMs: 12.5, packetLossPct: 0.75 } as Record<string, number | null>,
  cost: { rated: 0.0425, sell: 0.085, ratedPerMinute: 0.05, sellPerMinute: 0.1 } as Record<string, number | null>,
  amdResult: "HUMAN" as string | null,
  recordingUrl: "https://recordings.example/r/1.mp3" as string | null,
  cxTrunkId: "4711" as string | null,
  cxRoute: "eu-carrier-1" as string | null,
  events: [],
};

function api() {
  return mockApi({
    "GET /api/call-records/cal_1": RECORD,
    "GET /api/voice-agents": page([agent(), agent({ id: "agt_2", name: "Bob", provider: "vapi" }), agent({ id: "agt_3", name: "Carol" })]),
    "GET /api/trunks": page([]),
  });
}

describe("call record detail", () => {
  it("lists the attempts under real headers, by agent name", async () => {
    signIn("user");
    api();
    renderAt("/call-records/cal_1", "/call-records/:id", <CallRecordDetailView />);
    const table = await screen.findByRole("table", { name: "Attempts" });
    const headers = within(table)
      .getAllByRole("columnheader")
      .map((h) => h.textContent);
    expect(headers).toEqual(["#", "Dialled", "Stage", "Started", "Ended", "Talk time", "Outcome", "Dial status"]);
    const [, first, second] = within(table).getAllByRole("row");
    expect(within(first!).getByRole("link", { name: "Alice" })).toHaveAttribute("href", "/voice-agents/agt_1");
    expect(within(first!).getByText("failed")).toBeInTheDocument();
    expect(within(first!).getByText("busy")).toBeInTheDocument();
    // Today's name of the agent, not the one stored with the attempt.
    expect(await within(second!).findByRole("link", { name: "Bob" })).toBeInTheDocument();
    expect(within(second!).getByText("answered")).toBeInTheDocument();
    // A busy attempt talked for nothing; the answered one for its reported duration.
    expect(within(first!).getAllByRole("cell")[5]).toHaveTextContent(/^—$/);
    expect(within(second!).getByText("0:51")).toBeInTheDocument();
    // Nothing was flagged: no note about reported figures.
    expect(screen.queryByText("Reported figures not used")).toBeNull();
  });

  it("shows figures Cloudonix reported that could not be true beside what the record kept", async () => {
    signIn("user");
    const flags = [
      { field: "durationSec", reported: 4242, used: 51, reason: "duration 4242 s is longer than the call lasted (60 s from its start to its end)" },
      { field: "disposition", reported: "BUSY", used: "ANSWER", reason: "the call was answered; BUSY would take that back" },
      { field: "attempts[2].durationSec", reported: 900, used: 51, reason: "DialCallDuration 900 s is longer than attempt 2 lasted (55 s from its Dial)" },
    ];
    mockApi({ "GET /api/call-records/cal_1": { ...RECORD, flags }, "GET /api/voice-agents": page([]), "GET /api/trunks": page([]) });
    renderAt("/call-records/cal_1", "/call-records/:id", <CallRecordDetailView />);
    const note = await screen.findByRole("note");
    expect(within(note).getByText("Reported figures not used")).toBeInTheDocument();
    const items = within(note)
      .getAllByRole("listitem")
      .map((li) => li.textContent);
    expect(items).toEqual([
      "Duration: reported 1:10:42, kept 0:51. duration 4242 s is longer than the call lasted (60 s from its start to its end)",
      "Disposition: reported BUSY, kept ANSWER. the call was answered; BUSY would take that back",
      "Attempt 2 duration: reported 15:00, kept 0:51. DialCallDuration 900 s is longer than attempt 2 lasted (55 s from its Dial)",
    ]);
  });

  it("shows the CDR's quality, cost, AMD result, recording, trunk and route", async () => {
    signIn("user");
    api();
    renderAt("/call-records/cal_1", "/call-records/:id", <CallRecordDetailView />);
    const section = await screen.findByRole("region", { name: "Quality and cost" });
    const figure = (label: string) => within(section).getByRole("group", { name: label });
    expect(figure("MOS received")).toHaveTextContent("4.31");
    expect(within(figure("MOS received")).queryByText("poor")).toBeNull();
    // Below 3.5: marked poor.
    expect(figure("MOS sent")).toHaveTextContent("3.20poor");
    expect(figure("Jitter")).toHaveTextContent("12.5 ms");
    expect(figure("Packet loss")).toHaveTextContent("0.75%");
    expect(figure("Rated cost")).toHaveTextContent("0.0425");
    expect(figure("Sell cost")).toHaveTextContent("0.085");
    expect(figure("Rated cost per minute")).toHaveTextContent("0.05 / min");
    expect(figure("Sell cost per minute")).toHaveTextContent("0.1 / min");
    expect(figure("Answering machine detection")).toHaveTextContent("HUMAN");
    const link = within(figure("Recording")).getByRole("link", { name: "Open recording" });
    expect(link).toHaveAttribute("href", "https://recordings.example/r/1.mp3");
    expect(link).toHaveAttribute("target", "_blank");
    expect(link).toHaveAttribute("rel", "noreferrer");
    expect(figure("Cloudonix trunk")).toHaveTextContent("4711");
    expect(figure("Cloudonix route")).toHaveTextContent("eu-carrier-1");
  });

  it('says "not reported" for every CDR figure that was not reported, never 0', async () => {
    signIn("user");
    const none = {
      quality: { mosRx: null, mosTx: null, jitterMs: null, packetLossPct: null },
      cost: { rated: null, sell: null, ratedPerMinute: null, sellPerMinute: null },
      amdResult: null,
      recordingUrl: null,
      cxTrunkId: null,
      cxRoute: null,
    };
    mockApi({ "GET /api/call-records/cal_1": { ...RECORD, ...none }, "GET /api/voice-agents": page([]), "GET /api/trunks": page([]) });
    renderAt("/call-records/cal_1", "/call-records/:id", <CallRecordDetailView />);
    const section = await screen.findByRole("region", { name: "Quality and cost" });
    const figures = within(section).getAllByRole("group");
    expect(figures).toHaveLength(12);
    for (const figure of figures) expect(figure.textContent).toMatch(/not reported$/);
    expect(within(section).queryByRole("link")).toBeNull();
  });

  it("reads the routing trace like the routing tester does, not as JSON", async () => {
    signIn("user");
    api();
    renderAt("/call-records/cal_1", "/call-records/:id", <CallRecordDetailView />);
    expect(await screen.findByText(/Routed as inbound \(no Direction; caller is not an outbound caller ID\) by rule Toll-free \(\+1800555\*\)/)).toBeInTheDocument();
    const rules = screen.getByRole("table", { name: "Rules tried" });
    expect(within(rules).getByText("+1800555*")).toBeInTheDocument();
    expect(within(rules).getByText("shadowed by longer prefix")).toBeInTheDocument();
    expect(await screen.findByText("Chose Alice")).toBeInTheDocument();
    expect(screen.getByText("Then: Bob")).toBeInTheDocument();
    expect(screen.getByText("Skipped Carol: at capacity")).toBeInTheDocument();
    expect(screen.getByText(/dial result for attempt 1 ignored/)).toBeInTheDocument();
    expect(screen.queryByText(/"rulesTried"/)).toBeNull();
  });

  it("says how long the caller waited in the waiting room, at which place, and how the wait ended", async () => {
    signIn("user");
    mockApi({ "GET /api/call-records/cal_1": { ...RECORD, wait: { position: 2, waitSec: 45, outcome: "abandoned" } }, "GET /api/voice-agents": page([agent()]), "GET /api/trunks": page([]) });
    renderAt("/call-records/cal_1", "/call-records/:id", <CallRecordDetailView />);
    expect(await screen.findByRole("group", { name: "Waiting room" })).toHaveTextContent(/^Waiting room#2 in line · waited 0:45 · caller hung up$/);
  });

  it("shows the waiting line the call met in its recorded trace", async () => {
    signIn("user");
    const routing = { ...RECORD.routing, picks: [{ stage: "Support", chosen: null, candidates: [], skipped: [{ agentId: "agt_3", reason: "at_capacity" }], eligibleCount: 0, line: { ahead: 2, position: 3 } }] };
    mockApi({ "GET /api/call-records/cal_1": { ...RECORD, routing, wait: { position: 3, waitSec: 12, outcome: "connected" } }, "GET /api/voice-agents": page([agent({ id: "agt_3", name: "Carol" })]), "GET /api/trunks": page([]) });
    renderAt("/call-records/cal_1", "/call-records/:id", <CallRecordDetailView />);
    expect(await screen.findByText("2 callers waiting ahead · this call #3 in line")).toBeInTheDocument();
  });

  it("says a caller is still waiting, and has no waiting room fact for a call that never waited", async () => {
    signIn("user");
    let wait: unknown = { position: 1, waitSec: null, outcome: "waiting" };
    mockApi({ "GET /api/call-records/cal_1": () => ({ ...RECORD, status: "ringing", endedAt: null, wait }), "GET /api/voice-agents": page([agent()]), "GET /api/trunks": page([]) });
    const view = renderAt("/call-records/cal_1", "/call-records/:id", <CallRecordDetailView />);
    expect(await screen.findByRole("group", { name: "Waiting room" })).toHaveTextContent(/^Waiting room#1 in line · still waiting$/);
    view.unmount();

    wait = null;
    renderAt("/call-records/cal_1", "/call-records/:id", <CallRecordDetailView />);
    await screen.findByRole("group", { name: "Disposition" });
    expect(screen.queryByRole("group", { name: "Waiting room" })).toBeNull();
  });

  it("says so when no decision was recorded", async () => {
    signIn("user");
    mockApi({ "GET /api/call-records/cal_1": { ...RECORD, routing: null, attempts: [] }, "GET /api/voice-agents": page([]), "GET /api/trunks": page([]) });
    renderAt("/call-records/cal_1", "/call-records/:id", <CallRecordDetailView />);
    expect(await screen.findByText("No routing decision was recorded.")).toBeInTheDocument();
    expect(screen.getByText("No dial attempts.")).toBeInTheDocument();
  });

  it("renders valid HTML: React reports no element nested where HTML forbids it", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      signIn("user");
      mockApi({
        "GET /api/call-records/cal_1": { ...RECORD, flags: [{ field: "durationSec", reported: 4242, used: 51, reason: "too long" }], carrierHeaders: { "A2B-DNID": "18005550123" } },
        "GET /api/voice-agents": page([agent(), agent({ id: "agt_2", name: "Bob" })]),
        "GET /api/trunks": page([]),
      });
      renderAt("/call-records/cal_1", "/call-records/:id", <CallRecordDetailView />);
      await screen.findByRole("table", { name: "Carrier headers" });
      await screen.findByText("Chose Alice");
      const messages = errors.mock.calls.map((args) => args.map(String).join(" "));
      expect(messages.filter((m) => /cannot be a (descendant|child)|validateDOMNesting|hydration error/i.test(m))).toEqual([]);
    } finally {
      errors.mockRestore();
    }
  });

  it('says "not reported" for durations and dial results it does not know, never 0:00', async () => {
    signIn("user");
    const attempts = [
      { n: 1, stage: "Support", kind: "agent", targetId: "agt_1", targetName: "Alice", groupId: "grp_1", startedAt: STARTED + 1_000, outcome: "answered" },
      { n: 2, stage: "Support", kind: "agent", targetId: "agt_2", targetName: "Bob", groupId: "grp_1", startedAt: STARTED + 5_000, outcome: "answered", durationSec: 0 },
    ];
    mockApi({
      "GET /api/call-records/cal_1": { ...RECORD, durationSec: 0, billableSec: null, attempts },
      "GET /api/voice-agents": page([agent(), agent({ id: "agt_2", name: "Bob" })]),
      "GET /api/trunks": page([]),
    });
    renderAt("/call-records/cal_1", "/call-records/:id", <CallRecordDetailView />);
    const table = await screen.findByRole("table", { name: "Attempts" });
    expect(screen.getByRole("group", { name: "Duration" })).toHaveTextContent(/^Durationnot reported$/);
    for (const row of within(table).getAllByRole("row").slice(1)) {
      const [, , , , ended, talk, , dialStatus] = within(row).getAllByRole("cell");
      expect(ended).toHaveTextContent(/^not reported$/);
      expect(talk).toHaveTextContent(/^not reported$/);
      expect(dialStatus).toHaveTextContent(/^not reported$/);
    }
    expect(screen.queryByText("0:00")).toBeNull();
  });

  it("says the disposition was not reported when an ended call had no CDR", async () => {
    signIn("user");
    mockApi({ "GET /api/call-records/cal_1": { ...RECORD, disposition: null }, "GET /api/voice-agents": page([agent()]), "GET /api/trunks": page([]) });
    renderAt("/call-records/cal_1", "/call-records/:id", <CallRecordDetailView />);
    expect(await screen.findByRole("group", { name: "Disposition" })).toHaveTextContent(/^Dispositionnot reported$/);
  });

  it("shows a live call's missing figures as still to come", async () => {
    signIn("user");
    const attempts = [{ n: 1, stage: "Support", kind: "agent", targetId: "agt_1", targetName: "Alice", groupId: "grp_1", startedAt: STARTED + 1_000 }];
    mockApi({
      "GET /api/call-records/cal_1": { ...RECORD, status: "connected", endedAt: null, durationSec: null, attempts },
      "GET /api/voice-agents": page([agent()]),
      "GET /api/trunks": page([]),
    });
    renderAt("/call-records/cal_1", "/call-records/:id", <CallRecordDetailView />);
    const table = await screen.findByRole("table", { name: "Attempts" });
    const [, , , , ended, talk] = within(within(table).getAllByRole("row")[1]!).getAllByRole("cell");
    expect(ended).toHaveTextContent(/^in progress$/);
    expect(talk).toHaveTextContent(/^in progress$/);
    expect(screen.getByRole("group", { name: "Ended" })).toHaveTextContent(/^Endedin progress$/);
    expect(screen.getByRole("group", { name: "Duration" })).toHaveTextContent(/^Durationin progress$/);
  });
});
