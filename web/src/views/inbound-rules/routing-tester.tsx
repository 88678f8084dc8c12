import { Alert, Badge, Button, Code, Group, Paper, SegmentedControl, SimpleGrid, Stack, Table, Text, TextInput, Timeline, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { IconCircleCheck, IconCircleDashed, IconCircleX } from "@tabler/icons-react";
import { messageOf } from "../../api/errors";
import { useExplain, type ExplainInput, type Explanation } from "../../api/routing";
import { useAgents } from "../../api/voice-agents";
import { PageHeader } from "../../components/page";

const ACTIONS: Record<string, string> = {
  dial_agent: "Dial an agent",
  dial_trunk: "Dial out a trunk",
  hangup: "Hang up",
  reject: "Reject",
  announcement: "Play an announcement",
};

interface TriedRule {
  ruleId?: string;
  pattern?: string;
  result?: string;
}

const display = (pattern: string | undefined) => (!pattern ? "" : pattern === "*" ? "*" : `+${pattern.replace(/^\+/, "")}`);

function Decision({ result }: { result: Explanation }) {
  const { decision, trace } = result;
  const agents = useAgents({});
  const name = (id: string) => agents.data?.items.find((a) => a.id === id)?.name ?? id;
  const stages = trace.stages;
  const rulesTried = trace.rulesTried as TriedRule[];
  return (
    <Stack>
      <Paper withBorder p="md" data-testid="routing-decision">
        <Group justify="space-between">
          <div>
            <Text size="sm" c="dimmed">
              Decision ({trace.direction}
              {typeof trace.directionReason === "string" ? `: ${trace.directionReason}` : ""})
            </Text>
            <Title order={2} size="h3">
              {ACTIONS[decision.action] ?? decision.action}
              {decision.agent && `: ${decision.agent.name}`}
              {decision.trunk && `: ${decision.trunk.name}`}
            </Title>
            {decision.agent && (
              <Text size="sm" className="mono">
                {decision.agent.provider} · {decision.agent.serviceValue}
              </Text>
            )}
          </div>
          <Badge size="lg" variant="light" color={decision.action.startsWith("dial") ? "teal" : "orange"}>
            {decision.action}
          </Badge>
        </Group>
      </Paper>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper withBorder p="md">
          <Title order={3} size="h5" mb="sm">
            Rules tried
          </Title>
          {rulesTried.length === 0 ? (
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
                {rulesTried.map((r, i) => (
                  <Table.Tr key={r.ruleId ?? i}>
                    <Table.Td className="mono">{display(r.pattern)}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={r.result === "matched" ? "teal" : "gray"}>
                        {(r.result ?? "").replaceAll("_", " ")}
                      </Badge>
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
          <Timeline bulletSize={22} lineWidth={2} active={stages.filter((s) => s.reached).length - 1}>
            {stages.map((stage, i) => (
              <Timeline.Item
                key={i}
                bullet={stage.chosen ? <IconCircleCheck size={14} aria-hidden /> : stage.reached ? <IconCircleX size={14} aria-hidden /> : <IconCircleDashed size={14} aria-hidden />}
                title={`${stage.label} (${stage.kind})`}
              >
                <Text size="sm">{!stage.reached ? "Not reached" : stage.chosen ? `Chose ${name(stage.chosen)}` : stage.kind === "end" ? "End of the chain" : "Nothing eligible"}</Text>
                {stage.candidates.length > 0 && (
                  <Text size="xs" c="dimmed">
                    Then: {stage.candidates.map(name).join(", ")}
                  </Text>
                )}
                {stage.skipped.map((s) => (
                  <Text size="xs" c="dimmed" key={s.agentId}>
                    Skipped {name(s.agentId)}: {s.reason}
                  </Text>
                ))}
              </Timeline.Item>
            ))}
          </Timeline>
        </Paper>
      </SimpleGrid>
      <Paper withBorder p="md">
        <Title order={3} size="h5" mb="sm">
          CXML a real call would get
        </Title>
        <Code block tabIndex={0} aria-label="CXML" style={{ whiteSpace: "pre-wrap", wordBreak: "break-all" }}>
          {decision.cxml}
        </Code>
      </Paper>
    </Stack>
  );
}

/** POST /api/routing/explain: what a call would do, and why, without counting it. */
export default function RoutingTester() {
  const explain = useExplain();
  const form = useForm<Required<ExplainInput>>({
    initialValues: { from: "+14155550100", to: "", direction: "auto" },
    validate: { to: (v) => (v.trim() ? null : "Enter the number being called") },
  });
  return (
    <>
      <PageHeader title="Routing tester" description="Explains the decision for a hypothetical call against the saved configuration; no counter changes" />
      <Paper withBorder p="md" mb="lg">
        <form onSubmit={form.onSubmit((values) => explain.mutate(values))} noValidate aria-label="Test a call">
          <Group align="flex-end" wrap="wrap">
            <TextInput label="From (caller)" {...form.getInputProps("from")} w={200} />
            <TextInput label="To (called number)" required placeholder="+18005550199" {...form.getInputProps("to")} w={200} />
            <div>
              <Text size="sm" fw={500} mb={4} id="direction-label">
                Direction
              </Text>
              <SegmentedControl
                aria-labelledby="direction-label"
                data={[
                  { value: "auto", label: "Auto" },
                  { value: "inbound", label: "Inbound" },
                  { value: "outbound", label: "Outbound" },
                ]}
                {...form.getInputProps("direction")}
              />
            </div>
            <Button type="submit" loading={explain.isPending}>
              Explain
            </Button>
          </Group>
        </form>
      </Paper>
      {explain.error && (
        <Alert color="red" title="Could not explain" role="alert" mb="md">
          {messageOf(explain.error)}
        </Alert>
      )}
      {explain.data && <Decision result={explain.data} />}
    </>
  );
}
