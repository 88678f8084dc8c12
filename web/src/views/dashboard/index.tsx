import { useMemo, useState } from "react";
import { Alert, Grid, Group, Paper, SegmentedControl, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { DonutChart } from "@mantine/charts";
import { useSummary } from "../../api/analytics";
import { messageOf } from "../../api/errors";
import { PageHeader } from "../../components/page";
import { useRealtime } from "../../realtime/provider";
import { AgentLoad } from "./agent-load";
import { CallsOverTime } from "./calls-over-time";
import { GroupLoad } from "./group-load";
import { OUTCOME_COLORS } from "./outcomes";
import { DeliveryAlert } from "./delivery-alert";
import { Kpis, kpisOf } from "./kpis";
import { LiveCallsPanel } from "./live-calls";
import { QualityCost } from "./quality-cost";
import { periodSince, todayRanges, useNow } from "./ranges";

const RANGES = { "24h": 1, "7d": 7, "30d": 30 } as const;
type Range = keyof typeof RANGES;

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

  const outcomes = data
    ? [
        { name: "Answered", value: data.totals.answered, color: OUTCOME_COLORS.Answered },
        { name: "Failed", value: data.totals.failed, color: OUTCOME_COLORS.Failed },
        { name: "Timed out", value: data.totals.timedOut, color: OUTCOME_COLORS["Timed out"] },
        { name: "Abandoned", value: data.totals.abandoned, color: OUTCOME_COLORS.Abandoned },
      ].filter((o) => o.value > 0)
    : [];

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
        {/* A grid of columns, not "span 2" in a SimpleGrid: on a phone that span made a second, overflowing column. */}
        <Grid>
          <Grid.Col span={{ base: 12, lg: 8 }}>
            <CallsOverTime summary={data} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 4 }}>
            <Paper withBorder p="md" h="100%" role="figure" aria-label="Outcomes of ended calls">
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
          </Grid.Col>
        </Grid>
        <SimpleGrid cols={{ base: 1, lg: 2 }}>
          <AgentLoad summary={data} />
          <GroupLoad summary={data} />
        </SimpleGrid>
        <QualityCost since={since} />
      </Stack>
    </>
  );
}
