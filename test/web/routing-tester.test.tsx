import { describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import RoutingTester from "../../web/src/views/inbound-rules/routing-tester";
import { mockApi, page, renderAt, signIn } from "./render";

const EXPLANATION = {
  decision: { action: "hangup", agent: null, trunk: null, person: null, context: [], timeLimitSec: null, cxml: "<Response><Hangup/></Response>" },
  chain: { attempts: [], end: { label: "clean hang-up", action: "hangup", cxml: "<Response><Hangup/></Response>" } },
  trace: { direction: "inbound", rulesTried: [], stages: [] },
};

const SERVICE_CXML = '<Response><Dial action="https://admin.acme.test/dial/1" timeLimit="600"><Service provider="retell">+12125550101<Header name="X-Caller" value="+14155550100"/></Service></Dial></Response>';
const SIP_CXML = '<Response><Dial action="https://admin.acme.test/dial/2" timeLimit="600"><Sip>sip:bob@agents.example.com</Sip></Dial></Response>';
const PERSON_CXML = '<Response><Dial action="https://admin.acme.test/dial/3" timeLimit="300"><Number>+12125550199</Number></Dial></Response>';
const END_CXML = "<Response><Hangup/></Response>";

const attempt = (n: number, overrides: Record<string, unknown>) => ({
  n,
  stage: "target",
  kind: "agent",
  via: "service",
  targetId: `agt_${n}`,
  targetName: `Agent ${n}`,
  address: "",
  groupId: "grp_1",
  provider: null,
  timeLimitSec: null,
  context: [],
  cxml: "",
  ...overrides,
});

const CHAINED = {
  decision: {
    action: "dial_agent",
    agent: { id: "agt_1", name: "Alice", provider: "retell", serviceValue: "+12125550101", kind: "service" },
    trunk: null,
    person: null,
    context: [{ name: "X-Caller", value: "+14155550100" }],
    timeLimitSec: 600,
    cxml: SERVICE_CXML,
  },
  chain: {
    attempts: [
      attempt(1, { targetId: "agt_1", targetName: "Alice", via: "service", provider: "retell", address: "+12125550101", timeLimitSec: 600, context: [{ name: "X-Caller", value: "+14155550100" }], cxml: SERVICE_CXML }),
      attempt(2, { targetId: "agt_2", targetName: "Bob", via: "sip", provider: "sip", address: "sip:bob@agents.example.com", timeLimitSec: 600, cxml: SIP_CXML }),
      attempt(3, { stage: "fallback", kind: "person", via: "number", targetId: "+12125550199", targetName: "+12125550199", address: "+12125550199", groupId: null, timeLimitSec: 300, cxml: PERSON_CXML }),
    ],
    end: { label: "clean hang-up", action: "hangup", cxml: END_CXML },
  },
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

  it("shows the predicted chain in order: each attempt's kind, target, headers, time limit and exact CXML, then the end", async () => {
    signIn("user");
    const calls = mockApi({ "POST /api/routing/explain": CHAINED, "GET /api/voice-agents": page([]), "GET /api/trunks": page([]), "GET /api/agent-groups": page([{ id: "grp_1", name: "Support" }]) });
    const user = userEvent.setup();
    renderAt("/routing-tester", "/routing-tester", <RoutingTester />);
    await user.type(screen.getByRole("textbox", { name: /To \(called number\)/ }), "+18005550199");
    await user.click(screen.getByRole("radio", { name: "API call" }));
    await user.click(screen.getByRole("button", { name: "Explain" }));
    const decision = await screen.findByTestId("routing-decision");
    expect(decision).toHaveTextContent("Dial an agent: Alice");
    expect(decision).toHaveTextContent("Time limit: 600 s (10 min) · 1 header sent");
    await waitFor(() => expect(calls.find((c) => c.method === "POST")?.body).toMatchObject({ direction: "outbound-api" }));

    const chain = screen.getByTestId("routing-chain");
    const attempts = within(chain).getAllByTestId("chain-attempt");
    expect(attempts.map((a) => a.getAttribute("aria-label"))).toEqual(["Attempt 1: Alice", "Attempt 2: Bob", "Attempt 3: +12125550199"]);

    const [first, second, third] = attempts as [HTMLElement, HTMLElement, HTMLElement];
    expect(first).toHaveTextContent("Agent");
    expect(first).toHaveTextContent("Provider service");
    expect(first).toHaveTextContent("+12125550101 · retell · group Support · target");
    expect(first).toHaveTextContent("Time limit: 600 s (10 min)");
    const headers = within(first).getByRole("table", { name: "Headers of attempt 1" });
    expect(
      within(headers)
        .getAllByRole("cell")
        .map((c) => c.textContent),
    ).toEqual(["X-Caller", "+14155550100"]);
    // The CXML exactly as the API gave it, tags and all.
    expect(within(first).getByLabelText("CXML of attempt 1").textContent).toBe(SERVICE_CXML);

    expect(second).toHaveTextContent("SIP URI");
    expect(second).toHaveTextContent("sip:bob@agents.example.com");
    expect(second).toHaveTextContent("No headers sent");
    expect(within(second).getByLabelText("CXML of attempt 2").textContent).toBe(SIP_CXML);

    expect(third).toHaveTextContent("Person");
    expect(third).toHaveTextContent("Phone number");
    expect(third).toHaveTextContent("Time limit: 300 s (5 min)");
    expect(within(third).getByLabelText("CXML of attempt 3").textContent).toBe(PERSON_CXML);

    const end = within(chain).getByTestId("chain-end");
    expect(end).toHaveTextContent("Then: clean hang-up");
    expect(within(end).getByLabelText("CXML of the end").textContent).toBe(END_CXML);
    // The end comes after the last attempt.
    expect(third.compareDocumentPosition(end) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it("says when the call ends at once, with no attempt", async () => {
    signIn("user");
    mockApi({
      "POST /api/routing/explain": { ...EXPLANATION, chain: { attempts: [], end: { label: "unmatched: reject", action: "reject", cxml: '<Response><Reject reason="rejected"/></Response>' } } },
      "GET /api/voice-agents": page([]),
      "GET /api/trunks": page([]),
    });
    const user = userEvent.setup();
    renderAt("/routing-tester", "/routing-tester", <RoutingTester />);
    await user.type(screen.getByRole("textbox", { name: /To \(called number\)/ }), "+18005550199");
    await user.click(screen.getByRole("button", { name: "Explain" }));
    const end = await screen.findByTestId("chain-end");
    expect(screen.queryAllByTestId("chain-attempt")).toHaveLength(0);
    expect(end).toHaveTextContent("At once: unmatched: reject");
    expect(within(end).getByLabelText("CXML of the end").textContent).toBe('<Response><Reject reason="rejected"/></Response>');
  });
});
