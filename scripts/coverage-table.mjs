// Prints the coverage of a run (test-output/coverage/coverage-summary.json, written by vitest's
// json-summary reporter) as one table: each area of the code and the total.
import { readFileSync } from "node:fs";
import { relative } from "node:path";

const file = "test-output/coverage/coverage-summary.json";
let summary;
try {
  summary = JSON.parse(readFileSync(file, "utf8"));
} catch {
  console.error(`[coverage] no ${file}: the coverage run did not finish`);
  process.exit(0);
}

const METRICS = ["lines", "branches", "functions", "statements"];
const AREAS = ["workers/", "durable-objects/", "web/src/"];
const zero = () => Object.fromEntries(METRICS.map((m) => [m, { covered: 0, total: 0 }]));
const areas = new Map(AREAS.map((a) => [a, { files: 0, ...zero() }]));

for (const [path, figures] of Object.entries(summary)) {
  if (path === "total") continue;
  const area = AREAS.find((a) => relative(process.cwd(), path).startsWith(a));
  if (!area) continue;
  const sums = areas.get(area);
  sums.files += 1;
  for (const m of METRICS) {
    sums[m].covered += figures[m].covered;
    sums[m].total += figures[m].total;
  }
}

const pct = ({ covered, total }) => (total === 0 ? "100.00" : ((covered / total) * 100).toFixed(2));
const rows = [...areas].map(([area, sums]) => [area, String(sums.files), ...METRICS.map((m) => pct(sums[m]))]);
rows.push(["all", String([...areas.values()].reduce((n, s) => n + s.files, 0)), ...METRICS.map((m) => pct(summary.total[m]))]);
const header = ["coverage %", "files", ...METRICS];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
console.log(`\n${line(header)}\n${widths.map((w) => "-".repeat(w)).join("  ")}\n${rows.map(line).join("\n")}\n`);
