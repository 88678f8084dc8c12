import { ColorSwatch, Group, Paper, Text, Title } from "@mantine/core";
import { BarChart } from "@mantine/charts";
import type { Summary } from "../../api/analytics";
import { CALL_SERIES, callSeries, OUTCOME_COLORS, type SeriesPoint } from "./outcomes";

const count = (n: number) => n.toLocaleString();

/** The figures the chart draws, for screen readers (and anyone who wants the numbers). */
function SeriesTable({ points }: { points: SeriesPoint[] }) {
  return (
    <table className="visually-hidden" data-testid="calls-over-time-data">
      <caption>Calls over time, by outcome</caption>
      <thead>
        <tr>
          <th scope="col">Time</th>
          {CALL_SERIES.map((s) => (
            <th scope="col" key={s}>
              {s}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {points.map((p, i) => (
          <tr key={i}>
            <th scope="row">{p.time}</th>
            {CALL_SERIES.map((s) => (
              <td key={s}>{p[s]}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The legend in stack order, bottom first (the chart library's own legend sorts by name). */
function Legend() {
  return (
    <Group gap="md" justify="flex-end" mb="xs" aria-hidden data-testid="calls-over-time-legend">
      {CALL_SERIES.map((s) => (
        <Group gap={6} key={s} wrap="nowrap">
          <ColorSwatch size={12} color={`var(--mantine-color-${OUTCOME_COLORS[s].replace(".", "-")})`} withShadow={false} />
          <Text size="sm">{s}</Text>
        </Group>
      ))}
    </Group>
  );
}

/**
 * Calls per hour or day as stacked bars: answered (green) at the base, then failed (red) and
 * abandoned (grey). Bars, not stacked areas: an area stack's only visible edge is its top
 * series, which made every call look abandoned.
 */
export function CallsOverTime({ summary }: { summary: Summary | undefined }) {
  const points = callSeries(summary);
  const empty = points.every((p) => CALL_SERIES.every((s) => p[s] === 0));
  return (
    <Paper withBorder p="md" h="100%" role="figure" aria-label="Calls over time">
      <Title order={3} size="h5" mb="sm">
        Calls over time
      </Title>
      {empty ? (
        <Text size="sm" c="dimmed">
          No ended calls in this period.
        </Text>
      ) : (
        <>
          <Legend />
          <BarChart h={240} data={points} dataKey="time" type="stacked" valueFormatter={count} series={CALL_SERIES.map((name) => ({ name, color: OUTCOME_COLORS[name] }))} />
        </>
      )}
      <SeriesTable points={points} />
    </Paper>
  );
}
