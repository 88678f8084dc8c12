import { describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import DoNotCall from "../../web/src/views/campaigns/do-not-call";
import { mockApi, page, renderAt, signIn } from "./render";

/** Mantine's FileInput is a labelled button over a hidden file input: the file goes to the input. */
const fileInput = () => {
  expect(screen.getByLabelText("Do-not-call file (CSV or text)")).toBeInTheDocument();
  return document.querySelector<HTMLInputElement>('input[type="file"]')!;
};

const ENTRY = { number: "+14155550100", note: "asked by phone", createdAt: "2026-01-01T00:00:00.000Z" };

const refusal = () =>
  new Response(
    JSON.stringify({
      error: {
        code: "INVALID_NUMBERS",
        message: "2 of 4 rows are not valid (line 3, phone: not a phone number); fix them, or send ?skipInvalid=true to add the others",
        requestId: "r",
        details: {
          errorCount: 2,
          listed: 2,
          errors: [
            { line: 3, field: "phone", message: '"555" is not a phone number in E.164 form' },
            { line: 5, field: "reason", message: "must be at most 200 characters" },
          ],
        },
      },
    }),
    { status: 400 },
  );

describe("the do-not-call screen's file upload", () => {
  it("lists a refused file's rows by line, then adds the valid rows when asked and shows the counts", async () => {
    signIn("admin");
    let attempt = 0;
    const calls = mockApi({
      "GET /api/do-not-call": page([ENTRY]),
      "POST /api/do-not-call/upload": () =>
        ++attempt === 1 ? refusal() : new Response(JSON.stringify({ rows: 4, added: 1, alreadyListed: 1, merged: 0, invalid: 2, campaignsTold: 3, errors: [{ line: 3, field: "phone", message: '"555" is not a phone number in E.164 form' }] }), { status: 200 }),
    });
    const user = userEvent.setup();
    renderAt("/campaigns/do-not-call", "/campaigns/do-not-call", <DoNotCall />);
    expect(await screen.findByText("+14155550100")).toBeInTheDocument();
    const file = new File(["phone,reason\n+14155550100,x\n555,\n+14155550101,\n+14155550102,long\n"], "dnc.csv", { type: "text/csv" });
    await user.upload(fileInput(), file);
    await user.click(screen.getByRole("button", { name: "Upload" }));

    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText(/2 of 4 rows are not valid/)).toBeInTheDocument();
    const rows = within(within(alert).getByRole("table", { name: "Invalid rows" })).getAllByRole("row");
    expect(rows.map((r) => r.textContent)).toEqual(["LineColumnProblem", '3phone"555" is not a phone number in E.164 form', "5reasonmust be at most 200 characters"]);
    const sent = calls.filter((c) => c.method === "POST");
    expect(sent.map((c) => c.path)).toEqual(["/api/do-not-call/upload"]);

    await user.click(screen.getByRole("checkbox", { name: "Add the valid rows, skip the invalid ones" }));
    await user.click(screen.getByRole("button", { name: "Upload" }));
    const status = await screen.findByText("1 number added from 4 rows (1 already on the list, 0 duplicates merged, 2 invalid rows skipped); 3 open campaigns told.");
    // The refusal is gone (the toast saying what was added is an alert of its own).
    expect(screen.queryByText("Nothing added")).toBeNull();
    expect(screen.queryByText(/2 of 4 rows are not valid/)).toBeNull();
    expect(within(status.closest<HTMLElement>('[role="status"]')!).getByRole("table", { name: "Invalid rows" })).toBeInTheDocument();
    expect(calls.filter((c) => c.method === "POST").map((c) => c.path)).toEqual(["/api/do-not-call/upload", "/api/do-not-call/upload?skipInvalid=true"]);
    // The list is read again after numbers were added.
    await waitFor(() => expect(calls.filter((c) => c.method === "GET" && c.path.startsWith("/api/do-not-call")).length).toBe(2));
  });

  it("sends the chosen file itself as CSV with the session's token", async () => {
    signIn("admin");
    let received: { type: string | null; auth: string | null; body: unknown } | null = null;
    mockApi({
      "GET /api/do-not-call": page([]),
      "POST /api/do-not-call/upload": (_url: URL, init: RequestInit) => {
        const headers = new Headers(init.headers);
        received = { type: headers.get("content-type"), auth: headers.get("authorization"), body: init.body };
        return new Response(JSON.stringify({ rows: 1, added: 1, alreadyListed: 0, merged: 0, invalid: 0, campaignsTold: 0, errors: [] }), { status: 200 });
      },
    });
    const user = userEvent.setup();
    renderAt("/campaigns/do-not-call", "/campaigns/do-not-call", <DoNotCall />);
    const file = new File(["+14155550100\n"], "numbers.txt", { type: "text/plain" });
    await screen.findByLabelText("Do-not-call file (CSV or text)");
    await user.upload(fileInput(), file);
    await user.click(screen.getByRole("button", { name: "Upload" }));
    expect(await screen.findByText(/1 number added from 1 row \(/)).toBeInTheDocument();
    expect(received).toEqual({ type: "text/csv", auth: "Bearer test-token", body: file });
  });

  it("offers no upload to a read-only user", async () => {
    signIn("user");
    mockApi({ "GET /api/do-not-call": page([ENTRY]) });
    renderAt("/campaigns/do-not-call", "/campaigns/do-not-call", <DoNotCall />);
    expect(await screen.findByText("+14155550100")).toBeInTheDocument();
    expect(screen.queryByLabelText("Do-not-call file (CSV or text)")).toBeNull();
    expect(screen.queryByRole("button", { name: "Upload" })).toBeNull();
  });
});
