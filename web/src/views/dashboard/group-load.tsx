import { Box, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useGroupsHealth, type MemberHealth } from "../../api/agent-groups";
import type { Summary } from "../../api/analytics";
import { HealthNote, healthNote } from "../../components/health-note";

const pct = (ratio: number) => `${Math.round(ratio * 100)}%`;
/** A share this far off its target is worth explaining. */
const OFF_TARGET = 0.05;

type GroupSummary = Summary["groups"][number];
type MemberShare = GroupSummary["distribution"]["agents"][number];

/**
 * One member's share as a bar on a 0–100 % track with its target marked by a tick: plain
 * layout, so a long name wraps above its bar instead of overlapping its neighbours.
 */
function MemberBar({ group, member, health }: { group: string; member: MemberShare; health: MemberHealth | undefined }) {
  const name = member.name ?? member.agentId;
  const off = Math.abs(member.share - member.targetShare) >= OFF_TARGET;
  return (
    <Box data-testid="group-load-member">
      <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
        <Text size="sm" style={{ overflowWrap: "anywhere" }}>
          {name}
        </Text>
        <Text size="sm" fw={600} style={{ whiteSpace: "nowrap" }}>
          {pct(member.share)}
          <Text span size="xs" c="dimmed" fw={400}>
            {" "}
            / target {pct(member.targetShare)}
          </Text>
        </Text>
      </Group>
      {/* biome-ignore lint/a11y/useSemanticElements: a <meter> cannot draw the target tick inside its bar. */}
      <div
        role="meter"
        aria-label={`${name} in ${group}: ${pct(member.share)} of the calls, target ${pct(member.targetShare)}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(member.share * 100)}
        style={{ position: "relative", height: 10, borderRadius: 5, background: "var(--mantine-color-gray-2)", marginTop: 4 }}
      >
        <div style={{ width: `${Math.min(100, member.share * 100)}%`, height: "100%", borderRadius: 5, background: "var(--mantine-color-indigo-7)" }} />
        {/* The target as a tick across the track; kept inside it even at 100 %. */}
        <div aria-hidden style={{ position: "absolute", top: -3, bottom: -3, width: 2, left: `min(${member.targetShare * 100}%, calc(100% - 2px))`, background: "var(--mantine-color-dark-7)" }} />
      </div>
      {off && <HealthNote health={health} />}
    </Box>
  );
}

function GroupSection({ group, health }: { group: GroupSummary; health: Map<string, MemberHealth> | undefined }) {
  const name = group.name ?? group.groupId;
  const members = group.distribution.agents.filter((a) => a.member);
  // Only a struck member below its target is explained by health; above it, its failover dials count too.
  const explained = members.some((m) => m.targetShare - m.share >= OFF_TARGET && healthNote(health?.get(m.agentId)));
  return (
    <Stack gap={8} component="section" aria-label={`${name} load against target`}>
      <Text size="sm" fw={700}>
        {name}{" "}
        <Text span size="xs" c="dimmed" fw={400}>
          {group.distribution.total} {group.distribution.basis === "firstAttempts" ? "first picks" : "dials"}
        </Text>
      </Text>
      {members.map((m) => (
        <MemberBar key={m.agentId} group={name} member={m} health={health?.get(m.agentId)} />
      ))}
      {explained && (
        <Text size="xs" c="dimmed">
          Agents taken out of rotation for health get fewer calls than the strategy targets; the others take up their share.
        </Text>
      )}
    </Stack>
  );
}

/** Each group member's share of the group's calls against what its strategy targets, with health as the reason when it differs. */
export function GroupLoad({ summary }: { summary: Summary | undefined }) {
  const groups = (summary?.groups ?? []).filter((g) => g.distribution.total > 0 && g.distribution.agents.some((a) => a.member));
  const health = useGroupsHealth(groups.map((g) => g.groupId));
  return (
    <Paper withBorder p="md" role="figure" aria-label="Group members: share of calls against target">
      <Title order={3} size="h5" mb="sm">
        Group load against target
      </Title>
      {groups.length === 0 ? (
        <Text size="sm" c="dimmed">
          No group traffic in this period.
        </Text>
      ) : (
        <Stack gap="lg">
          {groups.map((g) => (
            <GroupSection key={g.groupId} group={g} health={health.get(g.groupId)} />
          ))}
          <Group gap="md" aria-hidden>
            <Text size="xs" c="dimmed">
              <Text span c="indigo.7" fw={700}>
                ▬
              </Text>{" "}
              share of the group's calls
            </Text>
            <Text size="xs" c="dimmed">
              <Text span c="dark.7" fw={700}>
                |
              </Text>{" "}
              strategy's target
            </Text>
          </Group>
        </Stack>
      )}
    </Paper>
  );
}
