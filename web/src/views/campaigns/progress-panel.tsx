import { Badge, Group, Paper, Progress, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import type { CampaignProgress } from "../../api/campaigns";

const STATUS_COLOR: Record<CampaignProgress["status"], string> = { draft: "gray", running: "teal", paused: "orange", stopped: "red", completed: "blue" };

export function StatusBadge({ status }: { status: CampaignProgress["status"] }) {
  return (
    <Badge variant="light" color={STATUS_COLOR[status]}>
      {status}
    </Badge>
  );
}

function Figure({ label, value, hint }: { label: string; value: number | string; hint?: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={700} aria-label={`${label}: ${value}`}>
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Stack>
  );
}

/** The campaign's live figures: what was dialled and how it went, what is left, and how fast. */
export function ProgressPanel({ progress }: { progress: CampaignProgress }) {
  const done = progress.contacts - progress.doNotCall - progress.remaining - progress.inProgress;
  const callable = Math.max(1, progress.contacts - progress.doNotCall);
  const load = progress.maxConcurrent ? Math.min(100, (progress.inProgress / progress.maxConcurrent) * 100) : 0;
  return (
    <Paper withBorder p="lg" aria-label="Progress">
      <Stack gap="md">
        <Group justify="space-between">
          <Title order={2} size="h4">
            Progress
          </Title>
          <StatusBadge status={progress.status} />
        </Group>
        {progress.lastError && (
          <Text c="red" size="sm" role="alert">
            Paused by the router: {progress.lastError}
          </Text>
        )}
        {progress.heldByAccount && (
          <Text c="orange" size="sm" role="status">
            Held back by the provider account: {progress.accountFree ?? 0} {progress.accountFree === 1 ? "slot is" : "slots are"} free for new calls; other calls (inbound among them) use the rest, so fewer people are dialled than the campaign's limits allow.
          </Text>
        )}
        <Progress value={(Math.max(0, done) / callable) * 100} aria-label={`${Math.max(0, done)} of ${callable} contacts done`} />
        <SimpleGrid cols={{ base: 2, sm: 4 }}>
          <Figure label="Dialled" value={progress.dialled} hint="calls placed" />
          <Figure label="Answered" value={progress.answered} />
          <Figure label="No answer" value={progress.noAnswer} />
          <Figure label="Busy" value={progress.busy} />
          <Figure label="Failed" value={progress.failed} />
          <Figure label="Remaining" value={progress.remaining} hint="contacts still to call" />
          <Figure label="In progress" value={`${progress.inProgress} / ${progress.maxConcurrent}`} hint="calls now, of the limit" />
          <Figure label="Rate" value={`${progress.ratePerMinute}/min`} hint={`limit ${progress.callsPerMinute}/min`} />
          {typeof progress.accountFree === "number" && <Figure label="Account slots" value={progress.accountFree} hint="free for new calls, at the last dial" />}
        </SimpleGrid>
        <Progress value={load} color={load >= 100 ? "orange" : "teal"} aria-label={`${progress.inProgress} of ${progress.maxConcurrent} calls in progress`} size="sm" />
        <Text size="sm" c="dimmed">
          {progress.contacts.toLocaleString()} contacts: {progress.reached.toLocaleString()} reached; attempts used up after busy {progress.exhausted.busy}, no answer {progress.exhausted.noAnswer}, failed {progress.exhausted.failed}; {progress.doNotCall} on
          the do-not-call list (never dialled).
        </Text>
      </Stack>
    </Paper>
  );
}
