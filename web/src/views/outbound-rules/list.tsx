import { Link } from "react-router";
import { ActionIcon, Anchor, Badge, Button, Group, Paper, Table, Text } from "@mantine/core";
import { IconPlus, IconTrash } from "@tabler/icons-react";
import { useCanWrite } from "../../api/session";
import { useDeleteOutbound, useOutboundRules, useSaveOutbound, useTrunks } from "../../api/trunks";
import { confirmAction } from "../../components/confirm";
import { OptimisticSwitch } from "../../components/optimistic-switch";
import { PageHeader, QueryState, ReadOnlyNotice } from "../../components/page";
import { patternText } from "../../lib/format";
import { itemPath, newPath, ROUTE_OUTBOUND_RULES, ROUTE_TRUNKS } from "../../routes";

export default function OutboundList() {
  const canWrite = useCanWrite();
  const rules = useOutboundRules();
  const trunks = useTrunks();
  const remove = useDeleteOutbound();
  const save = useSaveOutbound();
  const trunkName = (id: string) => trunks.data?.items.find((t) => t.id === id)?.name ?? id;
  const ordered = [...(rules.data?.items ?? [])].sort((a, b) => b.destinationPrefix.length - a.destinationPrefix.length || a.priority - b.priority);
  return (
    <>
      <PageHeader
        title="Outbound rules"
        description="Calls from registered endpoints (or from the tenant's outbound caller patterns) go out the trunks of the longest matching destination prefix"
        actions={
          <>
            <Button component={Link} to={ROUTE_TRUNKS} variant="default">
              Trunks
            </Button>
            {canWrite && (
              <Button component={Link} to={newPath(ROUTE_OUTBOUND_RULES)} leftSection={<IconPlus size={16} aria-hidden />}>
                Add rule
              </Button>
            )}
          </>
        }
      />
      <ReadOnlyNotice />
      <QueryState isLoading={rules.isLoading} error={rules.error} retry={() => void rules.refetch()} />
      {rules.data && (
        <Paper withBorder>
          <Table.ScrollContainer minWidth={760}>
            <Table striped highlightOnHover aria-label="Outbound rules in match order">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Destination</Table.Th>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Callers</Table.Th>
                  <Table.Th>Trunks</Table.Th>
                  <Table.Th>Priority</Table.Th>
                  <Table.Th>Enabled</Table.Th>
                  {canWrite && (
                    <Table.Th>
                      <span className="visually-hidden">Actions</span>
                    </Table.Th>
                  )}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {ordered.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={7}>
                      <Text c="dimmed" ta="center" py="lg">
                        No outbound rules yet.
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
                {ordered.map((rule) => (
                  <Table.Tr key={rule.id}>
                    <Table.Td>
                      <Anchor component={Link} to={itemPath(ROUTE_OUTBOUND_RULES, rule.id)} className="mono" fw={600}>
                        {rule.destinationPrefix ? `+${rule.destinationPrefix}…` : "every destination"}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{rule.name || <Text c="dimmed">—</Text>}</Table.Td>
                    <Table.Td className="mono">{rule.callerPatterns.length ? rule.callerPatterns.map(patternText).join(", ") : "every caller"}</Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {rule.trunkIds.map((id, i) => (
                          <Badge key={id} variant="light" color="gray">
                            {i + 1}. {trunkName(id)}
                          </Badge>
                        ))}
                      </Group>
                    </Table.Td>
                    <Table.Td>{rule.priority}</Table.Td>
                    <Table.Td>
                      <OptimisticSwitch
                        checked={rule.enabled}
                        label={`Outbound rule ${rule.destinationPrefix || "every destination"} enabled`}
                        save={(enabled) => save.mutateAsync({ ruleId: rule.id, enabled, version: rule.version })}
                      />
                    </Table.Td>
                    {canWrite && (
                      <Table.Td>
                        <ActionIcon variant="subtle" color="red" aria-label={`Delete outbound rule ${rule.destinationPrefix || "every destination"}`} onClick={() => confirmAction({ title: "Delete this outbound rule?", confirm: "Delete", onConfirm: () => remove.mutate(rule.id) })}>
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
