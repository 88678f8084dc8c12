import { Progress, Stack, Text, Tooltip } from "@mantine/core";

const pct = (value: number) => `${Math.round(value * 100)}%`;

/** A group member's share of the group's calls against what its strategy targets. */
export function ShareBar({ name, share, targetShare, group }: { name: string; share: number; targetShare: number; group?: string }) {
  const of = group ? `${group}: ` : "";
  return (
    <Tooltip label={`${name} took ${pct(share)} of ${group ?? "the group"}'s calls; the strategy targets ${pct(targetShare)}`}>
      <Stack gap={2}>
        <Progress value={share * 100} color="indigo.7" aria-label={`${name} share${group ? ` of ${group}` : ""} ${pct(share)}, target ${pct(targetShare)}`} />
        <Progress value={targetShare * 100} color="gray.5" size="xs" aria-hidden />
        <Text size="xs" c="dimmed">
          {of}
          {pct(share)} of calls · target {pct(targetShare)}
        </Text>
      </Stack>
    </Tooltip>
  );
}
