import { Badge } from "@mantine/core";

const DELIVERY_COLORS: Record<string, string> = { ok: "teal", refused: "orange", failed: "red" };
const LETTER_COLORS: Record<string, string> = { parked: "yellow", replayed: "teal", discarded: "gray" };

/** A delivery's status with the HTTP status we answered, e.g. "failed · 503". */
export function DeliveryStatus({ status, statusCode }: { status: string; statusCode: number }) {
  return (
    <Badge variant="light" color={DELIVERY_COLORS[status] ?? "gray"}>
      {status} · {statusCode}
    </Badge>
  );
}

export function LetterStatus({ status }: { status: string }) {
  return (
    <Badge variant="light" color={LETTER_COLORS[status] ?? "gray"}>
      {status}
    </Badge>
  );
}
