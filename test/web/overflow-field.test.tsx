import { useState } from "react";
import { describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { QueryClient } from "@tanstack/react-query";
import { OverflowField, type OverflowValue } from "../../web/src/components/overflow-field";
import { Providers } from "../../web/src/providers";
import { groupBody, type GroupFormValues } from "../../web/src/views/agent-groups/form";

function Harness({ inherit, seen }: { inherit?: string; seen: OverflowValue[] }) {
  const [value, setValue] = useState<OverflowValue>(null);
  return (
    <OverflowField
      value={value}
      inheritLabel={inherit}
      onChange={(next) => {
        seen.push(next);
        setValue(next);
      }}
    />
  );
}

const show = (node: React.ReactNode) => render(<Providers client={new QueryClient()}>{node}</Providers>);

describe("the overflow field", () => {
  it("offers the next step by default and builds an announcement", async () => {
    const seen: OverflowValue[] = [];
    const user = userEvent.setup();
    show(<Harness seen={seen} />);
    expect(screen.getByRole("combobox", { name: /When every agent is full/ })).toHaveValue("Go on to the next step (the fallback, else hang up)");
    await user.click(screen.getByRole("combobox", { name: /When every agent is full/ }));
    await user.click(await screen.findByRole("option", { name: "Play an announcement and hang up", hidden: true }));
    await user.type(screen.getByRole("textbox", { name: "Announcement" }), "Busy");
    expect(seen.at(-1)).toEqual({ type: "announcement", text: "Busy" });
  });

  it("refuses a SIP URI carrying markup with the API's message once left; a rule can leave it to its group", async () => {
    const seen: OverflowValue[] = [];
    const user = userEvent.setup();
    show(<Harness seen={seen} inherit="As the group says (else the next step)" />);
    expect(screen.getByRole("combobox", { name: /When every agent is full/ })).toHaveValue("As the group says (else the next step)");
    await user.click(screen.getByRole("combobox", { name: /When every agent is full/ }));
    await user.click(await screen.findByRole("option", { name: "Call a person: a SIP URI", hidden: true }));
    await user.type(screen.getByRole("textbox", { name: "SIP URI" }), 'sip:desk@pbx.example.com"><Dial>');
    await user.tab();
    expect(await screen.findByText(/must be a SIP URI like sip:desk@pbx.example.com/)).toBeInTheDocument();
  });

  it("is sent with the group", () => {
    const values = {
      name: "g",
      description: "",
      strategy: "round_robin",
      rollingWindowHours: 24,
      maxAttempts: 3,
      stickyTtlSeconds: "",
      enabled: true,
      failoverOn: [],
      timeLimitSec: "",
      context: [],
      members: [],
      overflow: { type: "number", number: "+14155550199" },
    } as GroupFormValues;
    expect(groupBody(values).overflow).toEqual({ type: "number", number: "+14155550199" });
  });
});
