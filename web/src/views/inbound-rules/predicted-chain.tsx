import { Badge, Code, Group, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { useGroups } from "../../api/agent-groups";
import type { Explanation } from "../../api/routing";
import { ChainWaitItem } from "./chain-wait";

type Chain = Explanation["chain"];
type Attempt = Chain["attempts"][number];

const VIA: Record<Attempt["via"], string> = {
  service: "Provider service",
  sip: "SIP URI",
  stream: "WebSocket stream",
  number: "Phone number",
};

const KIND: Record<Attempt["kind"], string> = { agent: "Agent", trunk: "Trunk", person: "Person" };

/** "no limit", "600 s (10 min)". */
export const timeLimitText = (seconds: number | null) => (seconds === null ? "no limit" : seconds % 60 === 0 ? `${seconds} s (${seconds / 60} min)` : `${seconds} s`);

function Cxml({ label, children }: { label: string; children: string }) {
  return (
    <Code block tabIndex={0} aria-label={label} style={{ whiteSpace: "pre-wrap", wordBreak: "break-all" }}>
      {children}
    </Code>
  );
}

function Headers({ attempt }: { attempt: Attempt }) {
  const noun = attempt.via === "stream" ? "stream parameters" : "headers";
  if (attempt.context.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No {noun} sent
      </Text>
    );
  }
  return (
    <Table aria-label={`${noun[0]!.toUpperCase()}${noun.slice(1)} of attempt ${attempt.n}`} withRowBorders={false} verticalSpacing={2}>
      <Table.Tbody>
        {attempt.context.map((entry) => (
          <Table.Tr key={entry.name}>
            <Table.Td className="mono" w="35%">
              {entry.name}
            </Table.Td>
            <Table.Td className="mono">{entry.value}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/**
 * What the call would do were every attempt to fail: each attempt in order, with how Cloudonix
 * reaches the target, the headers and time limit it gets and its exact CXML, then the final end.
 */
export function PredictedChain({ chain }: { chain: Chain }) {
  const groups = useGroups();
  const groupName = (id: string) => groups.data?.items.find((g) => g.id === id)?.name ?? id;
  const waitsBefore = (n: number) => chain.waits.filter((w) => w.beforeAttempt === n);
  // A wait after the last attempt holds the caller before the end.
  const waitsAtEnd = chain.waits.filter((w) => w.beforeAttempt > chain.attempts.length);
  return (
    <Paper withBorder p="md" data-testid="routing-chain">
      <Title order={3} size="h5">
        Predicted chain
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        What the call would do were every attempt to fail (no answer) and every wait last to its maximum, from the same counters: each wait and attempt in order, then the end.
      </Text>
      <Stack component="ol" gap="sm" p={0} m={0} style={{ listStyle: "none" }}>
        {chain.attempts.flatMap((attempt) => [
          ...waitsBefore(attempt.n).map((wait) => <ChainWaitItem key={`wait-${wait.beforeAttempt}-${wait.stage}`} wait={wait} chain={chain} />),
          <Paper component="li" withBorder p="sm" key={attempt.n} data-testid="chain-attempt" aria-label={`Attempt ${attempt.n}: ${attempt.targetName}`}>
            <Group gap="xs" mb={4}>
              <Text fw={600}>
                {attempt.n}. {attempt.targetName}
              </Text>
              <Badge variant="light">{KIND[attempt.kind]}</Badge>
              <Badge variant="outline" color="gray">
                {VIA[attempt.via]}
              </Badge>
            </Group>
            <Text size="sm">
              <span className="mono">{attempt.address}</span>
              {attempt.provider && attempt.via === "service" && ` · ${attempt.provider}`}
              {attempt.groupId && ` · group ${groupName(attempt.groupId)}`}
              {` · ${attempt.stage}`}
            </Text>
            <Text size="sm" mb={4}>
              Time limit: {timeLimitText(attempt.timeLimitSec)}
            </Text>
            <Headers attempt={attempt} />
            <Cxml label={`CXML of attempt ${attempt.n}`}>{attempt.cxml}</Cxml>
          </Paper>,
        ])}
        {waitsAtEnd.map((wait) => (
          <ChainWaitItem key={`wait-${wait.beforeAttempt}-${wait.stage}`} wait={wait} chain={chain} />
        ))}
        <Paper component="li" withBorder p="sm" data-testid="chain-end" aria-label={`Then: ${chain.end.label}`}>
          <Group gap="xs" mb={4}>
            <Text fw={600}>
              {chain.attempts.length || chain.waits.length ? "Then" : "At once"}: {chain.end.label}
            </Text>
            <Badge variant="light" color="orange">
              {chain.end.action}
            </Badge>
          </Group>
          <Cxml label="CXML of the end">{chain.end.cxml}</Cxml>
        </Paper>
      </Stack>
    </Paper>
  );
}
