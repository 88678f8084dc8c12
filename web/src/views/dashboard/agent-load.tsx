import { Group, Paper, Stack, Table, Text, Title } from "@mantine/core";
import type { Summary } from "../../api/analytics";
import { ShareBar } from "../../components/share-bar";

interface Row {
  agentId: string;
  name: string;
  answered: number;
  failed: number;
  shares: { group: string; share: number; targetShare: number }[];
}

/**
 * Each agent's calls and, for every group it belongs to, its share of the group's calls against
 * the strategy's target. Members without a call yet are listed too: they are the ones below target.
 */
export function agentLoadRows(summary: Summary | undefined, limit = 12): Row[] {
  const rows = new Map<string, Row>();
  const row = (agentId: string, name: string | null) => {
    let found = rows.get(agentId);
    if (!found) rows.set(agentId, (found = { agentId, name: name ?? agentId, answered: 0, failed: 0, shares: [] }));
    return found;
  };
  for (const a of summary?.agents ?? []) Object.assign(row(a.agentId, a.name), { answered: a.answered, failed: a.failed + a.timedOut });
  for (const g of summary?.groups ?? []) {
    for (const a of g.distribution.agents) {
      if (a.member) row(a.agentId, a.name).shares.push({ group: g.name ?? g.groupId, share: a.share, targetShare: a.targetShare });
    }
  }
  return [...rows.values()].sort((a, b) => b.answered + b.failed - (a.answered + a.failed) || a.name.localeCompare(b.name)).slice(0, limit);
}

export function AgentLoad({ summary }: { summary: Summary | undefined }) {
  const rows = agentLoadRows(summary);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="agent-load-title">
      <Title order={3} size="h5" mb="sm" id="agent-load-title">
        Load per agent
      </Title>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          No calls reached an agent in this period.
        </Text>
      ) : (
        <>
          <Table.ScrollContainer minWidth={420}>
            <Table aria-labelledby="agent-load-title" verticalSpacing={6}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Agent</Table.Th>
                  <Table.Th ta="right">Answered</Table.Th>
                  <Table.Th ta="right">Failed</Table.Th>
                  <Table.Th w="45%">Share of group calls vs target</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => (
                  <Table.Tr key={r.agentId} data-testid="agent-load-row">
                    <Table.Td>{r.name}</Table.Td>
                    <Table.Td ta="right">{r.answered}</Table.Td>
                    <Table.Td ta="right">{r.failed}</Table.Td>
                    <Table.Td>
                      {r.shares.length === 0 ? (
                        <Text size="xs" c="dimmed">
                          in no group
                        </Text>
                      ) : (
                        <Stack gap={6}>
                          {r.shares.map((s) => (
                            <ShareBar key={s.group} name={r.name} group={s.group} share={s.share} targetShare={s.targetShare} />
                          ))}
                        </Stack>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Group gap="md" mt="xs" aria-hidden>
            <Text size="xs" c="dimmed">
              <Text span c="indigo.7" fw={700}>
                ▬
              </Text>{" "}
              share of the group's calls
            </Text>
            <Text size="xs" c="dimmed">
              <Text span c="gray.5" fw={700}>
                ▬
              </Text>{" "}
              strategy's target
            </Text>
          </Group>
        </>
      )}
    </Paper>
  );
}
