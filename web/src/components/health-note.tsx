import { Text } from "@mantine/core";
import type { MemberHealth } from "../api/agent-groups";
import { time } from "../lib/format";

/** Failures in a row that take an agent out of rotation (durable-objects/logic health). */
const OUT_AFTER = 3;

/**
 * Why a member's share may be off its target: it is out of rotation for health now, or failed
 * often enough to have been taken out. Null when health explains nothing.
 */
export function healthNote(health: MemberHealth | undefined): { text: string; now: boolean } | null {
  if (!health) return null;
  if (!health.healthy) {
    const until = health.unhealthyUntil ? ` until ${time(health.unhealthyUntil)}` : "";
    return { text: `out of rotation for health${until} (${health.consecutiveFailures} failed dials in a row)`, now: true };
  }
  if (health.failures >= OUT_AFTER) {
    return { text: `${health.failures} failed dials: ${OUT_AFTER} in a row take it out of rotation for a while, so it gets fewer calls`, now: false };
  }
  return null;
}

export function HealthNote({ health }: { health: MemberHealth | undefined }) {
  const note = healthNote(health);
  if (!note) return null;
  return (
    <Text size="xs" c={note.now ? "red.8" : "#a63c0a"} data-testid="health-note">
      {note.now ? "Unhealthy: " : "Health: "}
      {note.text}
    </Text>
  );
}
