import { notifications, notificationsStore, type NotificationData } from "@mantine/notifications";
import type { EventMessage } from "../../../workers/protocol/realtime";
import { isOwnChange } from "./own-changes";

export type Toast = NotificationData;

/** Failed calls closer together than this share one toast that counts them. */
const BURST_MS = 10_000;
/** A burst's toast stays a little longer than the others: it may have counted several calls. */
const BURST_TOAST_MS = 8_000;

const text = (value: unknown) => (typeof value === "string" ? value : "");

const isFailedCall = (event: EventMessage) => event.type === "call.ended" && (event.data.state === "failed" || event.data.state === "timeout");

/**
 * The events an operator should hear about without looking: health changes, failed calls, and
 * routing changes made elsewhere (this tab's own saves already said "saved").
 */
export function toastFor(event: EventMessage): Toast | null {
  const data = event.data;
  if (event.type === "agent.health_changed") {
    const name = text(data.name) || text(data.agentId);
    return data.healthy === false ? { color: "red", title: "Agent unhealthy", message: `${name} failed repeatedly and is skipped for a cool-down` } : { color: "teal", title: "Agent healthy again", message: `${name} is taking calls again` };
  }
  if (isFailedCall(event)) {
    return { color: "orange", title: data.state === "failed" ? "Call failed" : "Call timed out", message: `${text(data.from)} → ${text(data.to)}` };
  }
  if (event.type === "routing_rule.updated" && !isOwnChange(data.entity)) {
    return { color: "indigo", message: "Routing rules changed" };
  }
  return null;
}

/** Where toasts go: Mantine's notifications in the app, a recorder in tests. */
export interface ToastSink {
  show(toast: Toast & { id: string }): void;
  update(toast: Toast & { id: string }): void;
  /** Still on screen (or queued behind the limit). */
  isShown(id: string): boolean;
}

/**
 * Shows the toast for each event. Failed calls are rate-limited: while one's toast is on screen,
 * further failures within BURST_MS update it ("3 calls failed") instead of stacking new ones.
 */
export function createEventToasts(sink: ToastSink, now: () => number = Date.now) {
  let burst: { id: string; count: number; last: number } | null = null;
  let next = 0;
  return (event: EventMessage): void => {
    const toast = toastFor(event);
    if (!toast) return;
    if (!isFailedCall(event)) {
      sink.show({ ...toast, id: `event-${++next}` });
      return;
    }
    const at = now();
    if (burst && at - burst.last < BURST_MS && sink.isShown(burst.id)) {
      burst.count++;
      burst.last = at;
      sink.update({ ...toast, id: burst.id, autoClose: BURST_TOAST_MS, title: `${burst.count} calls failed or timed out`, message: `Latest: ${String(toast.title).toLowerCase()}, ${String(toast.message)}` });
      return;
    }
    burst = { id: `failed-calls-${++next}`, count: 1, last: at };
    sink.show({ ...toast, id: burst.id, autoClose: BURST_TOAST_MS });
  };
}

/** Mantine's notifications as a sink. */
export const mantineToasts: ToastSink = {
  show: (toast) => void notifications.show(toast),
  update: (toast) => void notifications.update(toast),
  isShown: (id) => {
    const state = notificationsStore.getState();
    return [...state.notifications, ...state.queue].some((n) => n.id === id);
  },
};

/** One toast under `id`, replaced in place while it is still on screen. */
export function showOrUpdate(sink: ToastSink, toast: Toast & { id: string }): void {
  if (sink.isShown(toast.id)) sink.update(toast);
  else sink.show(toast);
}
