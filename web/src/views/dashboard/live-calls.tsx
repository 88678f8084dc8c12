import { useEffect, useState } from "react";
import { Badge, Group, Paper, ScrollArea, Table, Title } from "@mantine/core";
import { useGroups } from "../../api/agent-groups";
import { useAgents } from "../../api/voice-agents";
import { DataTable } from "../../components/data-table";
import { useRealtime } from "../../realtime/provider";
import { duration } from "../../lib/format";
import { CallAnnouncer } from "./call-announcer";

/** Calls in progress, from the realtime registry: rows appear, change and leave without a refresh. */
export function LiveCallsPanel() {
  const { calls, recent, state } = useRealtime();
  const agents = useAgents({});
  const groups = useGroups();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const list = [...calls.values()].sort((a, b) => b.startedAt - a.startedAt);
  const waiting = list.filter((call) => call.waiting).length;
  const agentName = (id: string | null) => (id ? (agents.data?.items.find((a) => a.id === id)?.name ?? id) : "—");
  const groupName = (id: string | null) => (id ? (groups.data?.items.find((g) => g.id === id)?.name ?? id) : "—");
  return (
    <Paper withBorder p="md">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          Live calls
        </Title>
        <Group gap="xs">
          {waiting > 0 && (
            <Badge variant="light" color="orange" data-testid="waiting-count">
              {waiting} waiting
            </Badge>
          )}
          <Badge variant="light" color={state === "open" ? "teal" : "gray"} data-testid="live-count">
            {list.length} live
          </Badge>
        </Group>
      </Group>
      <ScrollArea.Autosize mah={360} viewportProps={{ tabIndex: 0 }}>
        <DataTable aria-label="Live calls" data-testid="live-calls" columns={["From", "To", "State", "Agent", "Group", "Attempt", "Elapsed"]} rows={list} empty="No calls in progress." dense>
          {(call) => (
            <Table.Tr key={call.callId} className={recent.has(call.callId) ? "row-live" : undefined} data-testid="live-call">
              <Table.Td className="mono">{call.from}</Table.Td>
              <Table.Td className="mono">{call.to}</Table.Td>
              <Table.Td>
                {call.waiting ? (
                  <Badge variant="light" color="orange" title={`In the waiting room for ${duration((now - call.waiting.since) / 1000)}`}>
                    waiting · #{call.waiting.position} in line
                  </Badge>
                ) : (
                  <Badge variant="light" color={call.state === "connected" ? "teal" : "indigo"}>
                    {call.state}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>{agentName(call.agentId)}</Table.Td>
              <Table.Td>{groupName(call.groupId)}</Table.Td>
              <Table.Td>{call.attempt}</Table.Td>
              <Table.Td>{duration((now - call.startedAt) / 1000)}</Table.Td>
            </Table.Tr>
          )}
        </DataTable>
      </ScrollArea.Autosize>
      <CallAnnouncer calls={calls} recent={recent} />
    </Paper>
  );
}
