import { useMemo, useState } from "react";
import { Alert, Group, Paper, SegmentedControl, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { AreaChart, BarChart, DonutChart } from "@mantine/charts";
import { useSummary } from "../../api/analytics";
import { messageOf } from "../../api/errors";
import { PageHeader } from "../../components/page";
import { useRealtime } from "../../realtime/provider";
import { AgentLoad } from "./agent-load";
import { DeliveryAlert } from "./delivery-alert";
import { Kpis, kpisOf } from "./kpis";
import { LiveCallsPanel } from "./live-calls";
import { QualityCost } from "./quality-cost";
import { periodSince, todayRanges, useNow } from "./ranges";

const RANGES = { "24h": 1, "7d": 7, "30d": 30 } as const;
type Range = keyof typeof RANGES;
// The group chart's series, named as its legend shows them.
const SHARE = "Share of the group's calls";
const TARGET = "Strategy's target";

function bucketLabel(iso: string, interval: "hour" | "day") {
  const d = new Date(iso);
  return interval === "hour" ? d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : d.toLocaleDateString([], { month: "short", day: "numeric" });
}

export default function Dashboard() {
  const [range, setRange] = useState<Range>("24h");
  // Every window moves with the clock: "today" rolls over at midnight and "the same time
  // yesterday" keeps pace with now.
  const now = useNow();
  const ranges = useMemo(() => todayRanges(now), [now]);
  const since = useMemo(() => periodSince(now, RANGES[range]), [now, range]);
  const today = useSummary(ranges.today, { refetchInterval: 60_000 });
  const yesterday = useSummary(ranges.yesterday);
  // The period's and yesterday's windows move every minute, which refetches them; today's
  // window only moves at midnight, so it refetches on its own.
  const period = useSummary({ since });
  const { calls } = useRealtime();
  const data = period.data;

  const series = (data?.series ?? []).map((b) => ({ time: bucketLabel(b.start, data!.range.interval), Answered: b.answered, Failed: b.failed + b.timedOut, Abandoned: b.abandoned }));
  const outcomes = data
    ? [
        { name: "Answered", value: data.totals.answered, color: "teal.7" },
        { name: "Failed", value: data.totals.failed, color: "red.7" },
        { name: "Timed out", value: data.totals.timedOut, color: "orange.7" },
        { name: "Abandoned", value: data.totals.abandoned, color: "gray.6" },
      ].filter((o) => o.value > 0)
    : [];
  const groupLoad = (data?.groups ?? []).flatMap((g) =>
    g.distribution.agents.filter((a) => a.member).map((a) => ({ member: `${g.name ?? g.groupId} · ${a.name ?? a.agentId}`, [SHARE]: Math.round(a.share * 1000) / 10, [TARGET]: Math.round(a.targetShare * 1000) / 10 })),
  );

  return (
    <>
      <PageHeader title="Dashboard" description="Today's calls, how they went, and what is happening now" />
      <Stack>
        <DeliveryAlert />
        {(today.error || period.error) && (
          <Alert color="red" role="alert" title="Analytics unavailable">
            {messageOf(today.error ?? period.error)}
          </Alert>
        )}
        <Kpis kpis={kpisOf(today.data, yesterday.data, calls.size)} />
        <LiveCallsPanel />
        <Group justify="space-between">
          <Title order={2} size="h4">
            Trends
          </Title>
          <SegmentedControl
            aria-label="Period"
            value={range}
            onChange={(v) => setRange(v as Range)}
            data={[
              { value: "24h", label: "24 hours" },
              { value: "7d", label: "7 days" },
              { value: "30d", label: "30 days" },
            ]}
          />
        </Group>
        <SimpleGrid cols={{ base: 1, lg: 3 }}>
          <Paper withBorder p="md" style={{ gridColumn: "span 2" }} role="figure" aria-label="Calls over time">
            <Title order={3} size="h5" mb="sm">
              Calls over time
            </Title>
            <AreaChart
              h={260}
              data={series}
              dataKey="time"
              type="stacked"
              withLegend
              series={[
                { name: "Answered", color: "teal.7" },
                { name: "Failed", color: "red.7" },
                { name: "Abandoned", color: "gray.6" },
              ]}
            />
          </Paper>
          <Paper withBorder p="md" role="figure" aria-label="Outcomes of ended calls">
            <Title order={3} size="h5" mb="sm">
              Outcomes of ended calls
            </Title>
            {outcomes.length ? (
              <DonutChart data={outcomes} withLabels withTooltip h={220} mx="auto" chartLabel={`${data?.totals.calls ?? 0} ended`} />
            ) : (
              <Text size="sm" c="dimmed">
                No ended calls in this period.
              </Text>
            )}
            <Stack gap={2} mt="sm" data-testid="outcome-counts">
              {outcomes.map((o) => (
                <Text size="xs" key={o.name}>
                  {o.name}: {o.value}
                </Text>
              ))}
              {data && data.totals.inProgress > 0 && (
                <Text size="xs" c="dimmed">
                  Not counted: {data.totals.inProgress} still live
                </Text>
              )}
            </Stack>
          </Paper>
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, lg: 2 }}>
          <AgentLoad summary={data} />
          <Paper withBorder p="md" role="figure" aria-label="Group members: share of calls against target">
            <Title order={3} size="h5" mb="sm">
              Group load against target (%)
            </Title>
            {groupLoad.length ? (
              <BarChart
                h={Math.max(180, groupLoad.length * 36 + 40)}
                data={groupLoad}
                dataKey="member"
                orientation="vertical"
                withLegend
                legendProps={{ verticalAlign: "top" }}
                yAxisProps={{ width: 180 }}
                series={[
                  { name: SHARE, color: "indigo.7" },
                  { name: TARGET, color: "gray.5" },
                ]}
              />
            ) : (
              <Text size="sm" c="dimmed">
                No group traffic in this period.
              </Text>
            )}
          </Paper>
        </SimpleGrid>
        <QualityCost since={since} />
      </Stack>
    </>
  );
}
