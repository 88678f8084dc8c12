import { Link } from "react-router";
import { ActionIcon, Anchor, Badge, Button, Paper, Table, Text } from "@mantine/core";
import { IconPlus, IconTrash } from "@tabler/icons-react";
import { useDeleteGroup, useGroups } from "../../api/agent-groups";
import { useCanWrite } from "../../api/session";
import { confirmAction } from "../../components/confirm";
import { useLiveCounts } from "../../components/live-stats";
import { PageHeader, QueryState, ReadOnlyNotice } from "../../components/page";
import { itemPath, newPath, ROUTE_AGENT_GROUPS } from "../../routes";

const STRATEGY = { round_robin: "Round robin", priority: "Priority", load_balanced: "Load balanced" } as const;

export default function GroupList() {
  const canWrite = useCanWrite();
  const groups = useGroups();
  const live = useLiveCounts();
  const remove = useDeleteGroup();
  return (
    <>
      <PageHeader
        title="Agent groups"
        description="Agents that share a number's calls by a distribution strategy"
        actions={
          canWrite && (
            <Button component={Link} to={newPath(ROUTE_AGENT_GROUPS)} leftSection={<IconPlus size={16} aria-hidden />}>
              Add group
            </Button>
          )
        }
      />
      <ReadOnlyNotice />
      <QueryState isLoading={groups.isLoading} error={groups.error} retry={() => void groups.refetch()} />
      {groups.data && (
        <Paper withBorder>
          <Table.ScrollContainer minWidth={700}>
            <Table striped highlightOnHover aria-label="Agent groups">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Strategy</Table.Th>
                  <Table.Th>Members</Table.Th>
                  <Table.Th>Live calls</Table.Th>
                  <Table.Th>Max attempts</Table.Th>
                  <Table.Th>Status</Table.Th>
                  {canWrite && (
                    <Table.Th>
                      <span className="visually-hidden">Actions</span>
                    </Table.Th>
                  )}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {groups.data.items.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={7}>
                      <Text c="dimmed" ta="center" py="lg">
                        No agent groups yet.
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
                {groups.data.items.map((group) => (
                  <Table.Tr key={group.id}>
                    <Table.Td>
                      <Anchor component={Link} to={itemPath(ROUTE_AGENT_GROUPS, group.id)} fw={500}>
                        {group.name}
                      </Anchor>
                      {group.description && (
                        <Text size="xs" c="dimmed">
                          {group.description}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{STRATEGY[group.strategy]}</Table.Td>
                    <Table.Td>{group.memberCount}</Table.Td>
                    <Table.Td>{live.byGroup.get(group.id) ?? 0}</Table.Td>
                    <Table.Td>{group.maxAttempts}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={group.enabled ? "teal" : "gray"}>
                        {group.enabled ? "Enabled" : "Disabled"}
                      </Badge>
                    </Table.Td>
                    {canWrite && (
                      <Table.Td>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={`Delete ${group.name}`}
                          onClick={() => confirmAction({ title: `Delete ${group.name}?`, body: "Rules that target it must be changed first.", confirm: "Delete", onConfirm: () => remove.mutate(group.id) })}
                        >
                          <IconTrash size={16} aria-hidden />
                        </ActionIcon>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
    </>
  );
}
