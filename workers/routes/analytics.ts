import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../app-env";
import { computeSummary } from "../analytics/run-summary";
import { isTimeZone, localBuckets } from "../analytics/time-zone";
import { tenantTimezone } from "../db/repos/analytics";
import { requireAuth } from "../middleware/auth";
import { apiRoutes } from "../openapi/declare";
import { AppError } from "../lib/errors";
import { QualityQuery, QualitySchema, SummaryQuery, SummarySchema } from "../schemas/analytics";
import { addSums, qualityFigures } from "../analytics/quality";
import { qualitySums } from "../db/repos/quality";
import { PROVIDERS } from "../domain/providers";

const DAY = 86_400_000;
const MAX_RANGE_MS = 400 * DAY;
const MAX_BUCKETS = 1_000;
/** The quality figures scan the records themselves (no rollups): a quarter at most. */
const MAX_QUALITY_RANGE_MS = 92 * DAY;

const LiveCallSchema = z.object({
  callId: z.string(),
  recordId: z.string(),
  state: z.string(),
  direction: z.enum(["inbound", "outbound"]),
  from: z.string(),
  to: z.string(),
  ruleId: z.string().nullable(),
  groupId: z.string().nullable(),
  agentId: z.string().nullable(),
  trunkId: z.string().nullable(),
  attempt: z.number().int(),
  startedAt: z.string(),
  answeredAt: z.string().nullable(),
});
const LiveCallsSchema = z.object({
  seq: z.number().int().meta({ description: "The hub's sequence number this list is current as of (events after it are newer)" }),
  epoch: z.string(),
  count: z.number().int(),
  calls: z.array(LiveCallSchema),
});

const route = apiRoutes("Analytics");

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const analytics = new Hono<AppEnv>()
  .use(requireAuth)
  .get(
    "/summary",
    route("Totals, series in the tenant's time zone, per-agent and per-group figures with each group's share against its strategy", {
      query: SummaryQuery,
      response: SummarySchema,
      description: "Computed from rollups kept by the queue consumer (15-minute slots) plus the raw records at the range's edges, so it equals a scan of the records but does not scan them.",
    }),
    async (c) => {
      const query = c.req.valid("query");
      const { tenantId } = c.get("auth");
      const until = query.until?.getTime() ?? Date.now();
      const since = query.since?.getTime() ?? until - DAY;
      if (until - since > MAX_RANGE_MS) throw new AppError(400, "RANGE_TOO_LONG", "The range may span at most 400 days");
      const interval = query.interval ?? (until - since <= 2 * DAY ? "hour" : "day");
      const db = await c.get("services").db();
      const timezone = query.timezone ?? (await tenantTimezone(db, tenantId));
      if (!isTimeZone(timezone)) throw new AppError(400, "VALIDATION_FAILED", `Unknown time zone "${timezone}"; use an IANA name such as Europe/Paris`, [{ path: "timezone", message: "unknown time zone" }]);
      if (localBuckets(since, until, interval, timezone).length > MAX_BUCKETS) {
        throw new AppError(400, "TOO_MANY_BUCKETS", `That is more than ${MAX_BUCKETS} ${interval}s; use interval=day or a shorter range`);
      }
      const summary = await computeSummary(db, tenantId, {
        since,
        until,
        interval,
        timezone,
        dimensions: { direction: query.direction, groupId: query.groupId, agentId: query.agentId },
      });
      return c.json(summary);
    },
  )
  .get(
    "/quality",
    route("Call quality and cost per agent, group or provider, from the calls' CDRs", {
      query: QualityQuery,
      response: QualitySchema,
      description:
        "Calls that started in the range (at most 92 days) and ended, grouped by their agent, group, or their agent's provider (calls whose agent was deleted are counted apart). Figures a CDR did not report are left out of their average; cost per minute divides a cost by the billed seconds of the calls that reported it.",
    }),
    async (c) => {
      const query = c.req.valid("query");
      const until = query.until?.getTime() ?? Date.now();
      const since = query.since?.getTime() ?? until - DAY;
      if (until - since > MAX_QUALITY_RANGE_MS) throw new AppError(400, "RANGE_TOO_LONG", "The range may span at most 92 days");
      const db = await c.get("services").db();
      const sums = await qualitySums(db, c.get("auth").tenantId, new Date(since), new Date(until), query.by);
      const providerName = (id: string | null) => (id === null ? null : (PROVIDERS.find((p) => p.id === id)?.name ?? id));
      const rows = sums.map(({ key, name, missing, ...figures }) => ({ key, name: query.by === "provider" ? providerName(key) : name, missing, ...qualityFigures(figures) })).sort((a, b) => b.calls - a.calls || String(a.key).localeCompare(String(b.key)));
      return c.json({ range: { since: iso(since)!, until: iso(until)! }, by: query.by, rows, totals: qualityFigures(addSums(sums)) });
    },
  )
  .get("/live-calls", route("Calls in progress, from the tenant's live-call registry", { response: LiveCallsSchema }), async (c) => {
    const live = await c.env.TENANT_HUB.getByName(c.get("auth").tenantId).liveCalls();
    return c.json({
      seq: live.seq,
      epoch: live.epoch,
      count: live.calls.length,
      calls: live.calls.map((call) => ({
        callId: call.callId,
        recordId: call.recordId,
        state: call.state,
        direction: call.direction,
        from: call.from,
        to: call.to,
        ruleId: call.ruleId,
        groupId: call.groupId,
        agentId: call.agentId,
        trunkId: call.trunkId,
        attempt: call.attempt,
        startedAt: iso(call.startedAt)!,
        answeredAt: iso(call.answeredAt),
      })),
    });
  });
