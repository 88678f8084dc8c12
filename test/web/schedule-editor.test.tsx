import { describe, expect, it } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import InboundAdd from "../../web/src/views/inbound-rules/add";
import RoutingTester from "../../web/src/views/inbound-rules/routing-tester";
import ScheduleAdd from "../../web/src/views/schedules/add";
import ScheduleEdit from "../../web/src/views/schedules/edit";
import ScheduleList from "../../web/src/views/schedules/list";
import { intervalText, nowText } from "../../web/src/views/schedules/status-text";
import { mockApi, page, renderAt, signIn } from "./render";

const nine5 = [{ open: "09:00", close: "17:00" }];
const SCHEDULE = {
  id: "sch_1",
  name: "Office",
  timezone: "America/New_York",
  weekly: { mon: nine5, tue: nine5, wed: nine5, thu: nine5, fri: nine5, sat: [], sun: [{ open: "02:30", close: "09:00" }] },
  closures: [{ from: "2026-03-10", to: "2026-03-10", label: "Inventory" }],
  overrides: [],
  ruleCount: 1,
  version: 4,
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
};

const interval = (date: string, from: string, to: string, offset: string, configured = `${from}–${to}`) => ({
  start: new Date(`${date}T${from}:00${offset}`).toISOString(),
  end: new Date(`${date}T${to}:00${offset}`).toISOString(),
  startLocal: `${date}T${from}:00${offset}`,
  endLocal: `${date}T${to}:00${offset}`,
  configured,
});

/** Saturday 2026-03-07 18:00 in New York, as the API answers it (the clocks go forward on Sunday). */
const STATUS = {
  scheduleId: "sch_1",
  timezone: "America/New_York",
  at: "2026-03-07T23:00:00.000Z",
  atLocal: "2026-03-07T18:00:00-05:00",
  open: false,
  reason: "weekly hours: closed on Saturdays",
  rule: { kind: "weekly" },
  changesAt: "2026-03-08T07:00:00.000Z",
  changesAtLocal: "2026-03-08T03:00:00-04:00",
  week: [
    { date: "2026-03-07", weekday: "sat", rule: { kind: "weekly" }, hours: 24, intervals: [] },
    { date: "2026-03-08", weekday: "sun", rule: { kind: "weekly" }, hours: 23, intervals: [interval("2026-03-08", "03:00", "09:00", "-04:00", "02:30–09:00")] },
    { date: "2026-03-09", weekday: "mon", rule: { kind: "weekly" }, hours: 24, intervals: [interval("2026-03-09", "09:00", "17:00", "-04:00")] },
    { date: "2026-03-10", weekday: "tue", rule: { kind: "closure", label: "Inventory", from: "2026-03-10", to: "2026-03-10" }, hours: 24, intervals: [] },
    { date: "2026-03-11", weekday: "wed", rule: { kind: "weekly" }, hours: 24, intervals: [interval("2026-03-11", "09:00", "17:00", "-04:00")] },
    { date: "2026-03-12", weekday: "thu", rule: { kind: "weekly" }, hours: 24, intervals: [interval("2026-03-12", "09:00", "17:00", "-04:00")] },
    { date: "2026-03-13", weekday: "fri", rule: { kind: "override", label: "Short Friday" }, hours: 24, intervals: [interval("2026-03-13", "09:00", "12:00", "-04:00")] },
  ],
};

const box = (name: string | RegExp) => screen.getByRole("textbox", { name });

