import { Badge, List, Paper, SimpleGrid, Table, Text, Timeline, Title } from "@mantine/core";
import { IconCircleCheck, IconCircleDashed, IconCircleX } from "@tabler/icons-react";
import { useTrunks } from "../api/trunks";
import { useAgents } from "../api/voice-agents";
import { patternText } from "../lib/format";

/** One stage of a route: a group's pick, the rule's trunks, or the clean end. */
export interface TraceStage {
  label: string;
  kind?: string;
  reached: boolean;
  /** The agent (or, for trunk stages, the trunk) chosen; null when none was. */
  chosen: string | null;
  /** Who would be tried next, in order. */
  candidates: string[];
  skipped: { agentId: string; reason: string }[];
  /** The group's waiting line when it was full: callers ahead, and the place this call takes (null: it would not wait). */
  line?: { ahead: number; position: number | null } | null;
}

/** What the routing tester's explanation and a call record's trace have in common. */
export interface TraceView {
  rulesTried: { ruleId?: string; pattern?: string; result?: string; detail?: string }[];
  stages: TraceStage[];
  /** Anything else the router wrote down (notes, refused webhooks). */
  notes: string[];
}

const reason = (text: string) => text.replaceAll("_", " ");

/** "2 callers waiting ahead · this call #3 in line"; nothing when nobody waits and the call would not. */
function lineText(line: TraceStage["line"]): string | null {
  if (!line || (line.ahead === 0 && line.position === null)) return null;
  const ahead = line.ahead === 0 ? "No caller waiting ahead" : `${line.ahead} caller${line.ahead === 1 ? "" : "s"} waiting ahead`;
  return `${ahead} · ${line.position === null ? "no waiting room, so this call does not wait" : `this call #${line.position} in line`}`;
}

/** The rules a call was matched against and each stage of its route, by name. */
export function RoutingTrace({ trace }: { trace: TraceView }) {
  const agents = useAgents({});
  const trunks = useTrunks();
  const agentName = (id: string) => agents.data?.items.find((a) => a.id === id)?.name ?? id;
  const trunkName = (id: string) => trunks.data?.items.find((t) => t.id === id)?.name ?? id;
  const nameIn = (stage: TraceStage) => (stage.kind === "trunks" ? trunkName : agentName);
  return (
    <>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper withBorder p="md">
          <Title order={3} size="h5" mb="sm">
            Rules tried
          </Title>
          {trace.rulesTried.length === 0 ? (
            <Text size="sm" c="dimmed">
              No rule was consulted.
            </Text>
          ) : (
            <Table aria-label="Rules tried">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Rule</Table.Th>
                  <Table.Th>Result</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {trace.rulesTried.map((r, i) => (
                  <Table.Tr key={r.ruleId ?? i}>
                    <Table.Td className="mono">{patternText(r.pattern)}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={r.result === "matched" ? "teal" : "gray"}>
                        {reason(r.result ?? "")}
                      </Badge>
                      {r.detail && (
                        <Text size="xs" c="dimmed">
                          {r.detail}
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Paper>
        <Paper withBorder p="md">
          <Title order={3} size="h5" mb="sm">
            Stages
          </Title>
          {trace.stages.length === 0 ? (
            <Text size="sm" c="dimmed">
              No stage was reached.
            </Text>
          ) : (
            <Timeline bulletSize={22} lineWidth={2} active={trace.stages.filter((s) => s.reached).length - 1} aria-label="Stages">
              {trace.stages.map((stage, i) => {
                const name = nameIn(stage);
                const line = lineText(stage.line);
                return (
                  <Timeline.Item
                    key={i}
                    bullet={stage.chosen ? <IconCircleCheck size={14} aria-hidden /> : stage.reached ? <IconCircleX size={14} aria-hidden /> : <IconCircleDashed size={14} aria-hidden />}
                    title={stage.kind ? `${stage.label} (${stage.kind})` : stage.label}
                  >
                    <Text size="sm">{!stage.reached ? "Not reached" : stage.chosen ? `Chose ${name(stage.chosen)}` : stage.kind === "end" ? "End of the chain" : "Nothing eligible"}</Text>
                    {stage.candidates.length > 0 && (
                      <Text size="xs" c="dimmed">
                        Then: {stage.candidates.map(name).join(", ")}
                      </Text>
                    )}
                    {stage.skipped.map((s) => (
                      <Text size="xs" c="dimmed" key={s.agentId}>
                        Skipped {agentName(s.agentId)}: {reason(s.reason)}
                      </Text>
                    ))}
                    {line && (
                      <Text size="xs" c="dimmed" data-testid="stage-line">
                        {line}
                      </Text>
                    )}
                  </Timeline.Item>
                );
              })}
            </Timeline>
          )}
        </Paper>
      </SimpleGrid>
      {trace.notes.length > 0 && (
        <Paper withBorder p="md">
          <Title order={3} size="h5" mb="sm">
            Notes
          </Title>
          <List size="sm">
            {trace.notes.map((note, i) => (
              <List.Item key={i}>{note}</List.Item>
            ))}
          </List>
        </Paper>
      )}
    </>
  );
}
