import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import Dashboard from "../../web/src/views/dashboard";
import { todayRanges } from "../../web/src/views/dashboard/ranges";
import { agent, mockApi, page, renderAt, signIn } from "./render";

const counts = (c: Partial<Record<string, number | null>> = {}) => ({ calls: 0, answered: 0, failed: 0, timedOut: 0, abandoned: 0, successRate: null, avgDurationSec: null, ...c });

function summary({ totals = {}, agents = [], groups = [] }: { totals?: Record<string, number | null>; agents?: unknown[]; groups?: unknown[] } = {}) {
  return {
    range: { since: "", until: "", timezone: "UTC", interval: "hour" },
    totals: { ...counts(totals), medianDurationSec: null, inProgress: 0, ...totals },
    series: [],
    agents,
    groups,
  };
}

const TODAY = summary({ totals: { calls: 2, answered: 2, successRate: 1, avgDurationSec: 30, inProgress: 1 } });
const YESTERDAY = summary({ totals: { calls: 2, answered: 1, successRate: 0.5, avgDurationSec: 30 } });

/** Answers today's, yesterday's and the period's summaries by their query. */
function api(period: object, extra: Record<string, unknown> = {}) {
  return mockApi({
    ...extra,
    "GET /api/analytics/summary": (url: URL) => (url.searchParams.has("until") ? YESTERDAY : url.searchParams.get("since") === todayRanges(Date.now()).today.since ? TODAY : period),
    "GET /api/voice-agents": page([agent(), agent({ id: "agt_2", name: "Bob" })]),
    "GET /api/agent-groups": page([]),
  });
}

afterEach(() => {
  vi.useRealTimers();
});

