import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { families } from "../../workers/metrics/collect";
import { webhookDataPoint } from "../../workers/metrics/analytics-engine";

/*
 * ops/grafana-dashboard.json must query what the Worker writes: the Analytics Engine dataset
 * wrangler.toml names, only the columns a data point fills, and the metric names /api/metrics
 * serves. A renamed metric or a moved blob fails here, not on an operator's dashboard.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const dashboard = JSON.parse(readFileSync(resolve(ROOT, "ops/grafana-dashboard.json"), "utf8"));
const targets: { rawSql?: string; expr?: string }[] = dashboard.panels.flatMap((panel: { targets: unknown[] }) => panel.targets);

describe("the Grafana dashboard", () => {
  it("queries the Analytics Engine dataset of wrangler.toml, by the columns a data point fills", () => {
    const toml = readFileSync(resolve(ROOT, "wrangler.toml"), "utf8");
    const datasets = [...toml.matchAll(/binding = "ANALYTICS"\ndataset = "([^"]+)"/g)].map((m) => m[1]);
    expect(datasets).toContain("cxlb_webhooks");
    const point = webhookDataPoint({ tenantId: "ten_1", kind: "voice-application", outcome: "routed:ringing", agentId: "agt_1", groupId: "grp_1", latencyMs: 4, statusCode: 200 });
    const filled = new Set(["timestamp", "_sample_interval", ...point.indexes!.map((_, i) => `index${i + 1}`), ...point.blobs!.map((_, i) => `blob${i + 1}`), ...point.doubles!.map((_, i) => `double${i + 1}`)]);
    const sql = targets.filter((t) => t.rawSql).map((t) => t.rawSql!);
    expect(sql).toHaveLength(3);
    for (const query of sql) {
      expect(query).toMatch(/ FROM cxlb_webhooks /);
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable, as the dashboard writes it.
      expect(query).toContain("index1 = '${tenant}'");
      for (const column of query.match(/\b(index|blob|double)\d+\b/g) ?? []) expect(filled, column).toContain(column);
    }
    // The outcomes the queries look for are the ones the webhooks write.
    expect(sql.join(" ")).toContain("'routed:%'");
    expect(point.blobs![2]).toMatch(/^routed:/);
  });

  it("uses only metric names that /api/metrics serves", () => {
    const served = new Set(families({ rollups: [], names: null, live: [], health: { balancers: 0, asked: 0, unavailable: 0, out: [] }, deadLetters: 0, queue: { backlogCount: 0, backlogBytes: 0 } }, "1h", new Date(0), 3_600_000).map((f) => f.name));
    const used = targets.filter((t) => t.expr).flatMap((t) => t.expr!.match(/\bcxlb_[a-z_]+/g) ?? []);
    expect(used.length).toBeGreaterThanOrEqual(5);
    for (const name of used) expect(served, name).toContain(name);
  });
});
