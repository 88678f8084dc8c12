import { afterEach, describe, expect, it, vi } from "vitest";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { notifications } from "@mantine/notifications";
import type { EventMessage } from "../../workers/protocol/realtime";
import { Providers, TOAST_MS } from "../../web/src/providers";
import { beginOwnChange } from "../../web/src/realtime/own-changes";
import { createEventToasts, toastFor, type Toast, type ToastSink } from "../../web/src/realtime/toasts";
import InboundList from "../../web/src/views/inbound-rules/list";
import { mockApi, page, renderAt, signIn } from "./render";

let seq = 0;
const event = (type: string, data: Record<string, unknown>): EventMessage => ({ type, seq: ++seq, at: Date.now(), data });
const failed = (from: string) => event("call.ended", { state: "failed", from, to: "+18005550199" });
const rulesChanged = (entity: string) => event("routing_rule.updated", { entity, action: "updated", ids: ["r1"] });

function recorder() {
  const shown = new Map<string, Toast>();
  const log: string[] = [];
  const sink: ToastSink = {
    show: (t) => (shown.set(t.id, t), log.push(`show ${t.id}`)),
    update: (t) => (shown.set(t.id, t), log.push(`update ${t.id}`)),
    isShown: (id) => shown.has(id),
  };
  return { sink, shown, log, close: (id: string) => shown.delete(id) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("event toasts", () => {
  it("coalesces a burst of failed calls into one toast that counts them", () => {
    let now = 1_000_000;
    const { sink, shown, log } = recorder();
    const toast = createEventToasts(sink, () => now);
    toast(failed("+14155550100"));
    for (const from of ["+14155550101", "+14155550102"]) {
      now += 2_000;
      toast(failed(from));
    }
    expect(log).toHaveLength(3);
    expect(log.filter((l) => l.startsWith("show"))).toHaveLength(1);
    const [id] = [...shown.keys()];
    expect(shown.get(id!)).toMatchObject({ title: "3 calls failed or timed out", message: "Latest: call failed, +14155550102 → +18005550199" });

    // After a quiet spell, the next failure is news again.
    now += 11_000;
    toast(failed("+14155550103"));
    expect(log.filter((l) => l.startsWith("show"))).toHaveLength(2);
  });

  it("starts a new toast when the burst's toast has already closed", () => {
    let now = 0;
    const { sink, log, close } = recorder();
    const toast = createEventToasts(sink, () => now);
    toast(failed("+1"));
    close(log[0]!.replace("show ", ""));
    now += 1_000;
    toast(failed("+2"));
    expect(log.map((l) => l.split(" ")[0])).toEqual(["show", "show"]);
  });

  it("says routing rules changed only when this tab did not change them", () => {
    vi.useFakeTimers();
    expect(toastFor(rulesChanged("outbound_rule"))).toMatchObject({ message: "Routing rules changed" });
    const settled = beginOwnChange("outbound_rule");
    expect(toastFor(rulesChanged("outbound_rule"))).toBeNull();
    expect(toastFor(rulesChanged("inbound_rule"))).not.toBeNull();
    settled();
    // The event may come after the save's answer.
    vi.advanceTimersByTime(3_000);
    expect(toastFor(rulesChanged("outbound_rule"))).toBeNull();
    vi.advanceTimersByTime(3_000);
    expect(toastFor(rulesChanged("outbound_rule"))).not.toBeNull();
  });

  it("counts a switch flipped in this tab as its own change", async () => {
    signIn("admin");
    const rule = { id: "irl_1", name: "Sales", pattern: "1555*", displayPattern: "+1555*", matchType: "prefix", priority: 100, enabled: true, target: { type: "group", id: "grp_1" }, fallback: null, version: 1, createdAt: "", updatedAt: "" };
    let answer: (value: unknown) => void = () => {};
    mockApi({
      "GET /api/inbound-rules": page([rule]),
      "GET /api/agent-groups": page([]),
      "GET /api/voice-agents": page([]),
      "PUT /api/inbound-rules/irl_1": () => new Promise((resolve) => (answer = resolve)),
    });
    const user = userEvent.setup();
    renderAt("/inbound-rules", "/inbound-rules", <InboundList />);
    expect(toastFor(rulesChanged("inbound_rule"))).not.toBeNull();
    await user.click(await screen.findByRole("switch", { name: "Rule +1555* enabled" }));
    // The hub's event can beat the API's answer.
    expect(toastFor(rulesChanged("inbound_rule"))).toBeNull();
    answer({ ...rule, enabled: false, version: 2 });
    await waitFor(() => expect(screen.getByRole("switch", { name: "Rule +1555* enabled" })).toBeEnabled());
    expect(toastFor(rulesChanged("inbound_rule"))).toBeNull();
  });

  it("closes toasts on their own; hovering one holds only that one", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    render(<Providers>{null}</Providers>);
    act(() => {
      notifications.show({ id: "a", message: "Agent Alice saved" });
      notifications.show({ id: "b", message: "Routing rules changed" });
    });
    const held = await screen.findByText("Agent Alice saved");
    await screen.findByText("Routing rules changed");
    fireEvent.mouseEnter(held.closest(".mantine-Notification-root")!);
    await act(() => vi.advanceTimersByTimeAsync(TOAST_MS + 1_000));
    await waitFor(() => expect(screen.queryByText("Routing rules changed")).toBeNull());
    expect(screen.getByText("Agent Alice saved")).toBeInTheDocument();
    fireEvent.mouseLeave(held.closest(".mantine-Notification-root")!);
    await act(() => vi.advanceTimersByTimeAsync(TOAST_MS + 1_000));
    await waitFor(() => expect(screen.queryByText("Agent Alice saved")).toBeNull());
  });
});
