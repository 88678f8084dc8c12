import { afterEach, describe, expect, it, vi } from "vitest";
import { RealtimeClient } from "../../web/src/realtime/client";
import { FakeSocket } from "./fake-socket";

// Stopped after each test, so no client's timers reach into the next one.
const clients: RealtimeClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.stop();
});

async function connected(options: { resumeTimeoutMs?: number } = {}) {
  const client = new RealtimeClient({ authorize: async () => ({ url: "ws://x/api/realtime?ticket=t" }), WebSocketImpl: FakeSocket as unknown as typeof WebSocket, minDelayMs: 10, maxDelayMs: 40, ...options });
  clients.push(client);
  const events: number[] = [];
  const states: string[] = [];
  let snapshot: unknown[] = [];
  client.subscribe({ onEvent: (e) => events.push(e.seq), onState: (s) => states.push(s), onSnapshot: (calls) => (snapshot = calls) });
  client.start();
  await vi.waitFor(() => expect(FakeSocket.last).not.toBeNull());
  const ws = FakeSocket.last!;
  ws.receive({ type: "hello", protocol: "cxlb.v1", epoch: "e1", seq: 5, heartbeatSec: 30, ackEvery: 2, maxInFlight: 100 });
  ws.receive({ type: "snapshot", epoch: "e1", seq: 5, calls: [{ callId: "c1" }], part: 1, parts: 1 });
  return { client, ws, events, states, snapshot: () => snapshot };
}

describe("realtime client", () => {
  it("hands transient messages (a campaign's progress) to their listeners, outside the sequence: no event, no ack, no resume", async () => {
    FakeSocket.last = null;
    const { client, ws, events } = await connected();
    const transient: unknown[] = [];
    client.subscribe({ onTransient: (m) => transient.push(m.data) });
    for (let i = 0; i < 3; i++) ws.receive({ type: "transient", event: "campaign.progress", at: i, data: { campaignId: "cmp_1", n: i } });
    expect(transient).toEqual([0, 1, 2].map((n) => ({ campaignId: "cmp_1", n })));
    expect(events).toEqual([]);
    expect(client.lastSeq).toBe(5);
    expect(ws.sent.filter((m) => ["ack", "resume"].includes(JSON.parse(m).type))).toEqual([]);
    ws.receive({ type: "call.started", seq: 6, at: 1, data: {} });
    expect(events).toEqual([6]);
  });

  it("applies the snapshot and events in sequence, acking as asked", async () => {
    const { ws, events, states, snapshot } = await connected();
    expect(states).toContain("open");
    expect(snapshot()).toEqual([{ callId: "c1" }]);
    ws.receive({ type: "call.started", seq: 6, at: 1, data: {} });
    ws.receive({ type: "call.ended", seq: 7, at: 2, data: {} });
    ws.receive({ type: "call.ended", seq: 7, at: 2, data: {} });
    expect(events).toEqual([6, 7]);
    expect(ws.sent).toContain(JSON.stringify({ type: "ack", seq: 7 }));
  });

  it("asks for missed events when it sees a gap, and applies the replay", async () => {
    FakeSocket.last = null;
    const { ws, events } = await connected();
    ws.receive({ type: "call.started", seq: 9, at: 1, data: {} });
    expect(events).toEqual([]);
    expect(ws.sent).toContain(JSON.stringify({ type: "resume", since: 5, epoch: "e1" }));
    ws.receive({ type: "call.started", seq: 6, at: 1, data: {} });
    ws.receive({ type: "call.updated", seq: 7, at: 1, data: {} });
    expect(events).toEqual([6, 7]);
  });

  it("asks again for a second gap on the same socket once the first replay caught up", async () => {
    FakeSocket.last = null;
    const { ws, events } = await connected();
    const resumes = () => ws.sent.filter((m) => JSON.parse(m).type === "resume");
    ws.receive({ type: "call.started", seq: 8, at: 1, data: {} });
    // Live events keep coming while the replay is on its way; they are replayed too.
    ws.receive({ type: "call.started", seq: 9, at: 1, data: {} });
    expect(resumes()).toEqual([JSON.stringify({ type: "resume", since: 5, epoch: "e1" })]);
    for (const seq of [6, 7, 8, 9]) ws.receive({ type: "call.updated", seq, at: 1, data: {} });
    expect(events).toEqual([6, 7, 8, 9]);

    ws.receive({ type: "call.ended", seq: 12, at: 1, data: {} });
    expect(resumes()).toEqual([JSON.stringify({ type: "resume", since: 5, epoch: "e1" }), JSON.stringify({ type: "resume", since: 9, epoch: "e1" })]);
    for (const seq of [10, 11, 12]) ws.receive({ type: "call.updated", seq, at: 1, data: {} });
    expect(events).toEqual([6, 7, 8, 9, 10, 11, 12]);
    expect(FakeSocket.last).toBe(ws);
  });

  it("reconnects from the last sequence when a resume gets no answer", async () => {
    FakeSocket.last = null;
    const { ws, states } = await connected({ resumeTimeoutMs: 30 });
    ws.receive({ type: "call.started", seq: 7, at: 1, data: {} });
    expect(ws.sent).toContain(JSON.stringify({ type: "resume", since: 5, epoch: "e1" }));
    await vi.waitFor(() => expect(FakeSocket.last).not.toBe(ws), { timeout: 1000 });
    expect(states).toContain("reconnecting");
    expect(FakeSocket.last!.url).toContain("since=5");
    // The new socket starts clean: a gap on it is asked about again.
    const next = FakeSocket.last!;
    next.receive({ type: "hello", protocol: "cxlb.v1", epoch: "e1", seq: 7, heartbeatSec: 30, ackEvery: 2, maxInFlight: 100 });
    next.receive({ type: "call.started", seq: 9, at: 1, data: {} });
    expect(next.sent).toContain(JSON.stringify({ type: "resume", since: 5, epoch: "e1" }));
  });

  it("resumes after a heartbeat shows it fell behind", async () => {
    FakeSocket.last = null;
    const { ws } = await connected();
    ws.receive({ type: "heartbeat", seq: 8, at: 1 });
    expect(ws.sent).toContain(JSON.stringify({ type: "resume", since: 5, epoch: "e1" }));
  });

  it("reconnects with backoff and resumes from the last sequence", async () => {
    FakeSocket.last = null;
    const { ws, states } = await connected();
    ws.onclose?.({ code: 1006 });
    expect(states.at(-1)).toBe("reconnecting");
    await vi.waitFor(() => expect(FakeSocket.last).not.toBe(ws), { timeout: 1000 });
    expect(FakeSocket.last!.url).toContain("since=5");
    expect(FakeSocket.last!.url).toContain("epoch=e1");
  });

  it("stays offline when the server says the session ended", async () => {
    FakeSocket.last = null;
    const { ws, states } = await connected();
    ws.onclose?.({ code: 4001 });
    expect(states.at(-1)).toBe("offline");
  });
});
