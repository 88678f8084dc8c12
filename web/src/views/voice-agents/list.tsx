import { useMemo, useState } from "react";
import { Link } from "react-router";
import { Anchor, Badge, Button, Checkbox, Group, Paper, Progress, Select, Table, Text, TextInput, Tooltip } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconSearch } from "@tabler/icons-react";
import { useAgentStatus, useAgents, useBulkAgents, useDeleteAgent, useProviders, useToggleAgent, type AgentFilters } from "../../api/voice-agents";
import { useCanWrite } from "../../api/session";
import { healthOf, useLiveCounts } from "../../components/live-stats";
import { AddButton, PageHeader, QueryState, ReadOnlyNotice } from "../../components/page";
import { ListTable } from "../../components/data-table";
import { DeleteCell } from "../../components/delete-cell";
import { LabelledSegments } from "../../components/labelled-segments";
import { OptimisticSwitch } from "../../components/optimistic-switch";
import { itemPath, newPath, ROUTE_VOICE_AGENTS } from "../../routes";

const HEALTH = { healthy: { color: "teal", label: "Healthy" }, unhealthy: { color: "red", label: "Unhealthy" }, unknown: { color: "gray", label: "No data" } } as const;

function HealthBadge({ agentId }: { agentId: string }) {
  const status = useAgentStatus(agentId);
  const health = healthOf(status.data?.live as Record<string, unknown> | null | undefined);
  return (
    <Badge variant="light" color={HEALTH[health].color}>
      {HEALTH[health].label}
    </Badge>
  );
}

