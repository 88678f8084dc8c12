import { useState } from "react";
import { Anchor, Group, Paper, Select, Table, Text, TextInput, Tooltip } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { DEAD_LETTER_STATUSES } from "../../../../workers/schemas/dead-letters";
import { useDeadLetters, useDeliverySummary } from "../../api/debugger";
import { useCanWrite } from "../../api/session";
import { CursorPager } from "../../components/cursor-pager";
import { ListTable } from "../../components/data-table";
import { QueryState, ReadOnlyNotice } from "../../components/page";
import { useCursorPages } from "../../lib/cursor-pages";
import { dateTime } from "../../lib/format";
import { oneOf, RANGES, useUrlFilters } from "./filters";
import { LetterActions, ReplayAllButton } from "./letter-actions";
import { LetterDetailModal } from "./letter-detail";
import { LetterStatus } from "./status";

const KINDS = [
  { value: "call_event", label: "Call event" },
  { value: "webhook", label: "Webhook delivery" },
  { value: "export", label: "Export job" },
];
const QUEUES = ["call-events", "call-events-dlq"];
const PAGE = 50;

export function DeadLettersTab() {
  const pages = useCursorPages();
  const { params, set, range, since } = useUrlFilters(pages.reset);
  const canWrite = useCanWrite();
  const [callText, setCallText] = useState(params.get("callId") ?? "");
  const [callId] = useDebouncedValue(callText.trim(), 300);
  const [opened, setOpened] = useState<number | null>(null);
  const summary = useDeliverySummary();
  const letters = useDeadLetters({
    since,
    status: oneOf(DEAD_LETTER_STATUSES, params.get("status")),
    kind: params.get("kind") ?? undefined,
    queue: params.get("queue") ?? undefined,
    callId: callId || undefined,
    limit: PAGE,
    cursor: pages.cursor,
  });
  const parked = summary.data?.parkedDeadLetters ?? 0;
  return (
    <>
      <ReadOnlyNotice />
      <Group justify="space-between" mb="md">
        <Text size="sm" role="status">
          {summary.data ? (parked ? `${parked} parked letter${parked === 1 ? "" : "s"} waiting` : "No parked letters") : " "}
        </Text>
        {canWrite && <ReplayAllButton parked={parked > 0} />}
      </Group>
      <Paper withBorder p="md" mb="md">
        <Group align="flex-end" wrap="wrap">
          <Select label="When" data={RANGES.map(({ value, label }) => ({ value, label }))} value={range} onChange={(v) => set("range", v)} allowDeselect={false} w={170} />
          <Select label="Status" placeholder="Any" clearable data={[...DEAD_LETTER_STATUSES]} value={params.get("status")} onChange={(v) => set("status", v)} w={150} />
          <Select label="Message" placeholder="Any" clearable data={KINDS} value={params.get("kind")} onChange={(v) => set("kind", v)} w={180} />
          <Select label="Queue" placeholder="Any" clearable data={QUEUES} value={params.get("queue")} onChange={(v) => set("queue", v)} w={170} />
          <TextInput label="Call id" placeholder="Session token" value={callText} onChange={(e) => (setCallText(e.currentTarget.value), pages.reset())} w={240} />
        </Group>
      </Paper>
      <QueryState query={letters}>
        {(data) => (
          <ListTable minWidth={900} striped highlightOnHover aria-label="Dead letters" columns={["Parked", "Message", "Call", "Status", "Tries", "Error"]} actions={canWrite} rows={data.items} empty="No dead letters match these filters.">
            {(l) => (
              <Table.Tr key={l.id}>
                <Table.Td>
                  <Anchor component="button" type="button" size="sm" onClick={() => setOpened(l.id)} aria-label={`Details of letter ${l.id} parked ${dateTime(l.receivedAt)}`}>
                    {dateTime(l.receivedAt)}
                  </Anchor>
                </Table.Td>
                <Table.Td>{l.kind ?? "—"}</Table.Td>
                <Table.Td className="mono">{l.callId ?? "—"}</Table.Td>
                <Table.Td>
                  <LetterStatus status={l.status} />
                </Table.Td>
                <Table.Td>{l.attempts}</Table.Td>
                <Table.Td maw={320}>
                  <Tooltip label={l.error ?? ""} disabled={!l.error} multiline w={360}>
                    <Text size="sm" truncate>
                      {l.error ?? "—"}
                    </Text>
                  </Tooltip>
                </Table.Td>
                {canWrite && <Table.Td>{l.status === "parked" && <LetterActions id={l.id} />}</Table.Td>}
              </Table.Tr>
            )}
          </ListTable>
        )}
      </QueryState>
      <CursorPager pages={pages} nextCursor={letters.data?.nextCursor} />
      <LetterDetailModal id={opened} onClose={() => setOpened(null)} />
    </>
  );
}
