import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import GroupAdd from "../../web/src/views/agent-groups/add";
import GroupEdit from "../../web/src/views/agent-groups/edit";
import { groupBody, type GroupFormValues } from "../../web/src/views/agent-groups/form";
import { agent, mockApi, page, renderAt, signIn } from "./render";

const AGENTS = [agent(), agent({ id: "agt_2", name: "Bob", provider: "vapi", weight: 2, maxConcurrentCalls: null })];
const SUMMARY = { range: { since: "", until: "", timezone: "UTC", interval: "hour" }, totals: {}, series: [], agents: [], groups: [] };

function group(overrides: Record<string, unknown> = {}) {
  return {
    id: "grp_1",
    name: "Support",
    description: "",
    strategy: "round_robin",
    rollingWindowHours: 24,
    maxAttempts: 3,
    stickyTtlSeconds: null,
    enabled: true,
    memberCount: 2,
    version: 3,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    members: [
      { agentId: "agt_1", position: 0, priority: 0, weight: null, capacity: null, agent: { name: "Alice", provider: "retell", enabled: true, weight: 1, maxConcurrentCalls: 5 } },
      { agentId: "agt_2", position: 1, priority: 0, weight: null, capacity: null, agent: { name: "Bob", provider: "vapi", enabled: true, weight: 2, maxConcurrentCalls: null } },
    ],
    ...overrides,
  };
}

/*
 * dnd-kit's keyboard sensor moves an item towards the neighbour whose box lies in the arrow's
 * direction; happy-dom lays nothing out, so each member row gets a 40 px box by its position.
 */
const realRect = Element.prototype.getBoundingClientRect;
beforeEach(() => {
  Element.prototype.getBoundingClientRect = function (this: Element) {
    const row = this.closest("[data-testid=member-row]");
    if (!row) return realRect.call(this);
    const top = [...row.parentElement!.children].indexOf(row) * 40;
    return { x: 0, y: top, top, left: 0, right: 800, bottom: top + 40, width: 800, height: 40, toJSON: () => ({}) } as DOMRect;
  };
});
afterEach(() => {
  Element.prototype.getBoundingClientRect = realRect;
});

const memberNames = () => screen.getAllByTestId("member-row").map((row) => within(row).getAllByText(/^(Alice|Bob)$/)[0]!.textContent);

async function addMember(user: ReturnType<typeof userEvent.setup>, name: string) {
  await user.click(screen.getByRole("combobox", { name: "Add a member" }));
  await user.click(await screen.findByRole("option", { name: new RegExp(`^${name}`), hidden: true }));
}