export default function AgentList() {
  const canWrite = useCanWrite();
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search.trim(), 250);
  const [provider, setProvider] = useState<string | null>(null);
  const [status, setStatus] = useState("all");
  const [tag, setTag] = useState<string | null>(null);
  const filters: AgentFilters = { q: q || undefined, provider: provider ?? undefined, enabled: status === "all" ? undefined : (status as "true" | "false"), tags: tag ?? undefined };
  const agents = useAgents(filters);
  const allAgents = useAgents({});
  const providers = useProviders();
  const live = useLiveCounts();
  const bulk = useBulkAgents();
  const remove = useDeleteAgent();
  const toggle = useToggleAgent();
  const [selected, setSelected] = useState<Set<string>>(new Set());

  const items = agents.data?.items ?? [];
  const tags = useMemo(() => [...new Set((allAgents.data?.items ?? []).flatMap((a) => a.tags))].sort(), [allAgents.data]);
  const providerName = (id: string) => providers.data?.providers.find((p) => p.id === id)?.name ?? id;
  const visibleSelected = items.filter((a) => selected.has(a.id)).map((a) => a.id);
  const allChecked = items.length > 0 && visibleSelected.length === items.length;

  const toggleRow = (id: string, checked: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (checked) next.add(id);
      else next.delete(id);
      return next;
    });

  const runBulk = (action: "enable" | "disable") => bulk.mutate({ action, ids: visibleSelected }, { onSuccess: () => setSelected(new Set()) });

  return (
    <>
      <PageHeader title="Voice agents" description="The AI voice agents calls are routed to" actions={<AddButton to={newPath(ROUTE_VOICE_AGENTS)}>Add agent</AddButton>} />
      <ReadOnlyNotice />
      <Paper withBorder p="md" mb="md">
        <Group align="flex-end" wrap="wrap">
          <TextInput label="Search" placeholder="Name, number, username or tag" leftSection={<IconSearch size={16} aria-hidden />} value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={260} />
          <Select label="Provider" placeholder="Any provider" clearable searchable data={(providers.data?.providers ?? []).map((p) => ({ value: p.id, label: p.name }))} value={provider} onChange={setProvider} w={200} />
          <Select label="Tag" placeholder="Any tag" clearable data={tags} value={tag} onChange={setTag} w={160} />
          <LabelledSegments
            label="Status"
            value={status}
            onChange={setStatus}
            data={[
              { value: "all", label: "All" },
              { value: "true", label: "Enabled" },
              { value: "false", label: "Disabled" },
            ]}
          />
        </Group>
      </Paper>
      {canWrite && visibleSelected.length > 0 && (
        <Paper withBorder p="sm" mb="md" bg="indigo.0" role="region" aria-label="Bulk actions">
          <Group>
            <Text size="sm" fw={500}>
              {visibleSelected.length} selected
            </Text>
            <Button size="xs" onClick={() => runBulk("enable")} loading={bulk.isPending}>
              Enable selected
            </Button>
            <Button size="xs" variant="default" onClick={() => runBulk("disable")} loading={bulk.isPending}>
              Disable selected
            </Button>
            <Button size="xs" variant="subtle" onClick={() => setSelected(new Set())}>
              Clear selection
            </Button>
          </Group>
        </Paper>
      )}
      <QueryState query={agents}>
        {() => (
          <ListTable
            minWidth={900}
            striped
            highlightOnHover
            verticalSpacing="xs"
            aria-label="Voice agents"
            columns={[
              canWrite && {
                w: 40,
                label: <Checkbox aria-label="Select all shown agents" checked={allChecked} indeterminate={visibleSelected.length > 0 && !allChecked} onChange={(e) => setSelected(e.currentTarget.checked ? new Set(items.map((a) => a.id)) : new Set())} />,
              },
              "Name",
              "Provider",
              "Number / URI",
              "Enabled",
              "Health",
              "Live calls",
              "Utilisation",
              "Tags",
            ]}
            actions={canWrite}
            rows={items}
            empty={q || provider || tag || status !== "all" ? "No agent matches these filters." : "No voice agents yet."}
          >
            {(agent) => {
              const calls = live.byAgent.get(agent.id) ?? 0;
              const utilisation = agent.maxConcurrentCalls ? Math.min(100, (calls / agent.maxConcurrentCalls) * 100) : null;
              return (
                <Table.Tr key={agent.id}>
                  {canWrite && (
                    <Table.Td>
                      <Checkbox aria-label={`Select ${agent.name}`} checked={selected.has(agent.id)} onChange={(e) => toggleRow(agent.id, e.currentTarget.checked)} />
                    </Table.Td>
                  )}
                  <Table.Td>
                    <Anchor component={Link} to={itemPath(ROUTE_VOICE_AGENTS, agent.id)} fw={500}>
                      {agent.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{providerName(agent.provider)}</Table.Td>
                  <Table.Td className="mono">{agent.serviceValue}</Table.Td>
                  <Table.Td>
                    <OptimisticSwitch checked={agent.enabled} label={`${agent.name} enabled`} save={(enabled) => toggle.mutateAsync({ id: agent.id, enabled })} />
                  </Table.Td>
                  <Table.Td>
                    <HealthBadge agentId={agent.id} />
                  </Table.Td>
                  <Table.Td>{calls}</Table.Td>
                  <Table.Td miw={120}>
                    {utilisation === null ? (
                      <Text size="sm" c="dimmed">
                        {calls} / no limit
                      </Text>
                    ) : (
                      <Tooltip label={`${calls} of ${agent.maxConcurrentCalls} concurrent calls`}>
                        <Progress value={utilisation} color={utilisation >= 90 ? "red" : utilisation >= 70 ? "yellow" : "teal"} aria-label={`${agent.name} utilisation ${Math.round(utilisation)}%`} />
                      </Tooltip>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {agent.tags.map((t) => (
                        <Badge key={t} variant="outline" color="gray" size="sm">
                          {t}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  {canWrite && <DeleteCell label={`Delete ${agent.name}`} title={`Delete ${agent.name}?`} body="Rules that target it must be changed first." onConfirm={() => remove.mutate(agent.id)} />}
                </Table.Tr>
              );
            }}
          </ListTable>
        )}
      </QueryState>
    </>
  );
}
