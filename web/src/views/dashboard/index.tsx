import { useMemo, useState } from "react";
import { Alert, Group, Paper, SegmentedControl, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { AreaChart, BarChart, DonutChart } from "@mantine/charts";
import { useSummary } from "../../api/analytics";
import { messageOf } from "../../api/errors";
import { PageHeader } from "../../components/page";
import { useRealtime } from "../../realtime/provider";
import { Kpis, kpisOf } from "./kpis";
import { LiveCallsPanel } from "./live-calls";

const RANGES = { "24h": 1, "7d": 7, "30d": 30 } as const;
type Range = keyof typeof RANGES;

function startOfToday(): Date {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  return d;
}

/** The same ranges for today and the same part of yesterday, fixed for the life of the page. */
function useTodayRanges() {
  return useMemo(() => {
    const start = startOfToday();
    const day = 86_400_000;
    return {
      today: { since: start.toISOString() },
      yesterday: { since: new Date(start.getTime() - day).toISOString(), until: new Date(Date.now() - day).toISOString() },
    };
  }, []);
}

function bucketLabel(iso: string, interval: "hour" | "day") {
  const d = new Date(iso);
  return interval === "hour" ? d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : d.toLocaleDateString([], { month: "short", day: "numeric" });
}

export default function Dashboard() {
  const [range, setRange] = useState<Range>("24h");
  const ranges = useTodayRanges();
  const since = useMemo(() => new Date(Date.now() - RANGES[range] * 86_400_000).toISOString(), [range]);
  const today = useSummary(ranges.today, { refetchInterval: 60_000 });
  const yesterday = useSummary(ranges.yesterday);
  const period = useSummary({ since }, { refetchInterval: 60_000 });
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
  const agentLoad = (data?.agents ?? [])
    .slice()
    .sort((a, b) => b.calls - a.calls)
    .slice(0, 12)
    .map((a) => ({ agent: a.name ?? a.agentId, Answered: a.answered, Failed: a.failed }));
  const groupLoad = (data?.groups ?? []).flatMap((g) =>
    g.distribution.agents.filter((a) => a.member).map((a) => ({ member: `${g.name ?? g.groupId} · ${a.name ?? a.agentId}`, Share: Math.round(a.share * 1000) / 10, Target: Math.round(a.targetShare * 1000) / 10 })),
  );

  return (
    <>
      <PageHeader title="Dashboard" description="Today's calls, how they went, and what is happening now" />
      <Stack>
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
          <Paper withBorder p="md" role="figure" aria-label="Outcomes">
            <Title order={3} size="h5" mb="sm">
              Outcomes
            </Title>
            {outcomes.length ? (
              <DonutChart data={outcomes} withLabels withTooltip h={220} mx="auto" chartLabel={`${data?.totals.calls ?? 0} calls`} />
            ) : (
              <Text size="sm" c="dimmed">
                No ended calls in this period.
              </Text>
            )}
            <Stack gap={2} mt="sm">
              {outcomes.map((o) => (
                <Text size="xs" key={o.name}>
                  {o.name}: {o.value}
                </Text>
              ))}
            </Stack>
          </Paper>
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, lg: 2 }}>
          <Paper withBorder p="md" role="figure" aria-label="Load per agent">
            <Title order={3} size="h5" mb="sm">
              Load per agent
            </Title>
            {agentLoad.length ? (
              <BarChart h={Math.max(160, agentLoad.length * 32)} data={agentLoad} dataKey="agent" orientation="vertical" type="stacked" yAxisProps={{ width: 120 }} series={[{ name: "Answered", color: "teal.7" }, { name: "Failed", color: "red.7" }]} />
            ) : (
              <Text size="sm" c="dimmed">
                No calls reached an agent in this period.
              </Text>
            )}
          </Paper>
          <Paper withBorder p="md" role="figure" aria-label="Group members: share of calls against target">
            <Title order={3} size="h5" mb="sm">
              Group load against target (%)
            </Title>
            {groupLoad.length ? (
              <BarChart h={Math.max(160, groupLoad.length * 36)} data={groupLoad} dataKey="member" orientation="vertical" yAxisProps={{ width: 180 }} series={[{ name: "Share", color: "indigo.7" }, { name: "Target", color: "gray.5" }]} />
            ) : (
              <Text size="sm" c="dimmed">
                No group traffic in this period.
              </Text>
            )}
          </Paper>
        </SimpleGrid>
      </Stack>
    </>
  );
}
