import { Badge } from "@mantine/core";

const COLORS: Record<string, string> = { completed: "teal", connected: "indigo", ringing: "cyan", routing: "gray", initiated: "gray", failed: "red", timeout: "orange" };

export function CallStatus({ status }: { status: string }) {
  return (
    <Badge variant="light" color={COLORS[status] ?? "gray"}>
      {status}
    </Badge>
  );
}
