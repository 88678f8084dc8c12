import { useState } from "react";
import { describe, expect, it } from "vitest";
import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ContextEntry } from "../../workers/domain/call-context";
import { ContextEditor, SAMPLE_CALL, previewRows } from "../../web/src/components/context-editor";
import { renderAt, signIn } from "./render";

function Harness({ initial = [] as ContextEntry[], error }: { initial?: ContextEntry[]; error?: string }) {
  const [value, setValue] = useState(initial);
  return (
    <>
      <ContextEditor owner="this group" value={value} onChange={setValue} error={error} sample={{ groupName: "Night shift" }} />
      <output data-testid="value">{JSON.stringify(value)}</output>
    </>
  );
}

const previewCells = () =>
  within(screen.getByRole("table", { name: "Headers a sample call sends" }))
    .getAllByRole("row")
    .map((row) =>
      within(row)
        .getAllByRole("cell")
        .map((cell) => cell.textContent),
    );

describe("headers editor", () => {
  it("previews what a sample call sends: values filled in, an entry whose value the call lacks not sent", async () => {
    signIn("admin");
    const user = userEvent.setup();
    renderAt("/", "/", <Harness />);
    expect(screen.queryByTestId("context-preview")).toBeNull();

    for (const [name, value] of [
      ["Caller", "{caller} ({callerName})"],
      ["Group", "{groupName}"],
      ["Diverted-From", "{diverted}"],
      ["Account", "{header:X-Account}"],
      ["Static", "gold tier"],
    ]) {
      await user.click(screen.getByRole("button", { name: "Add header" }));
      const rows = screen.getAllByTestId("context-row");
      const row = rows[rows.length - 1]!;
      // A new row starts with the X- every name needs.
      await user.type(within(row).getByRole("textbox", { name: /name$/ }), name!);
      await user.click(within(row).getByRole("textbox", { name: /value$/ }));
      await user.paste(value!);
    }
    expect(previewCells()).toEqual([
      ["X-Caller", `${SAMPLE_CALL.caller} (Pat Jones)`],
      ["X-Group", "Night shift"],
      ["X-Diverted-From", "not sent: this call has no {diverted}"],
      ["X-Account", "42"],
      ["X-Static", "gold tier"],
    ]);

    // Removing a row removes it from the value and from the preview.
    await user.click(screen.getByRole("button", { name: "Remove header 3" }));
    expect(JSON.parse(screen.getByTestId("value").textContent!)).toHaveLength(4);
    expect(previewCells().map(([name]) => name)).toEqual(["X-Caller", "X-Group", "X-Account", "X-Static"]);
  });

  it("checks each row with the API's schema once the field is left, and names the problem", async () => {
    signIn("admin");
    const user = userEvent.setup();
    renderAt("/", "/", <Harness />);
    await user.click(screen.getByRole("button", { name: "Add header" }));
    const name = screen.getByRole("textbox", { name: "Header 1 name" });
    await user.clear(name);
    await user.type(name, "Customer");
    expect(screen.queryByText(/must start with "X-"/)).toBeNull();
    await user.tab();
    expect(await screen.findByText(/must start with "X-"/)).toBeInTheDocument();
    expect(name).toHaveAttribute("aria-invalid", "true");
    expect(previewCells()).toEqual([["Customer", "not sent: fix the entry first"]]);

    await user.clear(name);
    await user.type(name, "X-Customer");
    expect(screen.queryByText(/must start with "X-"/)).toBeNull();
    const value = screen.getByRole("textbox", { name: "Header 1 value" });
    await user.click(value);
    await user.paste("{customer}");
    await user.tab();
    expect(await screen.findByText(/\{customer\} is not a known value; use one of \{caller\}/)).toBeInTheDocument();
    await user.clear(value);
    await user.click(value);
    await user.paste("x".repeat(10_000));
    expect(await screen.findByText("must be at most 256 characters")).toBeInTheDocument();
    await user.clear(value);
    await user.click(value);
    await user.paste('"><Dial>{caller');
    expect(await screen.findByText(/has a brace that opens no known placeholder/)).toBeInTheDocument();

    // Two entries of the same name (in any case) are one too many.
    await user.clear(value);
    await user.type(value, "a");
    await user.click(screen.getByRole("button", { name: "Add header" }));
    await user.type(screen.getByRole("textbox", { name: "Header 2 name" }), "customer");
    await user.type(screen.getByRole("textbox", { name: "Header 2 value" }), "b");
    expect(await screen.findByText("each name may appear only once")).toBeInTheDocument();
  });

  it("shows every row's problem once the form reports one, without the fields being visited", async () => {
    signIn("admin");
    renderAt("/", "/", <Harness initial={[{ name: "Y-Bad", value: "ok" }]} error="must start with X-" />);
    expect(await screen.findByText(/must start with "X-" and contain only/)).toBeInTheDocument();
  });

  it("renders with the call flow's own renderContext: a carrier header that would break the line is not sent", () => {
    const rows = previewRows([{ name: "X-Account", value: "{header:X-Account}" }], { ...SAMPLE_CALL, headers: { "X-Account": "42\r\nX-Evil: 1" } });
    expect(rows).toEqual([{ name: "X-Account", sent: false, why: "not sent" }]);
  });
});
