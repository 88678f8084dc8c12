import { useState } from "react";
import { Badge, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { wallToUtc } from "../../../../workers/domain/schedules";
import { useScheduleStatus, type ScheduleStatus } from "../../api/schedules";
import { QueryState } from "../../components/page";
import { clockChangeText, dayLabel, intervalText, nowText, ruleText } from "./status-text";

/** Open or closed, as a badge. */
export function OpenBadge({ open }: { open: boolean }) {
  return (
    <Badge variant="light" color={open ? "teal" : "gray"}>
      {open ? "Open" : "Closed"}
    </Badge>
  );
}

/** Noon of a local date in the zone, as an instant: the week from that date. */
const noonOf = (date: string, timeZone: string) => new Date(wallToUtc(Date.parse(`${date}T12:00:00Z`), timeZone)).toISOString();

/** A saved schedule's state now (or at noon of a chosen date), why, and the 7 days from then. */
export function SchedulePreview({ id, timezone }: { id: string; timezone: string }) {
  const [date, setDate] = useState("");
  const at = /^\d{4}-\d{2}-\d{2}$/.test(date) ? noonOf(date, timezone) : null;
  const status = useScheduleStatus(id, at);
  return (
    <Paper withBorder p="lg" maw={820} aria-label="Schedule preview" component="section">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end" wrap="wrap">
          <Title order={2} size="h4">
            {at ? `At noon on ${dayLabel(date)}` : "Now and the next 7 days"}
          </Title>
          <Group gap="xs" align="flex-end">
            <TextInput type="date" label="Preview the week from" size="xs" value={date} onChange={(e) => setDate(e.currentTarget.value)} />
            {at && (
              <Button size="xs" variant="subtle" onClick={() => setDate("")}>
                Now
              </Button>
            )}
          </Group>
        </Group>
        <Text size="xs" c="dimmed">
          As saved, in {timezone}.
        </Text>
        <QueryState query={status}>{(data) => <StatusView status={data} subject={at ? "then" : "now"} />}</QueryState>
      </Stack>
    </Paper>
  );
}

export function StatusView({ status, subject = "now" }: { status: ScheduleStatus; subject?: string }) {
  return (
    <Stack gap="sm">
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <OpenBadge open={status.open} />
        <Stack gap={0}>
          <Text fw={600} data-testid="schedule-now">
            {nowText(status, subject)}
          </Text>
          <Text size="sm" c="dimmed">
            Because of {status.reason}
          </Text>
        </Stack>
      </Group>
      <Table.ScrollContainer minWidth={420}>
        <Table aria-label="Week preview" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Date</Table.Th>
              <Table.Th>Open</Table.Th>
              <Table.Th>Note</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {status.week.map((day) => {
              const notes = [ruleText(day.rule), clockChangeText(day.hours)].filter(Boolean);
              return (
                <Table.Tr key={day.date}>
                  <Table.Td>{dayLabel(day.date)}</Table.Td>
                  <Table.Td className="mono">{day.intervals.length ? day.intervals.map((i) => intervalText(i, day.date)).join(", ") : <Text c="dimmed">closed</Text>}</Table.Td>
                  <Table.Td>{notes.join(" · ") || <Text c="dimmed">—</Text>}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
