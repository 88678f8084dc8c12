import { describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import TrunkList from "../../web/src/views/trunks/list";
import { mockApi, page, renderAt, signIn } from "./render";

const TRUNK = { id: "trk_1", name: "carrier-a", description: "", callerIdOverride: null, enabled: true, version: 1, createdAt: "", updatedAt: "" };

// The list screens share their table, states and delete action (web/src/components); one screen stands for all.
describe("a list screen", () => {
  it("deletes a row only once the dialog is confirmed", async () => {
    signIn("admin");
    const calls = mockApi({ "GET /api/trunks": page([TRUNK]), "DELETE /api/trunks/trk_1": () => new Response(null, { status: 204 }) });
    const user = userEvent.setup();
    renderAt("/trunks", "/trunks", <TrunkList />);
    await user.click(await screen.findByRole("button", { name: "Delete trunk carrier-a" }));
    let dialog = await screen.findByRole("dialog", { name: "Delete trunk carrier-a?" });
    expect(within(dialog).getByText("Outbound rules that use it must be changed first.")).toBeInTheDocument();
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(calls.some((c) => c.method === "DELETE")).toBe(false);

    await user.click(screen.getByRole("button", { name: "Delete trunk carrier-a" }));
    dialog = await screen.findByRole("dialog", { name: "Delete trunk carrier-a?" });
    await user.click(within(dialog).getByRole("button", { name: "Delete" }));
    await waitFor(() => expect(calls.filter((c) => c.method === "DELETE").map((c) => c.path)).toEqual(["/api/trunks/trk_1"]));
  });

  it("says when there is nothing, across every column the user sees", async () => {
    for (const role of ["admin", "user"] as const) {
      signIn(role);
      mockApi({ "GET /api/trunks": page([]) });
      const { unmount } = renderAt("/trunks", "/trunks", <TrunkList />);
      const table = await screen.findByRole("table", { name: "Trunks" });
      const headers = within(table).getAllByRole("columnheader");
      expect(headers).toHaveLength(role === "admin" ? 5 : 4);
      expect(within(table).getByText("No trunks yet.").closest("td")).toHaveAttribute("colspan", String(headers.length));
      expect(screen.queryByRole("link", { name: "Add trunk" })).toEqual(role === "admin" ? expect.anything() : null);
      unmount();
    }
  });

  it("shows why it could not load, and loads again on request", async () => {
    signIn("admin");
    let failures = 1;
    mockApi({
      "GET /api/trunks": () => (failures-- > 0 ? new Response(JSON.stringify({ error: { code: "INTERNAL", message: "The database is unavailable", requestId: "r" } }), { status: 503 }) : page([TRUNK])),
    });
    const user = userEvent.setup();
    renderAt("/trunks", "/trunks", <TrunkList />);
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Could not load");
    expect(alert).toHaveTextContent("The database is unavailable");
    expect(screen.queryByRole("table")).toBeNull();
    await user.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("link", { name: "carrier-a" })).toBeInTheDocument();
    expect(screen.queryByRole("alert")).toBeNull();
  });
});