describe("agent group form", () => {
  it("orders members by keyboard and sends each one's weight and capacity", async () => {
    signIn("admin");
    const calls = mockApi({
      "GET /api/voice-agents": page(AGENTS),
      "GET /api/analytics/summary": SUMMARY,
      "POST /api/agent-groups": (_u: URL, init: RequestInit) => group(JSON.parse(String(init.body))),
    });
    const user = userEvent.setup();
    renderAt("/agent-groups/new", "/agent-groups/new", <GroupAdd />);
    await user.type(screen.getByRole("textbox", { name: /^Name/ }), "Support");
    await screen.findByText("No members yet: add agents below.");
    await addMember(user, "Alice");
    await addMember(user, "Bob");
    expect(memberNames()).toEqual(["Alice", "Bob"]);

    // The drag handle by keyboard: focus it, space to lift, arrow up, space to drop.
    screen.getByRole("button", { name: /Reorder Bob/ }).focus();
    await user.keyboard(" ");
    await user.keyboard("{ArrowUp}");
    await user.keyboard(" ");
    await waitFor(() => expect(memberNames()).toEqual(["Bob", "Alice"]));

    // And the buttons, by keyboard too.
    screen.getByRole("button", { name: "Move Alice up" }).focus();
    await user.keyboard("{Enter}");
    expect(memberNames()).toEqual(["Alice", "Bob"]);
    expect(screen.getByRole("button", { name: "Move Alice up" })).toBeDisabled();

    // The agent's own figures are the placeholders: empty means "the agent's".
    expect(screen.getByRole("textbox", { name: "Weight of Bob" })).toHaveAttribute("placeholder", "2 (agent)");
    expect(screen.getByRole("textbox", { name: "Capacity of Bob" })).toHaveAttribute("placeholder", "no limit");
    await user.type(screen.getByRole("textbox", { name: "Weight of Alice" }), "3");
    await user.type(screen.getByRole("textbox", { name: "Capacity of Bob" }), "2");
    await user.click(screen.getByRole("button", { name: "Create group" }));
    await waitFor(() => expect(calls.some((c) => c.method === "POST")).toBe(true));
    expect(calls.find((c) => c.method === "POST")!.body).toMatchObject({
      name: "Support",
      strategy: "round_robin",
      members: [
        { agentId: "agt_1", priority: 0, weight: 3, capacity: null },
        { agentId: "agt_2", priority: 0, weight: null, capacity: 2 },
      ],
    });
  });

  it("shows a member's share against the strategy's target", async () => {
    signIn("admin");
    mockApi({
      "GET /api/agent-groups/grp_1": group(),
      "GET /api/voice-agents": page(AGENTS),
      "GET /api/analytics/summary": {
        ...SUMMARY,
        groups: [{ groupId: "grp_1", distribution: { basis: "attempts", total: 10, agents: [{ agentId: "agt_1", name: "Alice", member: true, count: 7, share: 0.7, targetShare: 0.5, deviation: 0.2 }] } }],
      },
    });
    renderAt("/agent-groups/grp_1", "/agent-groups/:id", <GroupEdit />);
    const alice = (await screen.findAllByTestId("member-row"))[0]!;
    expect(await within(alice).findByText("70% of calls · target 50%")).toBeInTheDocument();
    expect(within(screen.getAllByTestId("member-row")[1]!).getByText("no calls yet")).toBeInTheDocument();
  });

  it("saves settings and members, and shows a members error with the edits still there", async () => {
    signIn("admin");
    let stored = group();
    let membersAnswer: () => Response | object = () => new Response(JSON.stringify({ error: { code: "VALIDATION_FAILED", message: "Agent agt_2 is disabled and cannot take calls", requestId: "r" } }), { status: 422 });
    const calls = mockApi({
      "GET /api/agent-groups/grp_1": () => stored,
      "GET /api/voice-agents": page(AGENTS),
      "GET /api/analytics/summary": SUMMARY,
      "PUT /api/agent-groups/grp_1": (_u: URL, init: RequestInit) => {
        const { version: _v, ...settings } = JSON.parse(String(init.body));
        stored = { ...stored, ...settings, version: stored.version + 1 };
        return stored;
      },
      "PUT /api/agent-groups/grp_1/members": () => {
        const answer = membersAnswer();
        if (!(answer instanceof Response)) stored = { ...stored, version: stored.version + 1 };
        return answer;
      },
    });
    const user = userEvent.setup();
    renderAt("/agent-groups/grp_1", "/agent-groups/:id", <GroupEdit />);
    const name = await screen.findByRole("textbox", { name: /^Name/ });
    await user.clear(name);
    await user.type(name, "Support desk");
    screen.getByRole("button", { name: "Move Bob up" }).focus();
    await user.keyboard("{Enter}");
    await user.click(screen.getByRole("button", { name: "Save changes" }));

    expect(await screen.findByText("Agent agt_2 is disabled and cannot take calls")).toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: /^Name/ })).toHaveValue("Support desk");
    expect(memberNames()).toEqual(["Bob", "Alice"]);
    const puts = () => calls.filter((c) => c.method === "PUT");
    expect(puts().map((c) => [c.path, (c.body as { version: number }).version])).toEqual([
      ["/api/agent-groups/grp_1", 3],
      ["/api/agent-groups/grp_1/members", 4],
    ]);

    // Trying again starts from the version the saved settings produced, not a conflict.
    membersAnswer = () => ({ groupId: "grp_1", version: 6, members: [] });
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    expect(await screen.findByText("elsewhere")).toBeInTheDocument();
    expect(
      puts()
        .slice(2)
        .map((c) => [c.path, (c.body as { version: number }).version]),
    ).toEqual([
      ["/api/agent-groups/grp_1", 4],
      ["/api/agent-groups/grp_1/members", 5],
    ]);
    expect((puts()[3]!.body as { members: { agentId: string }[] }).members.map((m) => m.agentId)).toEqual(["agt_2", "agt_1"]);
  });

  it("is read-only for a user: no reordering, no inputs to change", async () => {
    signIn("user");
    mockApi({ "GET /api/agent-groups/grp_1": group(), "GET /api/voice-agents": page(AGENTS), "GET /api/analytics/summary": SUMMARY });
    renderAt("/agent-groups/grp_1", "/agent-groups/:id", <GroupEdit />);
    expect(await screen.findByRole("textbox", { name: /^Name/ })).toBeDisabled();
    expect(screen.queryByRole("button", { name: /Reorder/ })).toBeNull();
    expect(screen.queryByRole("button", { name: /Move .* up/ })).toBeNull();
    expect(await screen.findByRole("textbox", { name: "Weight of Alice" })).toBeDisabled();
    expect(screen.queryByRole("button", { name: "Save changes" })).toBeNull();
  });

  it("says which members health took out of rotation, from the group's stats", async () => {
    signIn("user");
    const until = Date.parse("2026-03-02T10:05:00Z");
    mockApi({
      "GET /api/agent-groups/grp_1": group(),
      "GET /api/voice-agents": page(AGENTS),
      "GET /api/analytics/summary": SUMMARY,
      "GET /api/agent-groups/grp_1/stats": {
        groupId: "grp_1",
        strategy: "round_robin",
        rollingWindowHours: 24,
        members: [],
        live: {
          members: [
            { agentId: "agt_1", healthy: false, unhealthyUntil: until, consecutiveFailures: 3, failures: 4 },
            { agentId: "agt_2", healthy: true, unhealthyUntil: null, consecutiveFailures: 0, failures: 0 },
          ],
        },
      },
    });
    renderAt("/agent-groups/grp_1", "/agent-groups/:id", <GroupEdit />);
    await screen.findByRole("textbox", { name: /^Name/ });
    const [alice, bob] = screen.getAllByTestId("member-row");
    expect(await within(alice!).findByTestId("health-note")).toHaveTextContent(`Unhealthy: out of rotation for health until ${new Date(until).toLocaleTimeString()} (3 failed dials in a row)`);
    expect(within(bob!).queryByTestId("health-note")).toBeNull();
  });

  it("renders valid HTML: nothing but rows inside the members table", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      signIn("admin");
      mockApi({ "GET /api/agent-groups/grp_1": group(), "GET /api/voice-agents": page(AGENTS), "GET /api/analytics/summary": SUMMARY });
      renderAt("/agent-groups/grp_1", "/agent-groups/:id", <GroupEdit />);
      await screen.findByRole("button", { name: /Reorder Alice/ });
      const messages = errors.mock.calls.map((args) => args.map(String).join(" "));
      expect(messages.filter((m) => /cannot be a (descendant|child)|cannot contain a nested/i.test(m))).toEqual([]);
    } finally {
      errors.mockRestore();
    }
  });

  it("fails over on the outcomes checked, says what the others do, and sends a time limit and headers", async () => {
    signIn("admin");
    const calls = mockApi({
      "GET /api/agent-groups/grp_1": group({ failoverOn: null, timeLimitSec: null, context: [] }),
      "GET /api/voice-agents": page(AGENTS),
      "GET /api/analytics/summary": SUMMARY,
      "PUT /api/agent-groups/grp_1": (_u: URL, init: RequestInit) => group({ ...JSON.parse(String(init.body)), version: 4 }),
    });
    const user = userEvent.setup();
    renderAt("/agent-groups/grp_1", "/agent-groups/:id", <GroupEdit />);
    const outcomes = await screen.findByRole("group", { name: /Try the next agent when a dial ends/ });
    // By default every outcome fails over (the API's null).
    for (const name of ["Busy", "No answer", "Failed", "Canceled"]) expect(within(outcomes).getByRole("checkbox", { name })).toBeChecked();
    expect(screen.getByText(/Every failed dial tries the next agent, up to the max attempts, then the rule's fallback/)).toBeInTheDocument();

    await user.click(within(outcomes).getByRole("checkbox", { name: "Busy" }));
    expect(
      screen.getByText("On no answer, failed or canceled the next agent is tried, then the rule's fallback. On busy the call ends at once (hang-up): no other agent and no fallback is tried, so a callee who declined is not dialled again."),
    ).toBeInTheDocument();

    const limit = screen.getByRole("textbox", { name: /Maximum call length/ });
    await user.type(limit, "5");
    await user.tab();
    expect(await screen.findByText("must be at least 10 seconds (or null for no limit)")).toBeInTheDocument();
    await user.clear(limit);
    await user.type(limit, "600");

    await user.click(screen.getByRole("button", { name: "Add header" }));
    await user.type(screen.getByRole("textbox", { name: "Header 1 name" }), "Queue");
    await user.click(screen.getByRole("textbox", { name: "Header 1 value" }));
    await user.paste("{groupName}");
    // The preview uses the group's own name.
    expect(within(screen.getByTestId("context-preview")).getByText("Support")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(calls.some((c) => c.method === "PUT")).toBe(true));
    expect(calls.find((c) => c.method === "PUT")!.body).toMatchObject({ failoverOn: ["no-answer", "failed", "canceled"], timeLimitSec: 600, context: [{ name: "X-Queue", value: "{groupName}" }], version: 3 });
  });

  it("shows a group's outcomes, limit and headers, and sends an empty list when no outcome fails over", async () => {
    signIn("admin");
    const calls = mockApi({
      "GET /api/agent-groups/grp_1": group({ failoverOn: ["busy"], timeLimitSec: 120, context: [{ name: "X-Queue", value: "support" }] }),
      "GET /api/voice-agents": page(AGENTS),
      "GET /api/analytics/summary": SUMMARY,
      "PUT /api/agent-groups/grp_1": (_u: URL, init: RequestInit) => group({ ...JSON.parse(String(init.body)), version: 4 }),
    });
    const user = userEvent.setup();
    renderAt("/agent-groups/grp_1", "/agent-groups/:id", <GroupEdit />);
    const outcomes = await screen.findByRole("group", { name: /Try the next agent when a dial ends/ });
    expect(within(outcomes).getByRole("checkbox", { name: "Busy" })).toBeChecked();
    expect(within(outcomes).getByRole("checkbox", { name: "No answer" })).not.toBeChecked();
    expect(screen.getByRole("textbox", { name: /Maximum call length/ })).toHaveValue("120");
    expect(screen.getByRole("textbox", { name: "Header 1 value" })).toHaveValue("support");

    await user.click(within(outcomes).getByRole("checkbox", { name: "Busy" }));
    expect(screen.getByText(/No failed dial tries another agent: on busy, no answer, failed or canceled the call ends at once/)).toBeInTheDocument();
    await user.clear(screen.getByRole("textbox", { name: /Maximum call length/ }));
    await user.click(screen.getByRole("button", { name: "Remove header 1" }));
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(calls.some((c) => c.method === "PUT")).toBe(true));
    expect(calls.find((c) => c.method === "PUT")!.body).toMatchObject({ failoverOn: [], timeLimitSec: null, context: [] });
  });

  it("saves a waiting room as the overflow: exactly its fields, the empty message left out", async () => {
    signIn("admin");
    const calls = mockApi({
      "GET /api/agent-groups/grp_1": group({ overflow: null }),
      "GET /api/voice-agents": page(AGENTS),
      "GET /api/analytics/summary": SUMMARY,
      "PUT /api/agent-groups/grp_1": (_u: URL, init: RequestInit) => group({ ...JSON.parse(String(init.body)), version: 4 }),
    });
    const user = userEvent.setup();
    renderAt("/agent-groups/grp_1", "/agent-groups/:id", <GroupEdit />);
    await user.click(await screen.findByRole("combobox", { name: /When every agent is full/ }));
    await user.click(await screen.findByRole("option", { name: "Hold the caller in a waiting room, first come first served", hidden: true }));
    await user.type(screen.getByRole("textbox", { name: /Hold music URL/ }), "https://example.com/hold-10s.mp3");
    const longest = screen.getByRole("textbox", { name: /Longest wait/ });
    await user.clear(longest);
    await user.type(longest, "5");
    await user.tab();
    expect(longest).toHaveAccessibleDescription(/must be at least 10 seconds/);
    await user.clear(longest);
    await user.type(longest, "300");

    await user.click(screen.getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(calls.some((c) => c.method === "PUT")).toBe(true));
    expect((calls.find((c) => c.method === "PUT")!.body as { overflow: unknown }).overflow).toStrictEqual({ type: "wait", playUrl: "https://example.com/hold-10s.mp3", retrySec: 10, maxWaitSec: 300 });
  });

  it("shows a saved waiting room and sends no save while one of its fields is wrong", async () => {
    signIn("admin");
    const calls = mockApi({
      "GET /api/agent-groups/grp_1": group({ overflow: { type: "wait", text: "You are number {position}", retrySec: 20, maxWaitSec: 600 } }),
      "GET /api/voice-agents": page(AGENTS),
      "GET /api/analytics/summary": SUMMARY,
    });
    const user = userEvent.setup();
    renderAt("/agent-groups/grp_1", "/agent-groups/:id", <GroupEdit />);
    expect(await screen.findByRole("combobox", { name: /When every agent is full/ })).toHaveValue("Hold the caller in a waiting room, first come first served");
    expect(screen.getByRole("textbox", { name: /Message when the caller joins/ })).toHaveValue("You are number {position}");
    expect(screen.getByRole("textbox", { name: /Hold music URL/ })).toHaveValue("");
    expect(screen.getByRole("textbox", { name: /Seconds between tries/ })).toHaveValue("20");
    expect(screen.getByRole("textbox", { name: /Longest wait/ })).toHaveValue("600");

    await user.type(screen.getByRole("textbox", { name: /Hold music URL/ }), "ftp://x");
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    expect(await screen.findByText("must be an http(s) URL of an audio file")).toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: /Hold music URL/ })).toHaveAttribute("aria-invalid", "true");
    expect(calls.filter((c) => c.method === "PUT")).toHaveLength(0);

    // Mended, the message goes at once: the refusal on save does not linger.
    await user.clear(screen.getByRole("textbox", { name: /Hold music URL/ }));
    expect(screen.queryByText("must be an http(s) URL of an audio file")).toBeNull();
    expect(screen.getByRole("textbox", { name: /Message when the caller joins/ })).not.toHaveAttribute("aria-invalid", "true");
  });

  it("sends every outcome checked as null, the default, and a subset in the API's order", () => {
    const values: GroupFormValues = {
      name: "G",
      description: "",
      strategy: "round_robin",
      rollingWindowHours: 24,
      maxAttempts: 3,
      stickyTtlSeconds: "",
      enabled: true,
      failoverOn: ["canceled", "busy", "failed", "no-answer"],
      timeLimitSec: "",
      context: [],
      members: [],
    };
    expect(groupBody(values).failoverOn).toBeNull();
    expect(groupBody({ ...values, failoverOn: ["failed", "busy"] }).failoverOn).toEqual(["busy", "failed"]);
  });
});
