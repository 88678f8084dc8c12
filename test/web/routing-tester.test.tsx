import { describe, expect, it } from "vitest";
import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import RoutingTester from "../../web/src/views/inbound-rules/routing-tester";
import { mockApi, page, renderAt, signIn } from "./render";

const EXPLANATION = {
  decision: { action: "hangup", agent: null, trunk: null, cxml: "<Response><Hangup/></Response>" },
  trace: { direction: "inbound", rulesTried: [], stages: [] },
};

describe("routing tester", () => {
  it("refuses what the API would, with its message, then sends the hypothetical call", async () => {
    signIn("user");
    const calls = mockApi({ "POST /api/routing/explain": EXPLANATION, "GET /api/voice-agents": page([]), "GET /api/trunks": page([]) });
    const user = userEvent.setup();
    renderAt("/routing-tester", "/routing-tester", <RoutingTester />);
    await user.click(screen.getByRole("button", { name: "Explain" }));
    expect(await screen.findByText("is required: the number being called")).toBeInTheDocument();
    expect(calls.filter((c) => c.method === "POST")).toHaveLength(0);

    await user.type(screen.getByRole("textbox", { name: /To \(called number\)/ }), "+18005550199");
    await user.click(screen.getByRole("button", { name: "Explain" }));
    expect(await screen.findByTestId("routing-decision")).toHaveTextContent("Hang up");
    await waitFor(() => expect(calls.find((c) => c.method === "POST")?.body).toEqual({ from: "+14155550100", to: "+18005550199", direction: "auto" }));
  });
});
