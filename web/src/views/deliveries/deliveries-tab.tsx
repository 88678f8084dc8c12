import { useState } from "react";
import { Anchor, Group, Paper, Select, Table, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { DELIVERY_STATUSES, WEBHOOK_KINDS } from "../../../../workers/schemas/webhook-deliveries";
import { useDeliveries } from "../../api/debugger";
import { CursorPager } from "../../components/cursor-pager";
import { ListTable } from "../../components/data-table";
import { QueryState } from "../../components/page";
import { useCursorPages } from "../../lib/cursor-pages";
import { dateTime } from "../../lib/format";
import { DeliveryDetailModal } from "./delivery-detail";
import { oneOf, RANGES, useUrlFilters } from "./filters";
import { DeliveryStatus } from "./status";

const STATUS_LABELS: Record<(typeof DELIVERY_STATUSES)[number], string> = { ok: "OK (answered)", refused: "Refused (4xx)", failed: "Failed (our side)" };
const PAGE = 50;

export function DeliveriesTab() {
  const pages = useCursorPages();
  const { params, set, range, since } = useUrlFilters(pages.reset);
  const [callText, setCallText] = useState(params.get("callId") ?? "");
  const [codeText, setCodeText] = useState(params.get("statusCode") ?? "");
  const [callId] = useDebouncedValue(callText.trim(), 300);
  const [statusCode] = useDebouncedValue(/^\d{3}$/.test(codeText.trim()) ? codeText.trim() : "", 300);
  const [opened, setOpened] = useState<number | null>(null);
  const deliveries = useDeliveries({
    since,
    kind: oneOf(WEBHOOK_KINDS, params.get("kind")),
    status: oneOf(DELIVERY_STATUSES, params.get("status")),
    statusCode: statusCode || undefined,
    callId: callId || undefined,
    limit: PAGE,
    cursor: pages.cursor,
  });
  return (
    <>
      <Paper withBorder p="md" mb="md">
        <Group align="flex-end" wrap="wrap">
          <Select label="When" data={RANGES.map(({ value, label }) => ({ value, label }))} value={range} onChange={(v) => set("range", v)} allowDeselect={false} w={170} />
          <Select label="Webhook" placeholder="Any" clearable data={[...WEBHOOK_KINDS]} value={params.get("kind")} onChange={(v) => set("kind", v)} w={180} />
          <Select label="Status" placeholder="Any" clearable data={DELIVERY_STATUSES.map((value) => ({ value, label: STATUS_LABELS[value] }))} value={params.get("status")} onChange={(v) => set("status", v)} w={180} />
          <TextInput label="Status code" placeholder="503" inputMode="numeric" value={codeText} onChange={(e) => (setCodeText(e.currentTarget.value), pages.reset())} w={110} />
          <TextInput label="Call id" placeholder="Session token" value={callText} onChange={(e) => (setCallText(e.currentTarget.value), pages.reset())} w={240} />
        </Group>
      </Paper>
      <QueryState query={deliveries}>
        {(data) => (
          <ListTable minWidth={860} striped highlightOnHover aria-label="Webhook deliveries" columns={["Received", "Webhook", "Call", "Status", "Outcome", "Time"]} rows={data.items} empty="No deliveries match these filters.">
            {(d) => (
              <Table.Tr key={d.id}>
                <Table.Td>
                  <Anchor component="button" type="button" size="sm" onClick={() => setOpened(d.id)} aria-label={`Details of the ${d.kind} delivery received ${dateTime(d.receivedAt)}`}>
                    {dateTime(d.receivedAt)}
                  </Anchor>
                </Table.Td>
                <Table.Td>{d.kind}</Table.Td>
                <Table.Td className="mono">{d.callId ?? "—"}</Table.Td>
                <Table.Td>
                  <DeliveryStatus status={d.status} statusCode={d.statusCode} />
                </Table.Td>
                <Table.Td className="mono">{d.outcome}</Table.Td>
                <Table.Td>{d.durationMs} ms</Table.Td>
              </Table.Tr>
            )}
          </ListTable>
        )}
      </QueryState>
      <CursorPager pages={pages} nextCursor={deliveries.data?.nextCursor} />
      <DeliveryDetailModal id={opened} onClose={() => setOpened(null)} />
    </>
  );
}
