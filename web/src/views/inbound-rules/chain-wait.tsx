import { Badge, Code, Group, Paper, Text } from "@mantine/core";
import type { Explanation } from "../../api/routing";

type Chain = Explanation["chain"];
export type ChainWait = Chain["waits"][number];

/** "45 s", "2 min", "2 min 30 s", "1 h" (a wait is at most an hour). */
export function waitLimitText(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  return seconds % 60 === 0 ? `${seconds / 60} min` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/**
 * What the call does once a wait reaches its maximum: the attempt it stood before, else the
 * chain's end (a prediction frees no slot, so every wait lasts to its maximum).
 */
export function afterWaitText(chain: Chain, beforeAttempt: number): string {
  const next = chain.attempts.find((a) => a.n === beforeAttempt);
  return next ? `attempt ${next.n}: ${next.targetName}` : `the end: ${chain.end.label}`;
}

/** One waiting room of the predicted chain, in its place before the attempt it delays. */
export function ChainWaitItem({ wait, chain }: { wait: ChainWait; chain: Chain }) {
  const where = chain.attempts.some((a) => a.n === wait.beforeAttempt) ? `before attempt ${wait.beforeAttempt}` : "before the end";
  return (
    <Paper component="li" withBorder p="sm" data-testid="chain-wait" aria-label={`Waiting room ${where}: #${wait.position} in line`}>
      <Group gap="xs" mb={4}>
        <Text fw={600}>Waiting room: #{wait.position} in line</Text>
        <Badge variant="light" color="orange">
          Wait
        </Badge>
      </Group>
      <Text size="sm">
        {wait.position === 1 ? "No caller ahead" : `${wait.position - 1} caller${wait.position === 2 ? "" : "s"} ahead`} · tried again every {waitLimitText(wait.retrySec)} (or as the hold music ends) · {wait.stage}
      </Text>
      <Text size="sm" mb={4}>
        Longest wait: {waitLimitText(wait.maxWaitSec)}, then {afterWaitText(chain, wait.beforeAttempt)}
      </Text>
      <Code block tabIndex={0} aria-label={`CXML of the waiting room ${where}`} style={{ whiteSpace: "pre-wrap", wordBreak: "break-all" }}>
        {wait.cxml}
      </Code>
    </Paper>
  );
}
