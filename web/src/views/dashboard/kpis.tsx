import { Group, Paper, SimpleGrid, Text, ThemeIcon } from "@mantine/core";
import { IconArrowDownRight, IconArrowUpRight, IconMinus } from "@tabler/icons-react";
import type { Summary } from "../../api/analytics";
import { duration, NOT_REPORTED, percent } from "../../lib/format";

interface Kpi {
  label: string;
  value: string;
  /** Exactly what the figure counts, shown under it. */
  counts: string;
  /** Relative change against the same time yesterday; null when there is nothing to compare. */
  change: number | null;
  /** For durations a rise is not "good" or "bad": show it neutrally. */
  neutral?: boolean;
}

function change(now: number | null | undefined, before: number | null | undefined): number | null {
  if (now == null || before == null || before === 0) return null;
  return (now - before) / before;
}

/** Answered calls whose durations were never reported have no average: say so rather than 0:00. */
function averageTalkTime(totals: Summary["totals"] | undefined): string {
  if (!totals || totals.answered === 0) return "—";
  return totals.avgDurationSec ? duration(totals.avgDurationSec) : NOT_REPORTED;
}

/** Calls started in the range: those that ended and those still going. */
const started = (totals: Summary["totals"] | undefined) => (totals ? totals.calls + totals.inProgress : undefined);

export function kpisOf(today: Summary | undefined, yesterday: Summary | undefined, activeCalls: number): Kpi[] {
  const t = today?.totals;
  const y = yesterday?.totals;
  return [
    {
      label: "Calls today",
      value: t ? String(started(t)) : "—",
      counts: t ? `started since midnight: ${t.calls} ended, ${t.inProgress} still live` : "started since midnight, live ones included",
      change: change(started(t), started(y)),
    },
    { label: "Success rate", value: percent(t?.successRate), counts: "answered ÷ calls ended today", change: change(t?.successRate, y?.successRate) },
    { label: "Active calls", value: String(activeCalls), counts: "live now, as calls start and end", change: null },
    { label: "Average duration", value: averageTalkTime(t), counts: "talk time of calls answered today", change: change(t?.avgDurationSec, y?.avgDurationSec), neutral: true },
  ];
}

export function Kpis({ kpis }: { kpis: Kpi[] }) {
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
      {kpis.map((kpi) => {
        const up = kpi.change !== null && kpi.change > 0;
        const down = kpi.change !== null && kpi.change < 0;
        const color = kpi.neutral || kpi.change === null || kpi.change === 0 ? "gray" : up ? "teal" : "red";
        const Icon = up ? IconArrowUpRight : down ? IconArrowDownRight : IconMinus;
        return (
          <Paper withBorder p="md" key={kpi.label} role="group" aria-label={kpi.label}>
            <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
              {kpi.label}
            </Text>
            <Group justify="space-between" align="flex-end" mt={4}>
              <Text fz={28} fw={700} data-testid={`kpi-${kpi.label.toLowerCase().replace(/\s+/g, "-")}`}>
                {kpi.value}
              </Text>
              {kpi.change !== null && (
                <Group gap={2} c={`${color}.9`}>
                  <ThemeIcon variant="light" color={color} size="sm" aria-hidden>
                    <Icon size={14} />
                  </ThemeIcon>
                  <Text size="sm" fw={600}>
                    {kpi.change > 0 ? "+" : ""}
                    {(kpi.change * 100).toFixed(0)}%<span className="visually-hidden"> against the same time yesterday</span>
                  </Text>
                </Group>
              )}
            </Group>
            <Text size="xs" c="dimmed" mt={4} data-testid={`kpi-${kpi.label.toLowerCase().replace(/\s+/g, "-")}-counts`}>
              {kpi.counts}
            </Text>
          </Paper>
        );
      })}
    </SimpleGrid>
  );
}
