import { useMemo, useState } from "react";
import { Link } from "react-router";
import { Anchor, Badge, Button, Group, Table, Text, TextInput, Tooltip } from "@mantine/core";
import { IconArrowsSplit, IconSearch } from "@tabler/icons-react";
import { useDeleteInbound, useInboundRules, useUpdateInbound } from "../../api/inbound-rules";
import { useCanWrite } from "../../api/session";
import { ListTable } from "../../components/data-table";
import { DeleteCell } from "../../components/delete-cell";
import { OptimisticSwitch } from "../../components/optimistic-switch";
import { AddButton, PageHeader, QueryState, ReadOnlyNotice } from "../../components/page";
import { useTargetNames } from "../../components/target-select";
import { itemPath, newPath, ROUTE_INBOUND_RULES, ROUTE_ROUTING_TESTER } from "../../routes";
import { describeConflict, inMatchOrder, shadowedRules } from "./match-order";

export default function InboundList() {
  const canWrite = useCanWrite();
  const rules = useInboundRules();
  const remove = useDeleteInbound();
  const update = useUpdateInbound();
  const targetName = useTargetNames();
  const [search, setSearch] = useState("");
  const ordered = useMemo(() => inMatchOrder(rules.data ?? []), [rules.data]);
  const shadowed = useMemo(() => shadowedRules(rules.data ?? []), [rules.data]);
  const needle = search
    .trim()
    .replace(/[\s+()-]/g, "")
    .toLowerCase();
  const shown = needle ? ordered.filter((r) => r.pattern.includes(needle) || r.name.toLowerCase().includes(needle)) : ordered;

  return (
    <>
      <PageHeader
        title="Inbound rules"
        description="Called numbers and where their calls go, in the order routing tries them: exact numbers, then longer prefixes, then priority"
        actions={
          <>
            <Button component={Link} to={ROUTE_ROUTING_TESTER} variant="default" leftSection={<IconArrowsSplit size={16} aria-hidden />}>
              Routing tester
            </Button>
            <AddButton to={newPath(ROUTE_INBOUND_RULES)}>Add rule</AddButton>
          </>
        }
      />
      <ReadOnlyNotice />
      <TextInput label="Find a rule" placeholder="Number or name" leftSection={<IconSearch size={16} aria-hidden />} value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={280} mb="md" />
      <QueryState query={rules}>
        {() => (
          <ListTable
            minWidth={800}
            striped
            highlightOnHover
            aria-label="Inbound rules in match order"
            columns={["#", "Pattern", "Name", "Match", "Priority", "Target", "Fallback", "Enabled"]}
            actions={canWrite}
            rows={shown}
            empty={search ? "No rule matches." : "No inbound rules yet: unmatched calls get the tenant default."}
          >
            {(rule, index) => {
              const conflict = shadowed.get(rule.id);
              return (
                <Table.Tr key={rule.id}>
                  <Table.Td>{index + 1}</Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Anchor component={Link} to={itemPath(ROUTE_INBOUND_RULES, rule.id)} className="mono" fw={600}>
                        {rule.displayPattern}
                      </Anchor>
                      {rule.callType === "api" && (
                        <Badge variant="light" color="grape" title="Calls started through Cloudonix's API, already answered by the person called">
                          API calls
                        </Badge>
                      )}
                      {rule.header && (
                        <Badge variant="outline" color="blue" tt="none" className="mono" title="Only calls whose carrier header has this value">
                          when {rule.header.name} = {rule.header.value}
                        </Badge>
                      )}
                      {conflict && (
                        <Tooltip label={describeConflict(conflict)} multiline w={320}>
                          <Badge color="orange" variant="light" tabIndex={0}>
                            never matches
                          </Badge>
                        </Tooltip>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>{rule.name || <Text c="dimmed">—</Text>}</Table.Td>
                  <Table.Td>{rule.pattern === "*" ? "catch-all" : rule.matchType}</Table.Td>
                  <Table.Td>{rule.priority}</Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {rule.target.type === "group" ? "Group" : "Agent"}: {targetName(rule.target)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {rule.fallback ? (
                      rule.fallback.type === "agent" || rule.fallback.type === "group" ? (
                        targetName(rule.fallback)
                      ) : rule.fallback.type === "number" || rule.fallback.type === "sip" ? (
                        // Escalation to a person: who is dialled.
                        <span className="mono">{rule.fallback.type === "number" ? rule.fallback.number : rule.fallback.uri}</span>
                      ) : (
                        rule.fallback.type
                      )
                    ) : (
                      <Text span inherit c="dimmed">
                        default
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <OptimisticSwitch checked={rule.enabled} label={`Rule ${rule.displayPattern} enabled`} save={(enabled) => update.mutateAsync({ ruleId: rule.id, enabled, version: rule.version })} />
                  </Table.Td>
                  {canWrite && <DeleteCell label={`Delete rule ${rule.displayPattern}`} title={`Delete rule ${rule.displayPattern}?`} onConfirm={() => remove.mutate(rule.id)} />}
                </Table.Tr>
              );
            }}
          </ListTable>
        )}
      </QueryState>
    </>
  );
}
