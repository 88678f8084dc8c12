import { Link, useParams } from "react-router";
import { Anchor, Code, Group, Paper, SimpleGrid, Stack, Table, Text, Timeline, Title } from "@mantine/core";
import { useRecord, type CallRecordDetail } from "../../api/call-records";
import { PageHeader, QueryState } from "../../components/page";
import { dateTime, duration, time } from "../../lib/format";
import { itemPath, ROUTE_AGENT_GROUPS, ROUTE_CALL_RECORDS, ROUTE_INBOUND_RULES, ROUTE_VOICE_AGENTS } from "../../routes";
import { CallStatus } from "./status";

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm">{children}</Text>
    </div>
  );
}

const cell = (value: unknown) => (value === null || value === undefined ? "—" : typeof value === "object" ? JSON.stringify(value) : String(value));

function Attempts({ attempts }: { attempts: CallRecordDetail["attempts"] }) {
  const columns = [...new Set(attempts.flatMap((a) => Object.keys(a)))].slice(0, 8);
  if (attempts.length === 0) return <Text size="sm" c="dimmed">No dial attempts.</Text>;
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table aria-label="Attempts">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            {columns.map((c) => (
              <Table.Th key={c}>{c}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {attempts.map((a, i) => (
            <Table.Tr key={i}>
              <Table.Td>{i + 1}</Table.Td>
              {columns.map((c) => (
                <Table.Td key={c} className="mono">
                  {/At$/.test(c) && typeof a[c] === "string" ? time(a[c] as string) : typeof a[c] === "number" && /At$/.test(c) ? time(a[c] as number) : cell(a[c])}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export default function CallRecordDetailView() {
  const { id = "" } = useParams();
  const record = useRecord(id);
  const r = record.data;
  return (
    <>
      <PageHeader title={r ? `Call ${r.from} → ${r.to}` : "Call"} description={r ? `${r.direction} · ${r.callId}` : undefined} actions={<Anchor component={Link} to={ROUTE_CALL_RECORDS}>Back to call records</Anchor>} />
      <QueryState isLoading={record.isLoading} error={record.error} retry={() => void record.refetch()} />
      {r && (
        <Stack>
          <Paper withBorder p="md">
            <SimpleGrid cols={{ base: 2, sm: 4 }}>
              <Fact label="Status">
                <CallStatus status={r.status} />
              </Fact>
              <Fact label="Started">{dateTime(r.startedAt)}</Fact>
              <Fact label="Answered">{dateTime(r.answeredAt)}</Fact>
              <Fact label="Ended">{dateTime(r.endedAt)}</Fact>
              <Fact label="Duration">{duration(r.durationSec)}</Fact>
              <Fact label="Disposition">{r.disposition ?? "—"}</Fact>
              <Fact label="End reason">{r.endReason ?? "—"}</Fact>
              <Fact label="Attempts">{r.attemptCount}</Fact>
              <Fact label="Rule">{r.rule ? <Anchor component={Link} to={itemPath(ROUTE_INBOUND_RULES, r.rule.id)}>{r.rule.name ?? r.rule.id}</Anchor> : "—"}</Fact>
              <Fact label="Group">{r.group ? <Anchor component={Link} to={itemPath(ROUTE_AGENT_GROUPS, r.group.id)}>{r.group.name ?? r.group.id}</Anchor> : "—"}</Fact>
              <Fact label="Agent">{r.agent ? <Anchor component={Link} to={itemPath(ROUTE_VOICE_AGENTS, r.agent.id)}>{r.agent.name ?? r.agent.id}</Anchor> : "—"}</Fact>
              <Fact label="Trunk">{r.trunk?.name ?? "—"}</Fact>
            </SimpleGrid>
          </Paper>
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            <Paper withBorder p="md">
              <Title order={2} size="h4" mb="sm">
                Timeline
              </Title>
              {r.events.length === 0 ? (
                <Text size="sm" c="dimmed">
                  No events recorded.
                </Text>
              ) : (
                <Timeline active={r.events.length - 1} bulletSize={14} lineWidth={2}>
                  {r.events.map((e) => (
                    <Timeline.Item key={e.seq} title={e.type}>
                      <Text size="xs" c="dimmed">
                        {time(e.at)}
                      </Text>
                      {Object.keys(e.data).length > 0 && (
                        <Text size="xs" className="mono" lineClamp={2}>
                          {Object.entries(e.data)
                            .filter(([, v]) => v !== null && typeof v !== "object")
                            .slice(0, 5)
                            .map(([k, v]) => `${k}: ${String(v)}`)
                            .join(" · ")}
                        </Text>
                      )}
                    </Timeline.Item>
                  ))}
                </Timeline>
              )}
            </Paper>
            <Paper withBorder p="md">
              <Title order={2} size="h4" mb="sm">
                Attempts
              </Title>
              <Attempts attempts={r.attempts} />
            </Paper>
          </SimpleGrid>
          <Paper withBorder p="md">
            <Group justify="space-between" mb="sm">
              <Title order={2} size="h4">
                Routing trace
              </Title>
            </Group>
            {r.routing ? (
              <Code block style={{ maxHeight: 420, overflow: "auto" }} tabIndex={0} aria-label="Routing trace">
                {JSON.stringify(r.routing, null, 2)}
              </Code>
            ) : (
              <Text size="sm" c="dimmed">
                No routing decision was recorded.
              </Text>
            )}
          </Paper>
        </Stack>
      )}
    </>
  );
}
