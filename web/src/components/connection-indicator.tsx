import { Badge, Tooltip } from "@mantine/core";
import { useRealtime } from "../realtime/provider";

const LABELS = {
  open: { color: "teal", text: "Live", help: "Receiving live events" },
  connecting: { color: "gray", text: "Connecting", help: "Opening the live-events connection" },
  reconnecting: { color: "yellow", text: "Reconnecting", help: "The live-events connection dropped; retrying with backoff" },
  offline: { color: "red", text: "Offline", help: "No live events: the connection is closed" },
} as const;

/** Shows the state of the realtime connection; screen readers hear changes politely. */
export function ConnectionIndicator() {
  const { state } = useRealtime();
  const label = LABELS[state];
  return (
    <Tooltip label={label.help}>
      <Badge variant="dot" color={label.color} role="status" aria-live="polite" data-state={state} data-testid="connection-indicator" tabIndex={0}>
        {label.text}
      </Badge>
    </Tooltip>
  );
}
