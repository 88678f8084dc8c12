import { Link } from "react-router";
import { Anchor, Badge, Button, Group, Table, Text } from "@mantine/core";
import { useCanWrite } from "../../api/session";
import { useDeleteOutbound, useOutboundRules, useSaveOutbound, useTrunks } from "../../api/trunks";
import { ListTable } from "../../components/data-table";
import { DeleteCell } from "../../components/delete-cell";
import { OptimisticSwitch } from "../../components/optimistic-switch";
import { AddButton, PageHeader, QueryState, ReadOnlyNotice } from "../../components/page";
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
            <AddButton to={newPath(ROUTE_OUTBOUND_RULES)}>Add rule</AddButton>
          </>
        }
      />
      <ReadOnlyNotice />
      <QueryState query={rules}>
        {() => (
          <ListTable minWidth={760} striped highlightOnHover aria-label="Outbound rules in match order" columns={["Destination", "Name", "Callers", "Trunks", "Priority", "Enabled"]} actions={canWrite} rows={ordered} empty="No outbound rules yet.">
            {(rule) => (
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
                  <OptimisticSwitch checked={rule.enabled} label={`Outbound rule ${rule.destinationPrefix || "every destination"} enabled`} save={(enabled) => save.mutateAsync({ ruleId: rule.id, enabled, version: rule.version })} />
                </Table.Td>
                {canWrite && <DeleteCell label={`Delete outbound rule ${rule.destinationPrefix || "every destination"}`} title="Delete this outbound rule?" onConfirm={() => remove.mutate(rule.id)} />}
              </Table.Tr>
            )}
          </ListTable>
        )}
      </QueryState>
    </>
  );
}
