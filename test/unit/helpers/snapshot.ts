import { SNAPSHOT_FORMAT } from "../../../workers/contracts/snapshot";
import type { RoutingSnapshot, SnapshotAgent } from "../../../workers/routing/snapshot-types";

/** A tenant's routing snapshot with nothing configured, for tests to fill in. */
export function emptySnapshot(overrides: Partial<RoutingSnapshot> = {}): RoutingSnapshot {
  return {
    format: SNAPSHOT_FORMAT,
    tenantId: "t1",
    version: 3,
    builtAt: 0,
    domain: "acme.test",
    requestKeyHash: null,
    previousRequestKeyHash: null,
    previousRequestKeyExpiresAt: null,
    timezone: "UTC",
    defaultFallback: null,
    outboundCallerPatterns: [],
    agents: {},
    groups: {},
    trunks: {},
    inboundRules: [],
    outboundRules: [],
    ...overrides,
  };
}

/** An enabled retell agent without limits, named after its id. */
export const testAgent = (id: string, enabled = true): SnapshotAgent => ({ id, name: id.toUpperCase(), provider: "retell", serviceValue: `+1${id}`, username: null, passwordEnc: null, enabled, maxConcurrentCalls: null, weight: 1 });
