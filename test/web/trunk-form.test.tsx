import { describe, expect, it } from "vitest";
import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import TrunkAdd from "../../web/src/views/trunks/add";
import TrunkEdit from "../../web/src/views/trunks/edit";
import { mockApi, renderAt, signIn } from "./render";

const TRUNK = { id: "trk_1", name: "carrier-a", description: "Main carrier", callerIdOverride: "+14155550100", enabled: true, version: 2, createdAt: "", updatedAt: "" };

describe("trunk form", () => {
  it("refuses what the API would, with its messages, and sends no caller ID when the field is empty", async () => {
    signIn("admin");
    const calls = mockApi({ "POST /api/trunks": (_u: URL, init: RequestInit) => ({ ...TRUNK, ...JSON.parse(String(init.body)) }) });
    const user = userEvent.setup();
    renderAt("/trunks/new", "/trunks/new", <TrunkAdd />);
    await user.type(screen.getByRole("textbox", { name: /Trunk name in Cloudonix/ }), "carrier a");
    await user.type(screen.getByRole("textbox", { name: /Caller ID override/ }), "12ab");
    await user.click(screen.getByRole("button", { name: "Create trunk" }));
    expect(await screen.findByText(/no spaces, commas, quotes or <>&/)).toBeInTheDocument();
    expect(screen.getByText('must be a phone number in E.164 form like +14155550100, got "12ab"')).toBeInTheDocument();
    expect(calls.filter((c) => c.method === "POST")).toHaveLength(0);

    await user.clear(screen.getByRole("textbox", { name: /Trunk name in Cloudonix/ }));
    await user.type(screen.getByRole("textbox", { name: /Trunk name in Cloudonix/ }), "carrier-b");
    await user.clear(screen.getByRole("textbox", { name: /Caller ID override/ }));
    await user.click(screen.getByRole("button", { name: "Create trunk" }));
    await waitFor(() => expect(calls.find((c) => c.method === "POST")?.body).toEqual({ name: "carrier-b", description: "", callerIdOverride: null, enabled: true }));
    expect(await screen.findByText("elsewhere")).toBeInTheDocument();
  });

  it("edits a trunk with the version it read, and shows a conflict", async () => {
    signIn("admin");
    const calls = mockApi({
      "GET /api/trunks/trk_1": TRUNK,
      "PUT /api/trunks/trk_1": () => new Response(JSON.stringify({ error: { code: "VERSION_CONFLICT", message: "The trunk was changed by someone else; reload it", requestId: "r" } }), { status: 409 }),
    });
    const user = userEvent.setup();
    renderAt("/trunks/trk_1", "/trunks/:id", <TrunkEdit />);
    const enabled = await screen.findByRole("switch", { name: "Enabled" });
    expect(screen.getByRole("textbox", { name: /Caller ID override/ })).toHaveValue("+14155550100");
    await user.click(enabled);
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The trunk was changed by someone else; reload it");
    expect(calls.find((c) => c.method === "PUT")?.body).toEqual({ name: "carrier-a", description: "Main carrier", callerIdOverride: "+14155550100", enabled: false, version: 2 });
  });

  it("is read-only for a user, who can still go back to the list", async () => {
    signIn("user");
    mockApi({ "GET /api/trunks/trk_1": TRUNK });
    const user = userEvent.setup();
    renderAt("/trunks/trk_1", "/trunks/:id", <TrunkEdit />);
    expect(await screen.findByRole("textbox", { name: /Trunk name in Cloudonix/ })).toBeDisabled();
    expect(screen.queryByRole("button", { name: "Save changes" })).toBeNull();
    // The fields' fieldset is disabled; Back sits outside it, or it would be disabled too.
    expect(screen.getByRole("button", { name: "Back" })).toBeEnabled();
    await user.click(screen.getByRole("button", { name: "Back" }));
    expect(await screen.findByText("elsewhere")).toBeInTheDocument();
  });
});