describe("schedule editor", () => {
  it("refuses what the API would, next to the field, and sends the week, closures and special days", async () => {
    signIn("admin");
    const calls = mockApi({ "POST /api/schedules": (_u: URL, init: RequestInit) => ({ ...SCHEDULE, ...JSON.parse(String(init.body)) }) });
    const user = userEvent.setup();
    renderAt("/schedules/new", "/schedules/new", <ScheduleAdd />);
    await user.type(box(/^Name/), "Front desk");
    // Weekdays start 09:00–17:00.
    expect(box("Monday interval 1 opens")).toHaveValue("09:00");
    await user.clear(box("Monday interval 1 closes"));
    await user.type(box("Monday interval 1 closes"), "25:00");
    await user.clear(box("Tuesday interval 1 closes"));
    await user.type(box("Tuesday interval 1 closes"), "08:00");
    await user.click(screen.getByRole("button", { name: "Add hours on Wednesday" }));
    await user.type(box("Wednesday interval 2 opens"), "16:00");
    await user.type(box("Wednesday interval 2 closes"), "18:00");
    await user.click(screen.getByRole("button", { name: "Create schedule" }));
    expect(await screen.findByText('must be a time "HH:MM" from 00:00 to 23:59 (or 24:00 to close at midnight)')).toBeInTheDocument();
    expect(screen.getByText("closes before it opens: mark it overnight to run past midnight to 08:00 the next day")).toBeInTheDocument();
    expect(screen.getByText("overlaps 09:00–17:00")).toBeInTheDocument();
    expect(calls.filter((c) => c.method === "POST")).toHaveLength(0);

    await user.clear(box("Monday interval 1 closes"));
    await user.type(box("Monday interval 1 closes"), "24:00");
    await user.click(screen.getByRole("checkbox", { name: "Tuesday interval 1 closes the next day" }));
    await user.click(screen.getByRole("button", { name: "Remove Wednesday interval 2" }));
    await user.click(screen.getByRole("button", { name: "Add closure" }));
    fireEvent.change(screen.getByLabelText("From"), { target: { value: "2026-12-25" } });
    fireEvent.change(screen.getByLabelText("To"), { target: { value: "2026-12-26" } });
    await user.type(screen.getAllByRole("textbox", { name: "Label" })[0]!, "Christmas");
    await user.click(screen.getByRole("button", { name: "Add special day" }));
    fireEvent.change(screen.getByLabelText("Date"), { target: { value: "2026-12-24" } });
    await user.type(screen.getAllByRole("textbox", { name: "Label" })[1]!, "Christmas Eve");
    await user.click(screen.getByRole("button", { name: "Create schedule" }));
    await waitFor(() => expect(calls.find((c) => c.method === "POST")?.body).toBeDefined());
    const sent = calls.find((c) => c.method === "POST")!.body as any;
    expect(sent).toMatchObject({ name: "Front desk", closures: [{ from: "2026-12-25", to: "2026-12-26", label: "Christmas" }], overrides: [{ date: "2026-12-24", label: "Christmas Eve", intervals: [{ open: "09:00", close: "13:00" }] }] });
    expect(sent.weekly).toEqual({ mon: [{ open: "09:00", close: "24:00" }], tue: [{ open: "09:00", close: "08:00", overnight: true }], wed: nine5, thu: nine5, fri: nine5, sat: [], sun: [] });
    expect(await screen.findByText("elsewhere")).toBeInTheDocument();
  });

  it("puts the API's field errors next to the fields", async () => {
    signIn("admin");
    mockApi({
      "POST /api/schedules": () =>
        new Response(
          JSON.stringify({
            error: {
              code: "VALIDATION_FAILED",
              message: "The request body is not valid (weekly.fri.0.open: overlaps Thursday's 22:00–10:00, which runs past midnight)",
              requestId: "r",
              details: [{ path: "weekly.fri.0.open", message: "overlaps Thursday's 22:00–10:00, which runs past midnight" }],
            },
          }),
          { status: 400 },
        ),
    });
    const user = userEvent.setup();
    renderAt("/schedules/new", "/schedules/new", <ScheduleAdd />);
    await user.type(box(/^Name/), "Night");
    await user.click(screen.getByRole("button", { name: "Create schedule" }));
    expect(await screen.findByText("overlaps Thursday's 22:00–10:00, which runs past midnight")).toBeInTheDocument();
    expect(box("Friday interval 1 opens")).toHaveAttribute("aria-invalid", "true");
    expect(screen.queryByRole("alert", { name: /Not saved/ })).toBeNull();
  });

  it("shows whether the saved schedule is open now, when that changes, and the next 7 days with their clock change and closure", async () => {
    signIn("user");
    mockApi({ "GET /api/schedules/sch_1": SCHEDULE, "GET /api/schedules/sch_1/status": STATUS });
    renderAt("/schedules/sch_1", "/schedules/:id", <ScheduleEdit />);
    expect(await screen.findByTestId("schedule-now")).toHaveTextContent("Closed now, opens Sun 8 Mar at 03:00 (in 8 h)");
    expect(screen.getByText("Because of weekly hours: closed on Saturdays")).toBeInTheDocument();
    const rows = within(screen.getByRole("table", { name: "Week preview" }))
      .getAllByRole("row")
      .slice(1)
      .map((row) =>
        within(row)
          .getAllByRole("cell")
          .map((cell) => cell.textContent),
      );
    expect(rows).toEqual([
      ["Sat 7 Mar", "closed", "—"],
      ["Sun 8 Mar", "03:00–09:00 (set as 02:30–09:00)", "Clocks go forward (23 h day)"],
      ["Mon 9 Mar", "09:00–17:00", "—"],
      ["Tue 10 Mar", "closed", "Closed: Inventory"],
      ["Wed 11 Mar", "09:00–17:00", "—"],
      ["Thu 12 Mar", "09:00–17:00", "—"],
      ["Fri 13 Mar", "09:00–12:00", "Special hours: Short Friday"],
    ]);
    // The editor below holds the saved hours, read-only for a user.
    expect(box("Sunday interval 1 opens")).toHaveValue("02:30");
    expect(box("Sunday interval 1 opens")).toBeDisabled();
  });

  it("previews the week from another date, at noon in the schedule's zone", async () => {
    signIn("admin");
    const calls = mockApi({ "GET /api/schedules/sch_1": SCHEDULE, "GET /api/schedules/sch_1/status": STATUS });
    renderAt("/schedules/sch_1", "/schedules/:id", <ScheduleEdit />);
    await screen.findByTestId("schedule-now");
    fireEvent.change(screen.getByLabelText("Preview the week from"), { target: { value: "2026-12-24" } });
    // Noon on 24 December in New York is 17:00 UTC.
    await waitFor(() => expect(calls.some((c) => c.path === `/api/schedules/sch_1/status?at=${encodeURIComponent("2026-12-24T17:00:00.000Z")}`)).toBe(true));
    expect(await screen.findByText("At noon on Thu 24 Dec")).toBeInTheDocument();
  });

  it("lists schedules with their state now, and will not delete one a rule uses", async () => {
    signIn("admin");
    mockApi({
      "GET /api/schedules": page([SCHEDULE, { ...SCHEDULE, id: "sch_2", name: "Spare", ruleCount: 0 }]),
      "GET /api/schedules/sch_1/status": STATUS,
      "GET /api/schedules/sch_2/status": { ...STATUS, scheduleId: "sch_2", open: true, changesAt: null, changesAtLocal: null },
    });
    renderAt("/schedules", "/schedules", <ScheduleList />);
    const table = await screen.findByRole("table", { name: "Schedules" });
    await waitFor(() => expect(within(table).getByText("opens Sun 8 Mar at 03:00 (in 8 h)")).toBeInTheDocument());
    expect(within(table).getByText("not closing within 14 days")).toBeInTheDocument();
    expect(within(table).getByText("1 rule")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Delete schedule Office" })).toBeDisabled();
    expect(screen.getByRole("button", { name: "Delete schedule Spare" })).toBeEnabled();
  });
});

describe("schedule text", () => {
  it("says when it changes, the same day or another", () => {
    expect(nowText({ at: "2026-03-09T14:00:00.000Z", atLocal: "2026-03-09T10:00:00-04:00", open: true, changesAt: "2026-03-09T21:00:00.000Z", changesAtLocal: "2026-03-09T17:00:00-04:00" } as never)).toBe("Open now, closes at 17:00 (in 7 h)");
    expect(nowText({ at: "2026-03-09T21:00:00.000Z", atLocal: "2026-03-09T17:00:00-04:00", open: false, changesAt: "2026-03-09T21:45:00.000Z", changesAtLocal: "2026-03-09T17:45:00-04:00" } as never)).toBe("Closed now, opens at 17:45 (in 45 min)");
  });

  it("marks an interval that ends the next day, and shows 24:00 as itself", () => {
    expect(intervalText({ startLocal: "2026-03-06T22:00:00-05:00", endLocal: "2026-03-07T02:00:00-05:00", configured: "22:00–02:00" }, "2026-03-06")).toBe("22:00–02:00 (next day)");
    expect(intervalText({ startLocal: "2026-03-06T18:00:00-05:00", endLocal: "2026-03-07T00:00:00-05:00", configured: "18:00–24:00" }, "2026-03-06")).toBe("18:00–24:00");
  });
});

describe("inbound rule form with a schedule", () => {
  it("chooses a schedule, shows whether it is open, and sends where calls go while closed", async () => {
    signIn("admin");
    const calls = mockApi({
      "GET /api/inbound-rules": page([]),
      "GET /api/agent-groups": page([{ id: "grp_1", name: "Support", description: "", strategy: "round_robin", rollingWindowHours: 24, maxAttempts: 3, stickyTtlSeconds: null, enabled: true, memberCount: 2, version: 1, createdAt: "", updatedAt: "" }]),
      "GET /api/voice-agents": page([]),
      "GET /api/schedules": page([SCHEDULE]),
      "GET /api/schedules/sch_1/status": STATUS,
      "POST /api/inbound-rules": (_u: URL, init: RequestInit) => ({ id: "irl_2", ...JSON.parse(String(init.body)) }),
    });
    const user = userEvent.setup();
    renderAt("/inbound-rules/new", "/inbound-rules/new", <InboundAdd />);
    await user.type(screen.getByRole("textbox", { name: /Called number pattern/ }), "+1800*");
    await user.click(screen.getByRole("combobox", { name: /Send calls to/ }));
    await user.click(await screen.findByRole("option", { name: "Support", hidden: true }));
    expect(screen.queryByRole("combobox", { name: /While closed/ })).toBeNull();
    await user.click(screen.getByRole("combobox", { name: /Opening hours/ }));
    await user.click(await screen.findByRole("option", { name: "Office (America/New_York)", hidden: true }));
    expect(await screen.findByTestId("rule-schedule-now")).toHaveTextContent("Closed now, opens Sun 8 Mar at 03:00");
    // The rule's own fallback select offers the same kinds: pick from this select's list.
    const closedSelect = screen.getByRole("combobox", { name: /While closed/ });
    await user.click(closedSelect);
    const list = document.getElementById(closedSelect.getAttribute("aria-controls")!)!;
    await user.click(within(list).getByRole("option", { name: "Play an announcement", hidden: true }));
    await user.type(screen.getByRole("textbox", { name: "Announcement text" }), "We are closed");
    await user.click(screen.getByRole("button", { name: "Create rule" }));
    await waitFor(() => expect(calls.find((c) => c.method === "POST")?.body).toMatchObject({ pattern: "+1800*", scheduleId: "sch_1", closedTarget: { type: "announcement", text: "We are closed" } }));
  });
});

describe("routing tester with a time", () => {
  it("explains a call at the chosen moment (the browser's local time, sent as an instant) and shows the schedule's note", async () => {
    signIn("user");
    const calls = mockApi({
      "POST /api/routing/explain": {
        decision: { action: "hangup", agent: null, trunk: null, person: null, context: [], timeLimitSec: null, cxml: "<Response><Hangup/></Response>" },
        chain: { attempts: [], waits: [], end: { label: "schedule closed", action: "hangup", cxml: "<Response><Hangup/></Response>" } },
        trace: { direction: "inbound", rulesTried: [], stages: [], notes: ['schedule "Office" is closed (closure "Christmas" (2026-12-25)) until 2026-12-28T14:00:00.000Z: the call goes to the rule\'s closed target'] },
      },
      "GET /api/voice-agents": page([]),
      "GET /api/trunks": page([]),
    });
    const user = userEvent.setup();
    renderAt("/routing-tester", "/routing-tester", <RoutingTester />);
    await user.type(screen.getByRole("textbox", { name: /To \(called number\)/ }), "+18005550199");
    fireEvent.change(screen.getByLabelText(/When/), { target: { value: "2026-12-25T20:00" } });
    await user.click(screen.getByRole("button", { name: "Explain" }));
    await waitFor(() => expect(calls.find((c) => c.method === "POST")?.body).toMatchObject({ to: "+18005550199", time: new Date("2026-12-25T20:00").toISOString() }));
    expect(await screen.findByText(/schedule "Office" is closed \(closure "Christmas"/)).toBeInTheDocument();
  });
});
