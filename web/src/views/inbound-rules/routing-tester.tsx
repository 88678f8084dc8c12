import { Alert, Badge, Button, Code, Group, Paper, Stack, Text, TextInput, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { ExplainBody } from "../../../../workers/schemas/routing";
import { messageOf } from "../../api/errors";
import { useExplain, type ExplainInput, type Explanation } from "../../api/routing";
import { LabelledSegments } from "../../components/labelled-segments";
import { PageHeader } from "../../components/page";
import { RoutingTrace, type TraceView } from "../../components/routing-trace";
import { zodValidate } from "../../lib/zod-form";

const ACTIONS: Record<string, string> = {
  dial_agent: "Dial an agent",
  dial_trunk: "Dial out a trunk",
  hangup: "Hang up",
  reject: "Reject",
  announcement: "Play an announcement",
};

/** The explanation's trace in the shape the shared trace view reads. */
const traceView = (trace: Explanation["trace"]): TraceView => ({
  rulesTried: trace.rulesTried as TraceView["rulesTried"],
  stages: trace.stages,
  notes: Array.isArray(trace.notes) ? trace.notes.filter((n): n is string => typeof n === "string") : [],
});

function Decision({ result }: { result: Explanation }) {
  const { decision, trace } = result;
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
      <RoutingTrace trace={traceView(trace)} />
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
  const form = useForm<Required<Omit<ExplainInput, "time">>>({
    initialValues: { from: "+14155550100", to: "", direction: "auto" },
    validate: zodValidate(ExplainBody),
  });
  return (
    <>
      <PageHeader title="Routing tester" description="Explains the decision for a hypothetical call against the saved configuration; no counter changes" />
      <Paper withBorder p="md" mb="lg">
        <form onSubmit={form.onSubmit((values) => explain.mutate(values))} noValidate aria-label="Test a call">
          <Group align="flex-end" wrap="wrap">
            <TextInput label="From (caller)" {...form.getInputProps("from")} w={200} />
            <TextInput label="To (called number)" required placeholder="+18005550199" {...form.getInputProps("to")} w={200} />
            <LabelledSegments
              label="Direction"
              data={[
                { value: "auto", label: "Auto" },
                { value: "inbound", label: "Inbound" },
                { value: "outbound", label: "Outbound" },
              ]}
              {...form.getInputProps("direction")}
            />
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
