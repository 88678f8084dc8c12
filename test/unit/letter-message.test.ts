import { describe, expect, it } from "vitest";
import { letterMessage } from "../../workers/debugger/letter-message";

const TENANT = "ten_a";
const callEvent = {
  kind: "call_event",
  tenantId: TENANT,
  callId: "s1",
  seq: 2,
  type: "call.updated",
  at: 1,
  data: {},
  record: { recordId: "cal_1", startedAt: 1, attempts: [] },
};
const delivery = { kind: "webhook", deliveryId: "d1", tenantId: TENANT, webhook: "cdr", receivedAt: 1 };
const letter = (body: unknown, overrides: Partial<{ queue: string; bodyTruncated: boolean }> = {}) => ({
  queue: "call-events",
  body: typeof body === "string" ? body : JSON.stringify(body),
  bodyTruncated: false,
  ...overrides,
});

describe("letterMessage", () => {
  it("gives back a well-formed call event or delivery of the caller's tenant, from either queue", () => {
    expect(letterMessage(letter(callEvent), TENANT)).toEqual({ message: callEvent, problem: null });
    expect(letterMessage(letter(delivery, { queue: "call-events-dlq" }), TENANT)).toEqual({ message: delivery, problem: null });
  });

  it.each([
    ["a cut body, even one that parses", letter(callEvent, { bodyTruncated: true }), /cut when it was parked/],
    ["text that is not JSON", letter("[body not storable: x]"), /not JSON/],
    ["JSON that is not a queue message", letter([1, 2]), /not a well-formed .*: body: kind must be/],
    ["a call event without its record", letter({ ...callEvent, record: null }), /not a well-formed .*: record: /],
    ["an unknown kind", letter({ kind: "sms" }), /kind: kind must be "call_events", "call_event" or "webhook"/],
    ["an export job", letter({ kind: "export", exportId: "exp_1", tenantId: TENANT }), /export job/],
    ["an event-webhook delivery", letter({ kind: "event_delivery", deliveryId: "evd_1", tenantId: TENANT }), /event-webhook delivery.*Resend/],
    ["another tenant's message", letter({ ...callEvent, tenantId: "ten_b" }), /another tenant/],
    ["a delivery that named no tenant", letter({ ...delivery, tenantId: null }), /another tenant/],
    ["another queue's letter", letter(callEvent, { queue: "export-jobs" }), /queue "export-jobs"/],
  ])("refuses %s, saying why", (_, parked, why) => {
    const result = letterMessage(parked, TENANT);
    expect(result.message).toBeNull();
    expect(result.problem).toMatch(why);
  });
});
