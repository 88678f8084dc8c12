import { describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import RoutingTester from "../../web/src/views/inbound-rules/routing-tester";
import { mockApi, page, renderAt, signIn } from "./render";

const EXPLANATION = {
  decision: { action: "hangup", agent: null, trunk: null, person: null, context: [], timeLimitSec: null, cxml: "<Response><Hangup/></Response>" },
  chain: { attempts: [], waits: [], end: { label: "clean hang-up", action: "hangup", cxml: "<Response><Hangup/></Response>" } },
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
    waits: [],
    end: { label: "clean hang-up", action: "hangup", cxml: END_CXML },
  },
  trace: { direction: "inbound", rulesTried: [], stages: [] },
};

const WAIT_CXML = '<Response><Say>You are number 3 in line.</Say><Pause length="10"/><Redirect method="POST">https://admin.acme.test/wait/1</Redirect></Response>';
const LATER_WAIT_CXML = '<Response><Play>https://example.com/hold.mp3</Play><Redirect method="POST">https://admin.acme.test/wait/1</Redirect></Response>';
const wait = (overrides: Record<string, unknown>) => ({ stage: "target: full, waiting room", position: 3, beforeAttempt: 1, maxWaitSec: 120, retrySec: 10, cxml: WAIT_CXML, ...overrides });
const stage = (overrides: Record<string, unknown>) => ({ label: "target", kind: "group", reached: true, chosen: null, candidates: [], skipped: [], eligibleCount: null, line: null, ...overrides });

/** Every agent of the group full, two callers ahead: the call waits third in line, then the fallback's person. */
const WAITING = {
  decision: { action: "wait", agent: null, trunk: null, person: null, wait: { position: 3, maxWaitSec: 120 }, context: [], timeLimitSec: null, cxml: WAIT_CXML },
  chain: {
    attempts: [attempt(1, { stage: "fallback", kind: "person", via: "number", targetId: "+12125550199", targetName: "+12125550199", address: "+12125550199", groupId: null, timeLimitSec: 300, cxml: PERSON_CXML })],
    waits: [wait({})],
    end: { label: "clean hang-up", action: "hangup", cxml: END_CXML },
  },
  trace: {
    direction: "inbound",
    rulesTried: [],
    stages: [
      stage({ skipped: [{ agentId: "agt_1", reason: "at_capacity" }], eligibleCount: 1, line: { ahead: 2, position: 3 } }),
      stage({ label: "fallback", kind: "person" }),
      stage({ label: "other", kind: "group", skipped: [{ agentId: "agt_2", reason: "at_capacity" }], line: { ahead: 1, position: null } }),
    ],
  },
};

async function explainWith(explanation: object) {
  signIn("user");
  mockApi({ "POST /api/routing/explain": explanation, "GET /api/voice-agents": page([{ id: "agt_1", name: "Alice" }]), "GET /api/trunks": page([]), "GET /api/agent-groups": page([]) });
  const user = userEvent.setup();
  renderAt("/routing-tester", "/routing-tester", <RoutingTester />);
  await user.type(screen.getByRole("textbox", { name: /To \(called number\)/ }), "+18005550199");
  await user.click(screen.getByRole("button", { name: "Explain" }));
  return screen.findByTestId("routing-decision");
}

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
      "POST /api/routing/explain": { ...EXPLANATION, chain: { attempts: [], waits: [], end: { label: "unmatched: reject", action: "reject", cxml: '<Response><Reject reason="rejected"/></Response>' } } },
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

  it("says when the call would wait in the group's waiting room: its place, the longest wait, what comes after, and the CXML", async () => {
    const decision = await explainWith(WAITING);
    expect(decision).toHaveTextContent("Hold in a waiting room");
    expect(decision).toHaveTextContent("Waits in the group's waiting room (every agent is full): #3 in line, up to 2 min, then attempt 1: +12125550199.");
    expect(decision).not.toHaveTextContent("Time limit");
    expect(screen.getByLabelText("CXML").textContent).toBe(WAIT_CXML);

    // The wait stands in the chain before the attempt it delays.
    const chain = screen.getByTestId("routing-chain");
    expect(
      within(chain)
        .getAllByRole("listitem")
        .map((li) => li.getAttribute("aria-label")),
    ).toEqual(["Waiting room before attempt 1: #3 in line", "Attempt 1: +12125550199", "Then: clean hang-up"]);
    const room = within(chain).getByTestId("chain-wait");
    expect(room).toHaveTextContent("2 callers ahead · tried again every 10 s (or as the hold music ends) · target: full, waiting room");
    expect(room).toHaveTextContent("Longest wait: 2 min, then attempt 1: +12125550199");
    expect(within(room).getByLabelText("CXML of the waiting room before attempt 1").textContent).toBe(WAIT_CXML);

    // The stages say who was full and how long the line is.
    const lines = screen.getAllByTestId("stage-line").map((l) => l.textContent);
    expect(lines).toEqual(["2 callers waiting ahead · this call #3 in line", "1 caller waiting ahead · no waiting room, so this call does not wait"]);
    expect(screen.getByText("Skipped Alice: at capacity")).toBeInTheDocument();
  });

  it("places a later wait between attempts, and one after the last attempt before the end", async () => {
    const explanation = {
      ...CHAINED,
      chain: {
        ...CHAINED.chain,
        waits: [wait({ stage: "fallback: full, waiting room", position: 1, beforeAttempt: 2, maxWaitSec: 90, retrySec: 5, cxml: LATER_WAIT_CXML }), wait({ stage: "last: full, waiting room", position: 4, beforeAttempt: 4, maxWaitSec: 3600 })],
      },
    };
    const decision = await explainWith(explanation);
    // The first step dials; the decision says nothing of a wait.
    expect(decision).toHaveTextContent("Dial an agent: Alice");
    expect(decision).not.toHaveTextContent("Waits in");
    const chain = screen.getByTestId("routing-chain");
    expect(
      within(chain)
        .getAllByRole("listitem")
        .map((li) => li.getAttribute("aria-label")),
    ).toEqual(["Attempt 1: Alice", "Waiting room before attempt 2: #1 in line", "Attempt 2: Bob", "Attempt 3: +12125550199", "Waiting room before the end: #4 in line", "Then: clean hang-up"]);
    const [middle, last] = within(chain).getAllByTestId("chain-wait") as [HTMLElement, HTMLElement];
    expect(middle).toHaveTextContent("No caller ahead · tried again every 5 s");
    expect(middle).toHaveTextContent("Longest wait: 1 min 30 s, then attempt 2: Bob");
    expect(within(middle).getByLabelText("CXML of the waiting room before attempt 2").textContent).toBe(LATER_WAIT_CXML);
    expect(last).toHaveTextContent("3 callers ahead");
    expect(last).toHaveTextContent("Longest wait: 1 h, then the end: clean hang-up");
    expect(within(last).getByLabelText("CXML of the waiting room before the end").textContent).toBe(WAIT_CXML);
  });
});
