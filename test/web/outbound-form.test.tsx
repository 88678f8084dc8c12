import { describe, expect, it } from "vitest";
import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import OutboundAdd from "../../web/src/views/outbound-rules/add";
import OutboundEdit from "../../web/src/views/outbound-rules/edit";
import { mockApi, page, renderAt, signIn } from "./render";

const trunk = (id: string, name: string) => ({ id, name, description: "", callerIdOverride: null, enabled: true, version: 1, createdAt: "", updatedAt: "" });
const TRUNKS = page([trunk("trk_a", "carrier-a"), trunk("trk_b", "carrier-b")]);
const RULE = { id: "obr_1", name: "UK", callerPatterns: ["1555*"], destinationPrefix: "44", trunkIds: ["trk_a"], priority: 100, enabled: true, version: 4, createdAt: "", updatedAt: "" };

/** The text field of a Mantine tags or multi select (its listbox carries the same label). */
const field = (label: RegExp) => screen.getAllByLabelText(label).find((el) => el.tagName === "INPUT")!;

async function pickTrunk(user: ReturnType<typeof userEvent.setup>, name: string) {
  await user.click(field(/Trunks, in dialling order/));
  await user.click(await screen.findByRole("option", { name, hidden: true }));
}

describe("outbound rule form", () => {
  it("checks prefixes, caller patterns and trunks with the API's schema before sending", async () => {
    signIn("admin");
    const calls = mockApi({ "GET /api/trunks": TRUNKS, "POST /api/outbound-rules": (_u: URL, init: RequestInit) => ({ ...RULE, ...JSON.parse(String(init.body)) }) });
    const user = userEvent.setup();
    renderAt("/outbound-rules/new", "/outbound-rules/new", <OutboundAdd />);
    await user.type(screen.getByRole("textbox", { name: /Destination prefix/ }), "+44x");
    expect(await screen.findByText('must be digits such as +44 or 1212 (empty for every destination), got "+44x"')).toBeInTheDocument();
    await user.type(field(/^Callers/), "+1555*{Enter}12a{Enter}");
    expect(await screen.findByText(/contains "a": only digits/)).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Create rule" }));
    expect(await screen.findByText("list at least one trunk")).toBeInTheDocument();
    expect(calls.filter((c) => c.method === "POST")).toHaveLength(0);

    await user.clear(screen.getByRole("textbox", { name: /Destination prefix/ }));
    await user.type(screen.getByRole("textbox", { name: /Destination prefix/ }), "+44");
    // Backspace in an empty tags field takes the last tag off, and its error with it.
    await user.type(field(/^Callers/), "{Backspace}");
    await waitFor(() => expect(screen.queryByText(/contains "a": only digits/)).toBeNull());
    // The order trunks are picked in is the dialling order.
    await pickTrunk(user, "carrier-b");
    await pickTrunk(user, "carrier-a");
    await user.click(screen.getByRole("button", { name: "Create rule" }));
    await waitFor(() => expect(calls.some((c) => c.method === "POST")).toBe(true));
    expect(calls.find((c) => c.method === "POST")!.body).toEqual({ destinationPrefix: "+44", callerPatterns: ["+1555*"], trunkIds: ["trk_b", "trk_a"], priority: 100, enabled: true });
  });

  it("shows a stored rule as people write it and saves it with its version", async () => {
    signIn("admin");
    const calls = mockApi({ "GET /api/trunks": TRUNKS, "GET /api/outbound-rules/obr_1": RULE, "PUT /api/outbound-rules/obr_1": { ...RULE, version: 5 } });
    const user = userEvent.setup();
    renderAt("/outbound-rules/obr_1", "/outbound-rules/:id", <OutboundEdit />);
    expect(await screen.findByRole("textbox", { name: /Destination prefix/ })).toHaveValue("+44");
    expect(screen.getByText("+1555*")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(calls.find((c) => c.method === "PUT")?.body).toEqual({ name: "UK", destinationPrefix: "+44", callerPatterns: ["+1555*"], trunkIds: ["trk_a"], priority: 100, enabled: true, version: 4 }));
  });
});
