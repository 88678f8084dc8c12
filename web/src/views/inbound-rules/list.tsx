import { useMemo, useState } from "react";
import { Link } from "react-router";
import { ActionIcon, Anchor, Badge, Button, Group, Paper, Table, Text, TextInput, Tooltip } from "@mantine/core";
import { IconArrowsSplit, IconPlus, IconSearch, IconTrash } from "@tabler/icons-react";
import { useDeleteInbound, useInboundRules, useUpdateInbound } from "../../api/inbound-rules";
import { useCanWrite } from "../../api/session";
import { confirmAction } from "../../components/confirm";
import { OptimisticSwitch } from "../../components/optimistic-switch";
import { PageHeader, QueryState, ReadOnlyNotice } from "../../components/page";
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
  const needle = search.trim().replace(/[\s+()-]/g, "").toLowerCase();
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
            {canWrite && (
              <Button component={Link} to={newPath(ROUTE_INBOUND_RULES)} leftSection={<IconPlus size={16} aria-hidden />}>
                Add rule
              </Button>
            )}
          </>
        }
      />
      <ReadOnlyNotice />
      <TextInput label="Find a rule" placeholder="Number or name" leftSection={<IconSearch size={16} aria-hidden />} value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={280} mb="md" />
      <QueryState isLoading={rules.isLoading} error={rules.error} retry={() => void rules.refetch()} />
      {rules.data && (
        <Paper withBorder>
          <Table.ScrollContainer minWidth={800}>
            <Table striped highlightOnHover aria-label="Inbound rules in match order">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>#</Table.Th>
                  <Table.Th>Pattern</Table.Th>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Match</Table.Th>
                  <Table.Th>Priority</Table.Th>
                  <Table.Th>Target</Table.Th>
                  <Table.Th>Fallback</Table.Th>
                  <Table.Th>Enabled</Table.Th>
                  {canWrite && (
                    <Table.Th>
                      <span className="visually-hidden">Actions</span>
                    </Table.Th>
                  )}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {shown.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={9}>
                      <Text c="dimmed" ta="center" py="lg">
                        {search ? "No rule matches." : "No inbound rules yet: unmatched calls get the tenant default."}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
                {shown.map((rule, index) => {
                  const conflict = shadowed.get(rule.id);
                  return (
                    <Table.Tr key={rule.id}>
                      <Table.Td>{index + 1}</Table.Td>
                      <Table.Td>
                        <Group gap={6} wrap="nowrap">
                          <Anchor component={Link} to={itemPath(ROUTE_INBOUND_RULES, rule.id)} className="mono" fw={600}>
                            {rule.displayPattern}
                          </Anchor>
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
                      <Table.Td>{rule.fallback ? (rule.fallback.type === "agent" || rule.fallback.type === "group" ? targetName(rule.fallback) : rule.fallback.type) : <Text c="dimmed">default</Text>}</Table.Td>
                      <Table.Td>
                        <OptimisticSwitch checked={rule.enabled} label={`Rule ${rule.displayPattern} enabled`} save={(enabled) => update.mutateAsync({ ruleId: rule.id, enabled, version: rule.version })} />
                      </Table.Td>
                      {canWrite && (
                        <Table.Td>
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            aria-label={`Delete rule ${rule.displayPattern}`}
                            onClick={() => confirmAction({ title: `Delete rule ${rule.displayPattern}?`, confirm: "Delete", onConfirm: () => remove.mutate(rule.id) })}
                          >
                            <IconTrash size={16} aria-hidden />
                          </ActionIcon>
                        </Table.Td>
                      )}
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
    </>
  );
}
