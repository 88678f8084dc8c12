import type { Executor } from "../db/executor";
import { durationsInBin, edgeRecords, inProgressCount, rollupSeries, rollupTargets, routingNames } from "../db/repos/analytics";
import { binBounds } from "./duration-bins";
import { addContribution, rollupSignature, type Cell } from "./rollup-math";
import { splitDays, splitRange } from "./slots";
import { aggregate, buildSummary, cellMatches, medianPlan, type Dimensions } from "./summary";
import { localBuckets, type Interval } from "./time-zone";
import type { SummaryDto } from "../schemas/analytics";

export interface SummaryRequest {
  since: number;
  until: number;
  interval: Interval;
  timezone: string;
  dimensions: Dimensions;
}

/**
 * The analytics summary of one tenant, without scanning its records: whole UTC days from the
 * daily rollups, other whole 15-minute slots from the slot rollups, the ragged edges (under
 * 15 minutes each) from the records themselves, and the exact median from the duration
 * histogram plus one read of the duration index.
 */
export async function computeSummary(db: Executor, tenantId: string, request: SummaryRequest): Promise<SummaryDto> {
  const { since, until, dimensions } = request;
  const buckets = localBuckets(since, until, request.interval, request.timezone);
  const { interior, edges } = splitRange(since, until);
  const split = interior ? splitDays(interior) : null;
  const series = interior
    ? await rollupSeries(
        db,
        tenantId,
        interior,
        buckets.slice(1).map((b) => b.start),
        dimensions,
      )
    : [];
  const targets = split ? await rollupTargets(db, tenantId, split.days, split.slots, dimensions) : [];
  const edgeCellMap = new Map<string, Cell>();
  for (const record of await edgeRecords(db, tenantId, edges, dimensions.direction)) addContribution(edgeCellMap, rollupSignature(record));
  const edgeCells = [...edgeCellMap.values()].filter((cell) => cellMatches(cell, dimensions));
  const aggregates = aggregate(buckets, series, targets, edgeCells);
  const median = await exactMedian(db, tenantId, request, medianPlan(aggregates.totals));
  const inProgress = await inProgressCount(db, tenantId, since, until, dimensions);
  const names = await routingNames(db, tenantId);
  return buildSummary(aggregates, names, { ...request, buckets, inProgress, medianDurationSec: median });
}

/** The histogram says which bin holds the middle rank(s); read just those rows, from the nearer end. */
async function exactMedian(db: Executor, tenantId: string, request: SummaryRequest, plan: ReturnType<typeof medianPlan>): Promise<number | null> {
  if (!plan.length) return null;
  const read = (at: (typeof plan)[number], count: number) => {
    const fromTop = at.rankInBin + count > at.binCount - at.rankInBin;
    const offset = fromTop ? at.binCount - at.rankInBin - count : at.rankInBin;
    return durationsInBin(db, tenantId, request.since, request.until, request.dimensions, binBounds(at.bin), offset, count, fromTop);
  };
  const first = plan[0]!;
  const last = plan[plan.length - 1]!;
  const values = first.bin === last.bin ? await read(first, plan.length) : [...(await read(first, 1)), ...(await read(last, 1))];
  return values.length === plan.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}