describe("dashboard", () => {
  it("says exactly what each figure counts", async () => {
    signIn("user");
    api(summary({ totals: { calls: 2, answered: 2, inProgress: 1 } }));
    renderAt("/", "/", <Dashboard />);
    await waitFor(() => expect(screen.getByTestId("kpi-calls-today")).toHaveTextContent("3"));
    expect(screen.getByTestId("kpi-calls-today-counts")).toHaveTextContent("started since midnight: 2 ended, 1 still live");
    expect(within(screen.getByRole("group", { name: "Calls today" })).getByText(/\+50%/)).toHaveTextContent("+50% against the same time yesterday");
    expect(screen.getByTestId("kpi-success-rate-counts")).toHaveTextContent("answered ÷ calls ended today");
    const outcomes = screen.getByRole("figure", { name: "Outcomes of ended calls" });
    expect(within(outcomes).getByTestId("outcome-counts")).toHaveTextContent("Answered: 2Not counted: 1 still live");
  });

  it("shows each agent's share of its group against the strategy's target, members without calls too", async () => {
    signIn("user");
    api(
      summary({
        totals: { calls: 7, answered: 6, failed: 1 },
        agents: [{ agentId: "agt_1", name: "Alice", ...counts({ calls: 7, answered: 6, failed: 1 }), attempts: 7, firstAttempts: 7, attemptsAnswered: 6, attemptsFailed: 1 }],
        groups: [
          {
            groupId: "grp_1",
            name: "Support",
            strategy: "round_robin",
            ...counts({ calls: 7 }),
            distribution: {
              basis: "attempts",
              total: 7,
              agents: [
                { agentId: "agt_1", name: "Alice", member: true, count: 7, share: 1, targetShare: 0.5, deviation: 0.5 },
                { agentId: "agt_2", name: "Bob", member: true, count: 0, share: 0, targetShare: 0.5, deviation: -0.5 },
              ],
            },
          },
        ],
      }),
    );
    renderAt("/", "/", <Dashboard />);
    const table = await screen.findByRole("table", { name: "Load per agent" });
    const [alice, bob] = within(table).getAllByTestId("agent-load-row");
    expect(alice).toHaveTextContent(/^Alice61Support: 100% of calls · target 50%$/);
    expect(bob).toHaveTextContent(/^Bob00Support: 0% of calls · target 50%$/);
    expect(within(bob!).getByRole("progressbar", { name: "Bob share of Support 0%, target 50%" })).toBeInTheDocument();
  });

  it("moves today's window at midnight and keeps yesterday's at the same time of day", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const start = new Date(2026, 2, 1, 23, 59, 30).getTime();
    vi.setSystemTime(start);
    signIn("user");
    const calls = api(summary());
    renderAt("/", "/", <Dashboard />);
    const summaries = () => calls.filter((c) => c.path.startsWith("/api/analytics/summary")).map((c) => Object.fromEntries(new URL(c.path, "http://x").searchParams));
    const before = todayRanges(start);
    await waitFor(() => expect(summaries()).toContainEqual(before.yesterday));
    expect(summaries()).toContainEqual(before.today);

    await vi.advanceTimersByTimeAsync(60_000);
    // The clock ticks once a minute.
    const after = todayRanges(start + 60_000);
    expect(new Date(after.today.since).getDate()).toBe(2);
    await waitFor(() => expect(summaries()).toContainEqual(after.today));
    expect(summaries()).toContainEqual(after.yesterday);
    // Yesterday is now all of 1 March up to this time of day: just after its midnight.
    expect(after.yesterday.since).toBe(new Date(2026, 2, 1).toISOString());
    expect(after.yesterday.until).toBe(new Date(2026, 2, 1, 0, 0, 30).toISOString());
  });

  it("draws calls over time with the figures of the data, answered first", async () => {
    signIn("user");
    const bucket = (hour: number, c: Record<string, number>) => ({ start: `2026-03-02T${String(hour).padStart(2, "0")}:00:00Z`, end: "", ...counts(c) });
    const period = {
      ...summary({ totals: { calls: 1218 + 1176, answered: 1176, failed: 20, timedOut: 4, abandoned: 14 } }),
      series: [bucket(9, { answered: 700, failed: 12, timedOut: 3, abandoned: 9 }), bucket(10, { answered: 476, failed: 8, timedOut: 1, abandoned: 5 })],
    };
    api(period);
    renderAt("/", "/", <Dashboard />);
    const figure = await screen.findByRole("figure", { name: "Calls over time" });
    const table = within(figure).getByRole("table", { name: "Calls over time, by outcome" });
    await waitFor(() => expect(within(table).getAllByRole("row")).toHaveLength(3));
    expect(
      within(table)
        .getAllByRole("columnheader")
        .map((h) => h.textContent),
    ).toEqual(["Time", "Answered", "Failed", "Abandoned"]);
    const values = within(table)
      .getAllByRole("row")
      .slice(1)
      .map((row) =>
        within(row)
          .getAllByRole("cell")
          .map((c) => Number(c.textContent)),
      );
    // The legend reads in stack order, answered (the base) first.
    expect(
      within(within(figure).getByTestId("calls-over-time-legend"))
        .getAllByText(/./)
        .map((t) => t.textContent),
    ).toEqual(["Answered", "Failed", "Abandoned"]);
    // Failed includes timed out, as the legend says.
    expect(values).toEqual([
      [700, 15, 9],
      [476, 9, 5],
    ]);
  });

  it("shows group load with whole names and says when health kept an agent below target", async () => {
    signIn("user");
    const member = (agentId: string, name: string, share: number) => ({ agentId, name, member: true, count: Math.round(share * 100), share, targetShare: 1 / 3, deviation: share - 1 / 3 });
    const longName = "Customer support escalations · night shift";
    api(
      summary({
        totals: { calls: 100, answered: 100 },
        groups: [
          {
            groupId: "grp_1",
            name: longName,
            strategy: "round_robin",
            ...counts({ calls: 100 }),
            distribution: { basis: "attempts", total: 100, agents: [member("agt_1", "Alice with a rather long agent name", 0.26), member("agt_2", "Bob", 0.37), member("agt_3", "Carol", 0.37)] },
          },
        ],
      }),
      {
        "GET /api/agent-groups/grp_1/stats": {
          groupId: "grp_1",
          strategy: "round_robin",
          rollingWindowHours: 24,
          members: [],
          live: {
            members: [
              { agentId: "agt_1", healthy: true, unhealthyUntil: null, consecutiveFailures: 0, failures: 9 },
              { agentId: "agt_2", healthy: true, failures: 0 },
              { agentId: "agt_3", healthy: true, failures: 1 },
            ],
          },
        },
      },
    );
    renderAt("/", "/", <Dashboard />);
    const figure = await screen.findByRole("figure", { name: "Group members: share of calls against target" });
    const group = await within(figure).findByRole("region", { name: `${longName} load against target` });
    expect(within(group).getByText("Alice with a rather long agent name")).toBeInTheDocument();
    expect(within(group).getByRole("meter", { name: `Alice with a rather long agent name in ${longName}: 26% of the calls, target 33%` })).toHaveAttribute("aria-valuenow", "26");
    const [alice, bob, carol] = within(group).getAllByTestId("group-load-member");
    expect(await within(alice!).findByTestId("health-note")).toHaveTextContent("9 failed dials");
    expect(within(bob!).queryByTestId("health-note")).toBeNull();
    expect(within(carol!).queryByTestId("health-note")).toBeNull();
    expect(within(group).getByText(/taken out of rotation for health get fewer calls/)).toBeInTheDocument();
  });

  it("says the average duration was not reported rather than 0:00 when answered calls have none", async () => {
    signIn("user");
    const today = summary({ totals: { calls: 3, answered: 3, successRate: 1, avgDurationSec: null } });
    mockApi({ "GET /api/analytics/summary": today, "GET /api/voice-agents": page([]), "GET /api/agent-groups": page([]) });
    renderAt("/", "/", <Dashboard />);
    await waitFor(() => expect(screen.getByTestId("kpi-average-duration")).toHaveTextContent(/^not reported$/));
  });
});
