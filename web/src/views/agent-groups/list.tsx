import { Link } from "react-router";
import { Anchor, Badge, Table, Text } from "@mantine/core";
import { useDeleteGroup, useGroups } from "../../api/agent-groups";
import { useCanWrite } from "../../api/session";
import { ListTable } from "../../components/data-table";
import { DeleteCell } from "../../components/delete-cell";
import { useLiveCounts } from "../../components/live-stats";
import { AddButton, PageHeader, QueryState, ReadOnlyNotice } from "../../components/page";
import { itemPath, newPath, ROUTE_AGENT_GROUPS } from "../../routes";

const STRATEGY = { round_robin: "Round robin", priority: "Priority", load_balanced: "Load balanced" } as const;

export default function GroupList() {
  const canWrite = useCanWrite();
  const groups = useGroups();
  const live = useLiveCounts();
  const remove = useDeleteGroup();
  return (
    <>
      <PageHeader title="Agent groups" description="Agents that share a number's calls by a distribution strategy" actions={<AddButton to={newPath(ROUTE_AGENT_GROUPS)}>Add group</AddButton>} />
      <ReadOnlyNotice />
      <QueryState query={groups}>
        {(data) => (
          <ListTable minWidth={700} striped highlightOnHover aria-label="Agent groups" columns={["Name", "Strategy", "Members", "Live calls", "Max attempts", "Status"]} actions={canWrite} rows={data.items} empty="No agent groups yet.">
            {(group) => (
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
                {canWrite && <DeleteCell label={`Delete ${group.name}`} title={`Delete ${group.name}?`} body="Rules that target it must be changed first." onConfirm={() => remove.mutate(group.id)} />}
              </Table.Tr>
            )}
          </ListTable>
        )}
      </QueryState>
    </>
  );
}
