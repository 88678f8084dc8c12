/*
 * The Prometheus text exposition format (version 0.0.4), as GET /api/metrics serves it. Pure:
 * families in, text out. Label values come from operators (agent and group names), so they
 * are escaped as the format says (backslash, double quote, line feed) and cut to a bound; a
 * name can never end a label, a line or a sample early.
 */

export type MetricType = "gauge" | "counter";

export interface Sample {
  labels?: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: MetricType;
  samples: Sample[];
}

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Longer label values are cut (an agent name may be long; a scrape should stay small). */
export const MAX_LABEL_VALUE = 200;

/** A label value as the format wants it: \\ for a backslash, \" for a quote, \n for a line feed. */
export function escapeLabelValue(value: string): string {
  const cut = [...value].slice(0, MAX_LABEL_VALUE).join("");
  return cut
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\r?\n|\r/g, "\\n");
}

/** HELP text: backslashes and line feeds escaped (quotes are fine there). */
export const escapeHelp = (text: string): string => text.replace(/\\/g, "\\\\").replace(/\r?\n|\r/g, "\\n");

function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(value);
}

function formatLabels(labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {});
  if (!entries.length) return "";
  for (const [name] of entries) if (!LABEL_NAME.test(name) || name.startsWith("__")) throw new Error(`invalid label name ${JSON.stringify(name)}`);
  return `{${entries.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(",")}}`;
}

/** One family per name, HELP and TYPE first, then its samples; the text ends with a line feed. */
export function renderMetrics(families: MetricFamily[]): string {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const family of families) {
    if (!METRIC_NAME.test(family.name)) throw new Error(`invalid metric name ${JSON.stringify(family.name)}`);
    if (seen.has(family.name)) throw new Error(`metric ${family.name} rendered twice`);
    seen.add(family.name);
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) lines.push(`${family.name}${formatLabels(sample.labels)} ${formatValue(sample.value)}`);
  }
  return `${lines.join("\n")}\n`;
}
