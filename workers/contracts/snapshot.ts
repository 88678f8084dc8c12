import { z } from "zod";
import type { RoutingSnapshot } from "../routing/snapshot-types";

/*
 * The routing snapshot as it crosses from MySQL (the builder) through Upstash to every Worker
 * isolate. A deploy can meet blobs written by the one before it, so each carries its format:
 * a blob of another format, or of the wrong shape, is treated as missing and rebuilt from MySQL,
 * never routed from. The check is of the envelope, not of every rule: a 10,000-rule snapshot
 * is decoded on the hot path's cache miss, and the builder is the only writer.
 */

/** Bumped whenever a snapshot field changes meaning (not when an optional one is added). */
export const SNAPSHOT_FORMAT = 2;

const SnapshotEnvelope = z.looseObject({
  format: z.literal(SNAPSHOT_FORMAT),
  tenantId: z.string().min(1),
  version: z.number().int().nonnegative(),
  builtAt: z.number(),
  domain: z.string().nullable(),
  requestKeyHash: z.string().nullable(),
  timezone: z.string(),
  outboundCallerPatterns: z.array(z.string()),
  agents: z.record(z.string(), z.looseObject({ id: z.string(), provider: z.string(), serviceValue: z.string() })),
  groups: z.record(z.string(), z.looseObject({ id: z.string(), members: z.array(z.unknown()) })),
  trunks: z.record(z.string(), z.looseObject({ id: z.string(), name: z.string() })),
  inboundRules: z.array(z.looseObject({ id: z.string(), pattern: z.string() })),
  outboundRules: z.array(z.looseObject({ id: z.string(), trunkIds: z.array(z.string()) })),
});

/** The snapshot in a decoded blob, or null (with why) when it is not one this build can route from. */
export function parseSnapshot(value: unknown): { snapshot: RoutingSnapshot; problem: null } | { snapshot: null; problem: string } {
  const result = SnapshotEnvelope.safeParse(value);
  if (result.success) return { snapshot: result.data as unknown as RoutingSnapshot, problem: null };
  const issue = result.error.issues[0];
  return { snapshot: null, problem: `${issue?.path.join(".") || "snapshot"}: ${issue?.message ?? "invalid"}` };
}
