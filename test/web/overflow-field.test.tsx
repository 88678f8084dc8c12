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

  it("holds callers in a waiting room: four fields, their values exactly as the API takes them, empty text left out", async () => {
    const seen: OverflowValue[] = [];
    const user = userEvent.setup();
    show(<Harness seen={seen} />);
    await user.click(screen.getByRole("combobox", { name: /When every agent is full/ }));
    await user.click(await screen.findByRole("option", { name: "Hold the caller in a waiting room, first come first served", hidden: true }));
    const message = screen.getByRole("textbox", { name: /Message when the caller joins/ });
    const music = screen.getByRole("textbox", { name: /Hold music URL/ });
    const retry = screen.getByRole("textbox", { name: /Seconds between tries/ });
    const longest = screen.getByRole("textbox", { name: /Longest wait/ });
    expect([message, music, retry, longest].map((f) => (f as HTMLInputElement).value)).toEqual(["", "", "10", "120"]);
    expect(seen.at(-1)).toStrictEqual({ type: "wait", retrySec: 10, maxWaitSec: 120 });

    await user.type(message, "You are number {{position} in line");
    await user.type(music, "https://example.com/hold.mp3");
    await user.clear(retry);
    await user.type(retry, "15");
    await user.clear(longest);
    await user.type(longest, "300");
    expect(seen.at(-1)).toStrictEqual({ type: "wait", text: "You are number {position} in line", playUrl: "https://example.com/hold.mp3", retrySec: 15, maxWaitSec: 300 });

    // Emptied text fields are left out, not sent empty (the API would refuse "") nor kept as undefined keys.
    await user.clear(message);
    await user.clear(music);
    expect(seen.at(-1)).toStrictEqual({ type: "wait", retrySec: 15, maxWaitSec: 300 });
  });

  it("says what is wrong with a waiting room's field in the API's words once the field is left, not clamped away", async () => {
    const seen: OverflowValue[] = [];
    const user = userEvent.setup();
    show(<Harness seen={seen} />);
    await user.click(screen.getByRole("combobox", { name: /When every agent is full/ }));
    await user.click(await screen.findByRole("option", { name: "Hold the caller in a waiting room, first come first served", hidden: true }));
    const retry = screen.getByRole("textbox", { name: /Seconds between tries/ });
    await user.clear(retry);
    await user.type(retry, "1");
    expect(screen.queryByText("must be at least 3 seconds")).toBeNull();
    await user.tab();
    // Under the field it is about, and the 1 kept as typed.
    expect(retry).toHaveAttribute("aria-invalid", "true");
    expect(retry).toHaveAccessibleDescription(/must be at least 3 seconds/);
    expect(retry).toHaveValue("1");
    expect(seen.at(-1)).toStrictEqual({ type: "wait", retrySec: 1, maxWaitSec: 120 });

    await user.clear(retry);
    await user.type(retry, "10");
    const music = screen.getByRole("textbox", { name: /Hold music URL/ });
    await user.type(music, "ftp://x");
    await user.tab();
    expect(music).toHaveAttribute("aria-invalid", "true");
    expect(music).toHaveAccessibleDescription(/must be an http\(s\) URL of an audio file/);
    expect(retry).not.toHaveAttribute("aria-invalid", "true");
    expect(screen.queryByText("must be at least 3 seconds")).toBeNull();
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
