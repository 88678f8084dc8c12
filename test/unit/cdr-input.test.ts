import { describe, it } from "vitest";
import { cdrInput, CdrSchema, parseLifecycle } from "../../workers/webhooks/lifecycle-params";

const parse = (raw: Record<string, unknown>) => cdrInput(parseLifecycle(CdrSchema, { call_id: "c1", ...raw }, "CDR"));
const START = 1_760_000_000_000;

describe("cdrInput", () => {
  it("takes the end from session.callEndTime before start + duration and before timestamp", ({ expect }) => {
    const session = { callStartTime: START, callEndTime: START + 90_000 };
    expect(parse({ disposition: "BUSY", duration: 42, timestamp: START + 5_000, session }).endedAt).toBe(START + 90_000);
  });

  it("falls back to callStartTime + duration, then to timestamp", ({ expect }) => {
    expect(parse({ disposition: "BUSY", duration: 42, timestamp: START + 5_000, session: { callStartTime: START } }).endedAt).toBe(START + 42_000);
    // timestamp is epoch seconds.
    expect(parse({ disposition: "BUSY", duration: 42, timestamp: (START + 5_000) / 1000 }).endedAt).toBe(START + 5_000);
    expect(parse({ disposition: "BUSY", timestamp: String((START + 5_000) / 1000) }).endedAt).toBe(START + 5_000);
    expect(parse({ disposition: "BUSY", session: { callStartTime: START } }).endedAt).toBeUndefined();
  });

  it("treats ANSWER without callAnswerTime as answered billsec before the end", ({ expect }) => {
    const input = parse({ disposition: "ANSWER", duration: 42, billsec: 30, session: { callStartTime: START } });
    expect(input).toMatchObject({ status: "completed", answered: true, endedAt: START + 42_000, answeredAt: START + 12_000, durationSec: 42, billableSec: 30 });
  });

  it("treats billed seconds as answered whatever the disposition says", ({ expect }) => {
    const input = parse({ disposition: "FAILED", billsec: 5, session: { callEndTime: START } });
    expect(input).toMatchObject({ status: "failed", answered: true, answeredAt: START - 5_000 });
  });

  it("keeps a given callAnswerTime, and leaves an unanswered call without an answer time", ({ expect }) => {
    expect(parse({ disposition: "ANSWER", billsec: 30, session: { callAnswerTime: START + 1, callEndTime: START + 90_000 } }).answeredAt).toBe(START + 1);
    expect(parse({ disposition: "NOANSWER", billsec: 0, session: { callEndTime: START } })).toMatchObject({ status: "noanswer", answered: false, answeredAt: undefined });
    expect(parse({ disposition: "CANCEL", session: { callEndTime: START } })).toMatchObject({ status: "cancel", answered: false });
  });
});
