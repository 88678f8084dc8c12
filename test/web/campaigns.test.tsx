import { describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import CampaignAdd from "../../web/src/views/campaigns/add";
import CampaignDetail from "../../web/src/views/campaigns/detail";
import ProviderAccountAdd from "../../web/src/views/provider-accounts/add";
import AgentEdit from "../../web/src/views/voice-agents/edit";
import { PROVIDERS, agent, mockApi, page, renderAt, signIn } from "./render";

const GROUPS = page([{ id: "grp_1", name: "Renewals team" }]);
const ACCOUNTS = page([{ id: "pac_1", name: "Vapi production", description: "", maxConcurrentCalls: 50, agentCount: 2, version: 1, createdAt: "2026-01-01T00:00:00.000Z", updatedAt: "2026-01-01T00:00:00.000Z" }]);

const WORKDAY = [{ open: "09:00", close: "18:00" }];
function campaign(overrides: Record<string, unknown> = {}) {
  return {
    id: "cmp_1",
    name: "Renewals",
    status: "draft",
    target: { type: "group", id: "grp_1" },
    callerId: "+14155550100",
    trunkId: null,
    timezone: "America/New_York",
    callingWindow: { mon: WORKDAY, tue: WORKDAY, wed: WORKDAY, thu: WORKDAY, fri: WORKDAY, sat: [], sun: [] },
    maxConcurrent: 10,
    callsPerMinute: 30,
    ringTimeoutSec: 30,
    retryPolicy: { busy: { attempts: 3, spacingMinutes: 10 }, noAnswer: { attempts: 3, spacingMinutes: 60 }, failed: { attempts: 2, spacingMinutes: 30 } },
    contactCount: 0,
    progress: null,
    version: 1,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    ...overrides,
  };
}

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
  startedAt: "2026-01-01T00:00:00.000Z",
  finishedAt: null,
};

describe("provider accounts and the agent's account", () => {
  it("refuses a cap of 0 with the API's message and creates an account", async () => {
    signIn("admin");
    const calls = mockApi({ "POST /api/provider-accounts": (_u: URL, init: RequestInit) => ({ ...ACCOUNTS.items[0], ...JSON.parse(String(init.body)) }) });
    const user = userEvent.setup();
    renderAt("/provider-accounts/new", "/provider-accounts/new", <ProviderAccountAdd />);
    await user.type(screen.getByRole("textbox", { name: /^Name/ }), "Vapi production");
    await user.type(screen.getByRole("textbox", { name: /Maximum concurrent calls/ }), "0");
    await user.click(screen.getByRole("button", { name: "Create account" }));
    expect(await screen.findByText(/must be at least 1: an account that takes no call would refuse every one/)).toBeInTheDocument();
    expect(calls.filter((c) => c.method === "POST")).toHaveLength(0);
    await user.clear(screen.getByRole("textbox", { name: /Maximum concurrent calls/ }));
    await user.type(screen.getByRole("textbox", { name: /Maximum concurrent calls/ }), "50");
    await user.click(screen.getByRole("button", { name: "Create account" }));
    await waitFor(() => expect(calls.find((c) => c.method === "POST")?.body).toEqual({ name: "Vapi production", description: "", maxConcurrentCalls: 50 }));
  });

  it("assigns an agent to an account", async () => {
    signIn("admin");
    const calls = mockApi({ "GET /api/providers": PROVIDERS, "GET /api/provider-accounts": ACCOUNTS, "GET /api/voice-agents/agt_1": agent(), "PUT /api/voice-agents/agt_1": agent({ version: 4, providerAccountId: "pac_1" }) });
    const user = userEvent.setup();
    renderAt("/voice-agents/agt_1", "/voice-agents/:id", <AgentEdit />);
    await user.click(await screen.findByRole("combobox", { name: /Account at the AI provider/ }));
    await user.click(await screen.findByRole("option", { name: /Vapi production \(at most 50 calls\)/, hidden: true }));
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(calls.find((c) => c.method === "PUT")?.body).toMatchObject({ providerAccountId: "pac_1", version: 3 }));
  });
});

