import { describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { QualityCost } from "../../web/src/views/dashboard/quality-cost";
import { mockApi, renderAt, signIn } from "./render";

const SINCE = "2026-03-01T00:00:00.000Z";

const figures = (f: Record<string, number | null>) => ({
  calls: 0,
  callsWithQuality: 0,
  mosCalls: 0,
  avgMos: null,
  poorMosCalls: 0,
  poorMosShare: null,
  avgJitterMs: null,
  avgPacketLossPct: null,
  billedSec: 0,
  ratedCost: 0,
  sellCost: 0,
  ratedCostPerMinute: null,
  sellCostPerMinute: null,
  ...f,
});

const AGENTS = [
  { key: "agt_1", name: "Alice", missing: null, ...figures({ calls: 5, callsWithQuality: 5, mosCalls: 5, avgMos: 4.1, poorMosCalls: 0, poorMosShare: 0, avgJitterMs: 8, avgPacketLossPct: 0.2, ratedCost: 0.1, sellCost: 0.2, ratedCostPerMinute: 0.02 }) },
  { key: "agt_2", name: "Bob", missing: null, ...figures({ calls: 3, callsWithQuality: 2, mosCalls: 2, avgMos: 3.2, poorMosCalls: 1, poorMosShare: 0.5, avgJitterMs: 30, ratedCost: 0.3, ratedCostPerMinute: 0.09 }) },
  { key: "agt_9", name: null, missing: "deleted", ...figures({ calls: 2, callsWithQuality: 0, ratedCostPerMinute: 0.05, ratedCost: 0.05 }) },
  { key: null, name: null, missing: "none", ...figures({ calls: 1 }) },
];
const PROVIDERS = [
  { key: "retell", name: "Retell AI", missing: null, ...figures({ calls: 5, mosCalls: 5, avgMos: 4.1, ratedCostPerMinute: 0.02 }) },
  { key: null, name: null, missing: "deleted", ...figures({ calls: 2 }) },
];

function api() {
  return mockApi({
    "GET /api/analytics/quality": (url: URL) => {
      const by = url.searchParams.get("by");
      const rows = by === "provider" ? PROVIDERS : AGENTS;
      return { range: { since: SINCE, until: "2026-03-02T00:00:00.000Z" }, by, rows, totals: figures({ calls: 11 }) };
    },
  });
}

const names = () =>
  within(screen.getByRole("table", { name: "Quality and cost" }))
    .getAllByTestId("quality-row")
    .map((r) => within(r).getAllByRole("cell")[0]!.textContent);

describe("quality and cost per agent, group and provider", () => {
  it("lists each agent's figures, says which rows are deleted or have no agent, and marks poor MOS and the highest cost per minute", async () => {
    signIn("user");
    const calls = api();
    renderAt("/", "/", <QualityCost since={SINCE} />);
    const table = await screen.findByRole("table", { name: "Quality and cost" });
    expect(calls.map((c) => c.path)).toContain(`/api/analytics/quality?since=${encodeURIComponent(SINCE)}&by=agent`);
    const headers = within(table)
      .getAllByRole("columnheader")
      .map((h) => h.textContent);
    expect(headers).toEqual(["Agent", "Calls", "With quality", "Average MOS", "MOS below 3.5", "Jitter", "Loss", "Rated cost", "Sell cost", "Cost per minute"]);
    expect(names()).toEqual(["Alice", "Bob", "Deleted agent (agt_9)", "No agent"]);
    const [alice, bob, deleted] = within(table).getAllByTestId("quality-row");
    expect(within(alice!).queryByText("poor")).toBeNull();
    expect(within(bob!).getByText("poor")).toBeInTheDocument();
    expect(bob).toHaveTextContent("3.20poor");
    expect(bob).toHaveTextContent("50.0%");
    // Bob's minute is the dearest: only his row says so.
    expect(within(bob!).getByText("highest")).toBeInTheDocument();
    expect(within(table).getAllByText("highest")).toHaveLength(1);
    expect(bob).toHaveTextContent("0.09 / min");
    const cells = (row: HTMLElement) =>
      within(row)
        .getAllByRole("cell")
        .map((c) => c.textContent);
    expect(cells(alice!)).toEqual(["Alice", "5", "5", "4.10", "0.0%", "8 ms", "0.2%", "0.1", "0.2", "0.02 / min"]);
    // Nothing reported is a dash, not a zero; a cost total of nothing is 0.
    expect(cells(deleted!)).toEqual(["Deleted agent (agt_9)", "2", "0", "—", "—", "—", "—", "0.05", "0", "0.05 / min"]);
  });

  it("sorts by average MOS (worst first) and by cost per minute (dearest first), rows without the figure last", async () => {
    signIn("user");
    api();
    renderAt("/", "/", <QualityCost since={SINCE} />);
    await screen.findByRole("table", { name: "Quality and cost" });
    await userEvent.click(screen.getByRole("button", { name: "Average MOS" }));
    expect(names()).toEqual(["Bob", "Alice", "Deleted agent (agt_9)", "No agent"]);
    expect(screen.getByRole("columnheader", { name: /Average MOS/ })).toHaveAttribute("aria-sort", "ascending");
    await userEvent.click(screen.getByRole("button", { name: "Cost per minute" }));
    expect(names()).toEqual(["Bob", "Deleted agent (agt_9)", "Alice", "No agent"]);
    expect(screen.getByRole("columnheader", { name: /Cost per minute/ })).toHaveAttribute("aria-sort", "descending");
    expect(screen.getByRole("columnheader", { name: /Average MOS/ })).toHaveAttribute("aria-sort", "none");
  });

  it("groups by provider on request, naming the calls of deleted agents", async () => {
    signIn("user");
    const calls = api();
    renderAt("/", "/", <QualityCost since={SINCE} />);
    await screen.findByRole("table", { name: "Quality and cost" });
    await userEvent.click(screen.getByRole("radio", { name: "Provider" }));
    await waitFor(() => expect(names()).toEqual(["Retell AI", "Unknown (agent deleted)"]));
    expect(calls.map((c) => c.path)).toContain(`/api/analytics/quality?since=${encodeURIComponent(SINCE)}&by=provider`);
    expect(within(screen.getByRole("table", { name: "Quality and cost" })).getAllByRole("columnheader")[0]).toHaveTextContent("Provider");
  });
});
