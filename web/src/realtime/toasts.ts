import type { EventMessage } from "../../../workers/protocol/realtime";

import type { NotificationData } from "@mantine/notifications";

type Toast = NotificationData;

const text = (value: unknown) => (typeof value === "string" ? value : "");

/** The events an operator should hear about without looking: health changes and failed calls. */
export function toastFor(event: EventMessage): Toast | null {
  const data = event.data;
  if (event.type === "agent.health_changed") {
    const name = text(data.name) || text(data.agentId);
    return data.healthy === false
      ? { color: "red", title: "Agent unhealthy", message: `${name} failed repeatedly and is skipped for a cool-down` }
      : { color: "teal", title: "Agent healthy again", message: `${name} is taking calls again` };
  }
  if (event.type === "call.ended" && (data.state === "failed" || data.state === "timeout")) {
    return { color: "orange", title: data.state === "failed" ? "Call failed" : "Call timed out", message: `${text(data.from)} → ${text(data.to)}` };
  }
  if (event.type === "routing_rule.updated") {
    return { color: "indigo", message: "Routing rules changed" };
  }
  return null;
}