describe("campaign screens", () => {
  it("creates a campaign with the API's own checks: a bad caller ID inline, then the window, pacing and retries sent", async () => {
    signIn("admin");
    const calls = mockApi({ "GET /api/agent-groups": GROUPS, "GET /api/voice-agents": page([]), "GET /api/trunks": page([]), "POST /api/campaigns": (_u: URL, init: RequestInit) => campaign(JSON.parse(String(init.body))) });
    const user = userEvent.setup();
    renderAt("/campaigns/new", "/campaigns/new", <CampaignAdd />);
    await user.type(screen.getByRole("textbox", { name: /^Name/ }), "Renewals");
    await user.click(screen.getByRole("combobox", { name: /Answered calls go to/ }));
    await user.click(await screen.findByRole("option", { name: "Renewals team", hidden: true }));
    await user.type(screen.getByRole("textbox", { name: /Caller ID/ }), "call me");
    await user.tab();
    expect(await screen.findByText(/must be a phone number in E.164 form/)).toBeInTheDocument();
    await user.clear(screen.getByRole("textbox", { name: /Caller ID/ }));
    await user.type(screen.getByRole("textbox", { name: /Caller ID/ }), "+14155550100");
    await user.click(screen.getByRole("checkbox", { name: "Saturday" }));
    const busy = screen.getByRole("textbox", { name: "Busy: attempts in all" });
    await user.clear(busy);
    await user.type(busy, "2");
    await user.click(screen.getByRole("button", { name: "Create campaign" }));
    await waitFor(() => expect(calls.some((c) => c.method === "POST")).toBe(true));
    const body = calls.find((c) => c.method === "POST")!.body as Record<string, any>;
    expect(body).toMatchObject({ name: "Renewals", target: { type: "group", id: "grp_1" }, callerId: "+14155550100", trunkId: null, maxConcurrent: 10, callsPerMinute: 30 });
    expect(body.callingWindow.sat).toEqual([{ open: "09:00", close: "18:00" }]);
    expect(body.callingWindow.sun).toEqual([]);
    expect(body.retryPolicy.busy).toEqual({ attempts: 2, spacingMinutes: 10 });
  });

  it("lists a refused contact file's rows by line, and says what a loaded one held", async () => {
    signIn("admin");
    let attempt = 0;
    mockApi({
      "GET /api/campaigns/cmp_1": campaign(),
      "GET /api/agent-groups": GROUPS,
      "GET /api/voice-agents": page([]),
      "PUT /api/campaigns/cmp_1/contacts": () =>
        ++attempt === 1
          ? new Response(
              JSON.stringify({
                error: {
                  code: "INVALID_CONTACTS",
                  message: "2 of 3 rows are not valid (line 3, phone: not a phone number)",
                  requestId: "r",
                  details: {
                    errorCount: 2,
                    errors: [
                      { line: 3, field: "phone", message: '"555" is not a phone number in E.164 form' },
                      { line: 4, field: "timezone", message: '"Mars/Base" is not an IANA time zone' },
                    ],
                  },
                },
              }),
              { status: 400 },
            )
          : { rows: 3, imported: 1, merged: 0, invalid: 2, doNotCall: 0, errors: [{ line: 3, field: "phone", message: '"555" is not a phone number in E.164 form' }] },
    });
    const user = userEvent.setup();
    renderAt("/campaigns/cmp_1", "/campaigns/:id", <CampaignDetail />);
    const file = new File(["phone,timezone\n+14155550100,\n555,\n+14155550101,Mars/Base\n"], "contacts.csv", { type: "text/csv" });
    await screen.findByText(/A CSV file with a header line/);
    await user.upload(document.querySelector<HTMLInputElement>('input[type="file"]')!, file);
    await user.click(screen.getByRole("button", { name: "Upload" }));
    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText(/2 of 3 rows are not valid/)).toBeInTheDocument();
    const rows = within(within(alert).getByRole("table", { name: "Invalid rows" })).getAllByRole("row");
    expect(rows.map((r) => r.textContent)).toEqual(["LineColumnProblem", '3phone"555" is not a phone number in E.164 form', '4timezone"Mars/Base" is not an IANA time zone']);
    await user.click(screen.getByRole("checkbox", { name: /Load the valid rows/ }));
    await user.click(screen.getByRole("button", { name: "Upload" }));
    expect(await screen.findByText(/1 contacts from 3 rows \(0 duplicates merged, 2 invalid rows skipped, 0 on the do-not-call list\)/)).toBeInTheDocument();
  });

  it("shows the live progress against the limits and pauses a running campaign", async () => {
    signIn("admin");
    const calls = mockApi({
      "GET /api/campaigns/cmp_1": campaign({ status: "running", contactCount: 500, progress: PROGRESS }),
      "GET /api/campaigns/cmp_1/results": {
        items: [
          {
            id: 2,
            number: "+14155550100",
            timezone: null,
            variables: {},
            state: "done",
            result: "answered",
            attempts: [{ n: 1, state: "ended", outcome: "answered", token: "t", callKey: "t", placedAt: "2026-01-01T00:00:00.000Z", answeredAt: null, endedAt: null, detail: null }],
          },
        ],
        nextAfter: null,
      },
      "GET /api/agent-groups": GROUPS,
      "GET /api/voice-agents": page([]),
      "POST /api/campaigns/cmp_1/pause": campaign({ status: "paused", contactCount: 500, progress: { ...PROGRESS, status: "paused" } }),
    });
    const user = userEvent.setup();
    renderAt("/campaigns/cmp_1", "/campaigns/:id", <CampaignDetail />);
    const panel = await screen.findByRole("region", { name: "Progress" }).catch(() => screen.findByLabelText("Progress"));
    expect(within(panel).getByLabelText("Dialled: 190")).toBeInTheDocument();
    expect(within(panel).getByLabelText("In progress: 8 / 10")).toBeInTheDocument();
    expect(within(panel).getByLabelText("Rate: 28/min")).toBeInTheDocument();
    expect(within(panel).getByLabelText("Remaining: 300")).toBeInTheDocument();
    expect(await screen.findByText("+14155550100")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Start" })).toBeNull();
    await user.click(screen.getByRole("button", { name: "Pause" }));
    await waitFor(() => expect(calls.some((c) => c.method === "POST" && c.path === "/api/campaigns/cmp_1/pause")).toBe(true));
  });

  it("gives a read-only user no controls", async () => {
    signIn("user");
    mockApi({
      "GET /api/campaigns/cmp_1": campaign({ status: "paused", contactCount: 5, progress: { ...PROGRESS, status: "paused" } }),
      "GET /api/campaigns/cmp_1/results": { items: [], nextAfter: null },
      "GET /api/agent-groups": GROUPS,
      "GET /api/voice-agents": page([]),
    });
    renderAt("/campaigns/cmp_1", "/campaigns/:id", <CampaignDetail />);
    expect(await screen.findByLabelText("Dialled: 190")).toBeInTheDocument();
    for (const name of ["Resume", "Stop", "Pause", "Change settings", "Upload"]) expect(screen.queryByRole("button", { name })).toBeNull();
  });
});
