import { useState } from "react";
import { Alert, Badge, Group, Paper, SegmentedControl, Table, Text, Title, UnstyledButton } from "@mantine/core";
import { useQuality, type QualityRow } from "../../api/analytics";
import { messageOf } from "../../api/errors";
import { costText, isPoorMos, jitterText, lossText, mosText, perMinuteText } from "../../lib/quality-format";
import { percent } from "../../lib/format";

type By = "agent" | "group" | "provider";
type SortKey = "calls" | "avgMos" | "ratedCostPerMinute";

const BY_LABELS: Record<By, string> = { agent: "Agent", group: "Group", provider: "Provider" };

/** A row's name: deleted agents and groups, and calls without one, are said as such. */
export function rowLabel(row: Pick<QualityRow, "key" | "name" | "missing">, by: By): string {
  const what = by === "group" ? "group" : "agent";
  if (row.missing === "none") return `No ${what}`;
  if (row.missing === "deleted") return by === "provider" ? "Unknown (agent deleted)" : `Deleted ${what}${row.key ? ` (${row.key})` : ""}`;
  return row.name ?? row.key ?? "—";
}

/**
 * Rows in the chosen order: worst MOS first, or most expensive minute first; rows without the
 * figure go last. Ties keep the API's order (most calls first).
 */
export function sortQualityRows(rows: QualityRow[], sort: SortKey): QualityRow[] {
  if (sort === "calls") return rows;
  const dir = sort === "avgMos" ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = a[sort];
    const y = b[sort];
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    return (x - y) * dir;
  });
}

/** The key of the row with the highest cost per minute, when more than one row has one. */
export function priciestKey(rows: QualityRow[]): string | null {
  const priced = rows.filter((r) => r.ratedCostPerMinute !== null);
  if (priced.length < 2) return null;
  const top = priced.reduce((a, b) => (b.ratedCostPerMinute! > a.ratedCostPerMinute! ? b : a));
  return `${top.key}|${top.missing}`;
}

function SortHeader({ label, sortKey, sort, onSort }: { label: string; sortKey: SortKey; sort: SortKey; onSort(key: SortKey): void }) {
  const active = sort === sortKey;
  return (
    <Table.Th ta="right" aria-sort={active ? (sortKey === "avgMos" ? "ascending" : "descending") : "none"}>
      <UnstyledButton onClick={() => onSort(active ? "calls" : sortKey)} fw={600} fz="sm">
        {label}
        {active ? (sortKey === "avgMos" ? " ▲" : " ▼") : ""}
      </UnstyledButton>
    </Table.Th>
  );
}

/** Call quality and cost per agent, group or provider over the dashboard's period. */
export function QualityCost({ since }: { since: string }) {
  const [by, setBy] = useState<By>("agent");
  const [sort, setSort] = useState<SortKey>("calls");
  const quality = useQuality({ since, by });
  const data = quality.data;
  const rows = sortQualityRows(data?.rows ?? [], sort);
  const priciest = priciestKey(rows);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="quality-cost-title">
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h5" id="quality-cost-title">
          Quality and cost
        </Title>
        <SegmentedControl aria-label="Group by" size="xs" value={by} onChange={(v) => setBy(v as By)} data={(Object.keys(BY_LABELS) as By[]).map((value) => ({ value, label: BY_LABELS[value] }))} />
      </Group>
      {quality.error ? (
        <Alert color="red" role="alert" title="Quality and cost unavailable">
          {messageOf(quality.error)}
        </Alert>
      ) : !data ? (
        <Text size="sm" c="dimmed">
          Loading…
        </Text>
      ) : rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          No ended calls in this period.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={860}>
          <Table aria-labelledby="quality-cost-title" verticalSpacing={6}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{BY_LABELS[data.by]}</Table.Th>
                <Table.Th ta="right">Calls</Table.Th>
                <Table.Th ta="right">With quality</Table.Th>
                <SortHeader label="Average MOS" sortKey="avgMos" sort={sort} onSort={setSort} />
                <Table.Th ta="right">MOS below 3.5</Table.Th>
                <Table.Th ta="right">Jitter</Table.Th>
                <Table.Th ta="right">Loss</Table.Th>
                <Table.Th ta="right">Rated cost</Table.Th>
                <Table.Th ta="right">Sell cost</Table.Th>
                <SortHeader label="Cost per minute" sortKey="ratedCostPerMinute" sort={sort} onSort={setSort} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => {
                const poor = isPoorMos(r.avgMos);
                const top = priciest === `${r.key}|${r.missing}`;
                return (
                  <Table.Tr key={`${r.key}|${r.missing}`} data-testid="quality-row">
                    <Table.Td>{rowLabel(r, data.by)}</Table.Td>
                    <Table.Td ta="right">{r.calls}</Table.Td>
                    <Table.Td ta="right">{r.callsWithQuality}</Table.Td>
                    <Table.Td ta="right" c={poor ? "red.8" : undefined} fw={poor ? 700 : undefined}>
                      {r.avgMos === null ? "—" : mosText(r.avgMos)}
                      {poor && (
                        <Badge ml={6} size="xs" color="red" variant="light">
                          poor
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td ta="right">{percent(r.poorMosShare)}</Table.Td>
                    <Table.Td ta="right">{r.avgJitterMs === null ? "—" : jitterText(r.avgJitterMs)}</Table.Td>
                    <Table.Td ta="right">{r.avgPacketLossPct === null ? "—" : lossText(r.avgPacketLossPct)}</Table.Td>
                    <Table.Td ta="right">{costText(r.ratedCost)}</Table.Td>
                    <Table.Td ta="right">{costText(r.sellCost)}</Table.Td>
                    <Table.Td ta="right" fw={top ? 700 : undefined}>
                      {r.ratedCostPerMinute === null ? "—" : perMinuteText(r.ratedCostPerMinute)}
                      {top && (
                        <Badge ml={6} size="xs" color="orange" variant="light">
                          highest
                        </Badge>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Text size="xs" c="dimmed" mt="xs">
        Ended calls of the period, from their CDRs. MOS per call is the lower of received and sent; cost per minute is the rated cost over the billed minutes of the calls that reported one.
      </Text>
    </Paper>
  );
}
