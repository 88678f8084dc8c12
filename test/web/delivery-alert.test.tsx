import { describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import Dashboard from "../../web/src/views/dashboard";
import { DeliveryAlert } from "../../web/src/views/dashboard/delivery-alert";
import { mockApi, page, renderAt, signIn } from "./render";

const summary = (overrides: Record<string, unknown>) => ({ window: "15m", since: "", deliveries: 0, failed: 0, refused: 0, failureRate: null, failing: false, parkedDeadLetters: 0, ...overrides });

describe("the dashboard's delivery alert", () => {
  it("says how many deliveries failed and links to them when the API reports failing", async () => {
    signIn("user");
    mockApi({ "GET /api/webhook-deliveries/summary": summary({ deliveries: 40, failed: 3, failureRate: 0.075, failing: true }) });
    renderAt("/", "/", <DeliveryAlert />);
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("3 of 40 webhook deliveries failed in the last 15 minutes (7.5%)");
    expect(within(alert).getByRole("link", { name: "See the failed deliveries" })).toHaveAttribute("href", "/deliveries?status=failed&range=15m");
    expect(within(alert).queryByRole("link", { name: "Review the dead letters" })).toBeNull();
  });

  it("links to the parked dead letters when there are any, on the dashboard itself", async () => {
    signIn("user");
    mockApi({
      "GET /api/webhook-deliveries/summary": summary({ deliveries: 5, failed: 1, failureRate: 0.2, parkedDeadLetters: 1 }),
      "GET /api/voice-agents": page([]),
      "GET /api/agent-groups": page([]),
    });
    renderAt("/", "/", <Dashboard />);
    const alert = await screen.findByTestId("delivery-alert");
    expect(alert).toHaveTextContent("1 dead letter is parked");
    // Too few deliveries to call 20% failing.
    expect(alert).not.toHaveTextContent("failed in the last 15 minutes");
    expect(within(alert).getByRole("link", { name: "Review the dead letters" })).toHaveAttribute("href", "/deliveries?tab=dead-letters&status=parked&range=all");
  });

  it("stays away while deliveries are healthy and nothing is parked", async () => {
    signIn("user");
    const calls = mockApi({ "GET /api/webhook-deliveries/summary": summary({ deliveries: 100, failed: 4, failureRate: 0.04 }) });
    renderAt("/", "/", <DeliveryAlert />);
    await waitFor(() => expect(calls.some((c) => c.path.startsWith("/api/webhook-deliveries/summary"))).toBe(true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.queryByRole("alert")).toBeNull();
  });
});
