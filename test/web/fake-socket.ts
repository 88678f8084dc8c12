import { act } from "@testing-library/react";

/** A WebSocket the test talks through: it records what the client sends and delivers what the "server" says. */
export class FakeSocket {
  static last: FakeSocket | null = null;
  readyState = 1;
  sent: string[] = [];
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: ((e: { code: number }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.last = this;
  }
  send(text: string) {
    this.sent.push(text);
  }
  close() {}
  receive(message: object) {
    act(() => this.onmessage?.({ data: JSON.stringify(message) }));
  }
  /** The server's greeting and an empty snapshot at `seq`. */
  open(seq = 5) {
    this.receive({ type: "hello", protocol: "cxlb.v1", epoch: "e1", seq, heartbeatSec: 30, ackEvery: 50, maxInFlight: 100 });
    this.receive({ type: "snapshot", epoch: "e1", seq, calls: [], part: 1, parts: 1 });
  }
}
