import { useMemo, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { Anchor, Badge, Button, Group, MultiSelect, Paper, Select, Table, Text } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { CALL_STATUSES } from "../../../../workers/schemas/call-records";
import { CONTAINS_MAX_DAYS } from "../../../../workers/domain/number-search";
import { useGroups } from "../../api/agent-groups";
import { useRecords, type RecordFilters } from "../../api/call-records";
import { useAgents } from "../../api/voice-agents";
import { ListTable } from "../../components/data-table";
import { PageHeader, QueryState } from "../../components/page";
import { useCursorPages } from "../../lib/cursor-pages";
import { dateTime, talkTime } from "../../lib/format";
import { itemPath, ROUTE_CALL_RECORDS } from "../../routes";
import { ExportButton } from "./export";
import { isNumberMatch, NumberFilter } from "./number-filter";
import { CallStatus } from "./status";
import { waitColor, waitedText, waitText } from "./wait-text";

const RANGES = [
  { value: "1h", label: "Last hour", ms: 3_600_000 },
  { value: "24h", label: "Last 24 hours", ms: 86_400_000 },
  { value: "7d", label: "Last 7 days", ms: 7 * 86_400_000 },
  { value: "30d", label: "Last 30 days", ms: 30 * 86_400_000 },
  { value: "all", label: "All time", ms: 0 },
];
const DIRECTIONS = [
  { value: "inbound", label: "Inbound" },
  { value: "outbound", label: "Outbound" },
] as const;
const PAGE = 50;

export default function CallRecords() {
  const [params, setParams] = useSearchParams();
  const range = params.get("range") ?? "7d";
  const [callerText, setCallerText] = useState(params.get("caller") ?? "");
  const [calleeText, setCalleeText] = useState(params.get("callee") ?? "");
  const [caller] = useDebouncedValue(callerText.trim(), 300);
  const [callee] = useDebouncedValue(calleeText.trim(), 300);
  const callerMatchParam = params.get("callerMatch");
  const calleeMatchParam = params.get("calleeMatch");
  const callerMatch = isNumberMatch(callerMatchParam) ? callerMatchParam : "prefix";
  const calleeMatch = isNumberMatch(calleeMatchParam) ? calleeMatchParam : "prefix";
  const rangeMs = RANGES.find((r) => r.value === range)?.ms ?? 0;
  const periodTooLong = !rangeMs || rangeMs > CONTAINS_MAX_DAYS * 86_400_000;
  const pages = useCursorPages();
  const agents = useAgents({});
  const groups = useGroups();

  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
    pages.reset();
  };

  // The range's start is fixed when the filters change, so that paging stays on one result set.
  // biome-ignore lint/correctness/useExhaustiveDependencies: recomputed on purpose whenever any filter (params) changes.
  const since = useMemo(() => {
    const ms = RANGES.find((r) => r.value === range)?.ms ?? 0;
    return ms ? new Date(Date.now() - ms).toISOString() : undefined;
  }, [range, params.toString()]);

  const filters: RecordFilters = {
    since,
    status: params.get("status") ?? undefined,
    direction: DIRECTIONS.find((d) => d.value === params.get("direction"))?.value,
    agentId: params.get("agentId") ?? undefined,
    groupId: params.get("groupId") ?? undefined,
    ...(caller ? { caller, callerMatch } : {}),
    ...(callee ? { callee, calleeMatch } : {}),
  };
  const records = useRecords({ ...filters, limit: PAGE, cursor: pages.cursor });
  const agentName = (id: string | null) => (id ? (agents.data?.items.find((a) => a.id === id)?.name ?? id) : "—");

  return (
    <>
      <PageHeader title="Call records" description="Every call: its route, attempts and outcome" actions={<ExportButton filters={filters} />} />
      <Paper withBorder p="md" mb="md">
        <Group align="flex-end" wrap="wrap">
          <Select label="When" data={RANGES.map(({ value, label }) => ({ value, label }))} value={range} onChange={(v) => set("range", v)} allowDeselect={false} w={160} />
          <MultiSelect label="Status" placeholder="Any" data={CALL_STATUSES} value={params.get("status")?.split(",").filter(Boolean) ?? []} onChange={(v) => set("status", v.join(","))} w={220} clearable />
          <Select label="Direction" placeholder="Both" clearable data={DIRECTIONS} value={params.get("direction")} onChange={(v) => set("direction", v)} w={130} />
          <Select label="Agent" placeholder="Any" clearable searchable data={(agents.data?.items ?? []).map((a) => ({ value: a.id, label: a.name }))} value={params.get("agentId")} onChange={(v) => set("agentId", v)} w={180} />
          <Select label="Group" placeholder="Any" clearable searchable data={(groups.data?.items ?? []).map((g) => ({ value: g.id, label: g.name }))} value={params.get("groupId")} onChange={(v) => set("groupId", v)} w={180} />
          <NumberFilter label="Caller" column="From" placeholder="+1415…" text={callerText} onText={(t) => (setCallerText(t), pages.reset())} match={callerMatch} onMatch={(m) => set("callerMatch", m === "prefix" ? null : m)} periodTooLong={periodTooLong} />
          <NumberFilter
            label="Called number"
            column="To"
            placeholder="+1800…"
            text={calleeText}
            onText={(t) => (setCalleeText(t), pages.reset())}
            match={calleeMatch}
            onMatch={(m) => set("calleeMatch", m === "prefix" ? null : m)}
            periodTooLong={periodTooLong}
          />
        </Group>
      </Paper>
      <QueryState query={records}>
        {(data) => (
          <ListTable
            minWidth={980}
            striped
            highlightOnHover
            aria-label="Call records"
            data-testid="call-records"
            columns={["Started", "Direction", "From", "To", "Status", "Agent", "Attempts", "Waited", "Duration"]}
            rows={data.items}
            empty="No calls match these filters."
          >
            {(r) => (
              <Table.Tr key={r.id}>
                <Table.Td>
                  <Anchor component={Link} to={itemPath(ROUTE_CALL_RECORDS, r.id)}>
                    {dateTime(r.startedAt)}
                  </Anchor>
                </Table.Td>
                <Table.Td>{r.direction}</Table.Td>
                <Table.Td className="mono">{r.from}</Table.Td>
                <Table.Td className="mono">{r.to}</Table.Td>
                <Table.Td>
                  <CallStatus status={r.status} />
                </Table.Td>
                <Table.Td>{agentName(r.agentId)}</Table.Td>
                <Table.Td>{r.attemptCount}</Table.Td>
                <Table.Td>
                  {r.wait ? (
                    // The short form; the place in line is on the record and in the title.
                    <Badge variant="light" color={waitColor(r.wait)} title={waitText(r.wait)}>
                      {waitedText(r.wait)}
                    </Badge>
                  ) : (
                    "—"
                  )}
                </Table.Td>
                <Table.Td>{talkTime(r.durationSec, r.answeredAt !== null)}</Table.Td>
              </Table.Tr>
            )}
          </ListTable>
        )}
      </QueryState>
      <Group justify="space-between" mt="sm">
        <Text size="sm" c="dimmed">
          Page {pages.page}
        </Text>
        <Group>
          <Button variant="default" disabled={pages.page === 1} onClick={pages.previous}>
            Previous page
          </Button>
          <Button variant="default" disabled={!records.data?.nextCursor} onClick={() => pages.next(records.data!.nextCursor!)}>
            Next page
          </Button>
        </Group>
      </Group>
    </>
  );
}
