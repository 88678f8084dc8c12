import { useState } from "react";
import { Badge, Button, Group, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { downloadResults, useCampaignResults } from "../../api/campaigns";
import { messageOf } from "../../api/errors";
import { notifications } from "@mantine/notifications";

const OUTCOME: Record<string, string> = { answered: "answered", busy: "busy", noAnswer: "no answer", failed: "failed" };
const STATE: Record<string, string> = { pending: "to call", in_flight: "in a call", done: "done", dnc: "do not call" };

/** Per-contact results, 50 at a time, with every attempt; the whole list as CSV. */
export function ResultsTable({ campaignId, live }: { campaignId: string; live: boolean }) {
  const [pages, setPages] = useState<number[]>([0]);
  const after = pages.at(-1)!;
  const results = useCampaignResults(campaignId, after, live);
  const [downloading, setDownloading] = useState(false);
  const download = async () => {
    setDownloading(true);
    try {
      const blob = await downloadResults(campaignId);
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = `campaign-${campaignId}-results.csv`;
      a.click();
      URL.revokeObjectURL(url);
    } catch (err) {
      notifications.show({ color: "red", title: "Not downloaded", message: messageOf(err) });
    } finally {
      setDownloading(false);
    }
  };
  const items = results.data?.items ?? [];
  return (
    <Paper withBorder p="lg" aria-label="Results">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4">
            Results per contact
          </Title>
          <Button variant="light" onClick={() => void download()} loading={downloading}>
            Export CSV
          </Button>
        </Group>
        <Table striped aria-label="Contacts and their attempts">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Line</Table.Th>
              <Table.Th>Number</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>Result</Table.Th>
              <Table.Th>Attempts</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={5}>
                  <Text c="dimmed" size="sm">
                    No contacts yet.
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {items.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>{c.id}</Table.Td>
                <Table.Td className="mono">{c.number}</Table.Td>
                <Table.Td>{STATE[c.state] ?? c.state}</Table.Td>
                <Table.Td>
                  {c.result ? (
                    <Badge variant="light" color={c.result === "answered" ? "teal" : "gray"}>
                      {OUTCOME[c.result]}
                    </Badge>
                  ) : (
                    "—"
                  )}
                </Table.Td>
                <Table.Td>{c.attempts.length === 0 ? "—" : c.attempts.map((a) => `#${a.n} ${a.outcome ? OUTCOME[a.outcome] : a.state} ${new Date(a.placedAt).toLocaleTimeString()}`).join(" · ")}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Group justify="flex-end">
          <Button variant="default" size="xs" disabled={pages.length === 1} onClick={() => setPages((p) => p.slice(0, -1))}>
            Previous
          </Button>
          <Button variant="default" size="xs" disabled={results.data?.nextAfter == null} onClick={() => setPages((p) => [...p, results.data!.nextAfter!])}>
            Next
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
