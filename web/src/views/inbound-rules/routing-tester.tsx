import { Alert, Badge, Button, Code, Group, Paper, Stack, Text, Textarea, TextInput, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { ExplainBody } from "../../../../workers/schemas/routing";
import { messageOf } from "../../api/errors";
import { useExplain, type ExplainInput, type Explanation } from "../../api/routing";
import { LabelledSegments } from "../../components/labelled-segments";
import { PageHeader } from "../../components/page";
import { RoutingTrace, type TraceView } from "../../components/routing-trace";
import { zodValidate } from "../../lib/zod-form";
import { parseHeaderLines } from "./header-lines";
import { afterWaitText, waitLimitText } from "./chain-wait";
import { PredictedChain, timeLimitText } from "./predicted-chain";

const ACTIONS: Record<string, string> = {
  dial_agent: "Dial an agent",
  dial_trunk: "Dial out a trunk",
  dial_person: "Dial a person",
  wait: "Hold in a waiting room",
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
            {decision.person && (
              <Text size="sm" className="mono">
                {decision.person.target}
              </Text>
            )}
            {decision.wait && (
              <Text size="sm">
                Waits in the group's waiting room (every agent is full): #{decision.wait.position} in line, up to {waitLimitText(decision.wait.maxWaitSec)}, then {afterWaitText(result.chain, 1)}.
              </Text>
            )}
            {decision.action.startsWith("dial") && (
              <Text size="sm" c="dimmed">
                Time limit: {timeLimitText(decision.timeLimitSec)} · {decision.context.length ? `${decision.context.length} header${decision.context.length === 1 ? "" : "s"} sent` : "no headers sent"}
              </Text>
            )}
          </div>
          <Badge size="lg" variant="light" color={decision.action.startsWith("dial") ? "teal" : "orange"}>
            {decision.action}
          </Badge>
        </Group>
      </Paper>
      <PredictedChain chain={result.chain} />
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

type Values = Required<Omit<ExplainInput, "time" | "headers">> & { headers: string; when: string };

/** The request: carrier headers only when some are typed. */
function explainBody({ headers, when, ...call }: Values): ExplainInput {
  const parsed = parseHeaderLines(headers);
  // A datetime-local value is the browser's local time; the API takes an instant.
  const at = when ? new Date(when) : null;
  return { ...call, ...(Object.keys(parsed.headers).length ? { headers: parsed.headers } : {}), ...(at && !Number.isNaN(at.getTime()) ? { time: at.toISOString() } : {}) };
}

/** The API's own checks, with every header problem (and an unreadable line) shown on the headers field. */
function validate(values: Values): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [path, message] of Object.entries(zodValidate(ExplainBody, explainBody)(values))) {
    errors[path.startsWith("headers") ? "headers" : path] ??= message;
  }
  const lines = parseHeaderLines(values.headers).error;
  if (lines) errors.headers = lines;
  return errors;
}

/** POST /api/routing/explain: what a call would do, and why, without counting it. */
export default function RoutingTester() {
  const explain = useExplain();
  const form = useForm<Values>({
    initialValues: { from: "+14155550100", to: "", direction: "auto", headers: "", when: "" },
    validate,
  });
  return (
    <>
      <PageHeader title="Routing tester" description="Explains the decision for a hypothetical call against the saved configuration; no counter changes" />
      <Paper withBorder p="md" mb="lg">
        <form onSubmit={form.onSubmit((values) => explain.mutate(explainBody(values)))} noValidate aria-label="Test a call">
          <Group align="flex-end" wrap="wrap">
            <TextInput label="From (caller)" {...form.getInputProps("from")} w={200} />
            <TextInput label="To (called number)" required placeholder="+18005550199" {...form.getInputProps("to")} w={200} />
            <LabelledSegments
              label="Direction"
              data={[
                { value: "auto", label: "Auto" },
                { value: "inbound", label: "Inbound" },
                { value: "outbound", label: "Outbound" },
                { value: "outbound-api", label: "API call" },
              ]}
              {...form.getInputProps("direction")}
            />
            <TextInput type="datetime-local" label="When (your time; empty: now)" title="Rules with a schedule route by it" {...form.getInputProps("when")} w={230} />
            <Button type="submit" loading={explain.isPending}>
              Explain
            </Button>
          </Group>
          <Textarea
            label="Carrier headers (optional)"
            description="The carrier's SIP headers the call would carry, one Name: value a line: header conditions and the routing-number header read them"
            placeholder={"A2B-DNID: 18005550123\nX-Tenant: 42"}
            autosize
            minRows={2}
            maxRows={8}
            // Only what is typed is monospace, not the label and its help.
            classNames={{ input: "mono" }}
            mt="sm"
            maw={520}
            {...form.getInputProps("headers")}
          />
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
