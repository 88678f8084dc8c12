import { describe, it } from "vitest";
import { parseQueueMessage } from "../../workers/contracts/queue-messages";
import { parseSnapshot, SNAPSHOT_FORMAT } from "../../workers/contracts/snapshot";

const snapshot = {
  format: SNAPSHOT_FORMAT,
  tenantId: "t1",
  version: 3,
  builtAt: 1,
  domain: "acme.test",
  requestKeyHash: null,
  timezone: "UTC",
  outboundCallerPatterns: [],
  agents: { a1: { id: "a1", provider: "retell", serviceValue: "+1212" } },
  groups: {},
  trunks: {},
  inboundRules: [{ id: "r1", pattern: "1800*" }],
  outboundRules: [],
};

describe("routing snapshot contract", () => {
  it("accepts a snapshot of this format and keeps fields it does not check", ({ expect }) => {
    const parsed = parseSnapshot({ ...snapshot, routingNumberHeader: "A2B-DNID" });
    expect(parsed.problem).toBeNull();
    expect(parsed.snapshot).toMatchObject({ tenantId: "t1", routingNumberHeader: "A2B-DNID" });
  });

  it.for([
    ["a blob of the format before", { ...snapshot, format: undefined }, "format"],
    ["a future format", { ...snapshot, format: SNAPSHOT_FORMAT + 1 }, "format"],
    ["rules that are not a list", { ...snapshot, inboundRules: {} }, "inboundRules"],
    ["an agent without a service value", { ...snapshot, agents: { a1: { id: "a1", provider: "retell" } } }, "agents.a1.serviceValue"],
    ["not an object at all", "snapshot", "snapshot"],
  ] as const)("refuses %s, naming where", ([, value, path], { expect }) => {
    const parsed = parseSnapshot(value);
    expect(parsed.snapshot).toBeNull();
    expect(parsed.problem).toMatch(new RegExp(`^${path.replace(/\./g, "\\.")}`));
  });
});

describe("queue message contract", () => {
  const event = { kind: "call_event", tenantId: "t", callId: "c", seq: 1, type: "call.started", at: 5, data: {}, record: { recordId: "cal_1", startedAt: 5, attempts: [] } };

  it("accepts call events (with or without a version) and webhook deliveries", ({ expect }) => {
    expect(parseQueueMessage(event).problem).toBeNull();
    expect(parseQueueMessage({ ...event, v: 1 }).problem).toBeNull();
    expect(parseQueueMessage({ kind: "webhook", deliveryId: "d", tenantId: null, webhook: "cdr", receivedAt: 1 }).problem).toBeNull();
  });

  it.for([
    [{ ...event, kind: "mystery" }, 'kind: kind must be "call_events", "call_event" or "webhook"'],
    [{ ...event, seq: -1 }, "seq:"],
    [{ ...event, seq: 1.5 }, "seq:"],
    [{ ...event, v: 2 }, "v:"],
    [{ ...event, record: { ...event.record, attempts: [{ n: 1 }] } }, "record.attempts.0.kind:"],
    [{ ...event, data: [] }, "data:"],
    [[], "body:"],
  ] as const)("refuses %j: %s", ([body, problem], { expect }) => {
    expect(parseQueueMessage(body).problem).toContain(problem);
  });
});
