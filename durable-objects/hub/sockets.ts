import { CLOSE, type ServerMessage } from "../../workers/protocol/realtime";
import type { LiveCallSummary } from "../hub-events";
import { closeFor, isTargeted, socketVerdict, type SocketEnd, type SocketState, type SocketTarget } from "../logic/hub-logic";
import { IDLE_MS, MAX_IN_FLIGHT, SNAPSHOT_PART } from "./limits";

/*
 * The tenant's dashboard sockets: their state, and sending to them. A socket that cannot take
 * a message is closed on the spot rather than retried, since its client resumes from its last
 * ack when it reconnects.
 */

export interface Attachment extends SocketState {
  userId: string;
  role: string;
  sessionId: string;
}

const TAG = "dashboard";

export class DashboardSockets {
  readonly #ctx: DurableObjectState;
  readonly #attachments = new Map<WebSocket, Attachment>();

  constructor(ctx: DurableObjectState) {
    this.#ctx = ctx;
  }

  get count(): number {
    return this.#ctx.getWebSockets().length;
  }

  accept(server: WebSocket, attachment: Attachment): void {
    this.#ctx.acceptWebSocket(server, [TAG]);
    this.save(server, attachment);
  }

  state(ws: WebSocket): Attachment {
    let state = this.#attachments.get(ws);
    if (!state) {
      // After hibernation the map is empty: the socket's attachment survived with it.
      state = ws.deserializeAttachment() as Attachment;
      this.#attachments.set(ws, state);
    }
    return state;
  }

  save(ws: WebSocket, state: Attachment): void {
    this.#attachments.set(ws, state);
    ws.serializeAttachment(state);
  }

  /** The socket closed or failed: its state goes with it. */
  forget(ws: WebSocket): void {
    this.#attachments.delete(ws);
  }

  send(ws: WebSocket, body: string): boolean {
    try {
      ws.send(body);
      return true;
    } catch {
      this.close(ws, 1011, "send failed");
      return false;
    }
  }

  close(ws: WebSocket, code: number, reason: string): void {
    this.#attachments.delete(ws);
    try {
      ws.close(code, reason);
    } catch {
      // Already closed.
    }
  }

  reject(ws: WebSocket, message: string): void {
    this.refuse(ws, "INVALID_MESSAGE", message, "invalid message");
  }

  refuse(ws: WebSocket, code: string, message: string, reason: string): void {
    this.send(ws, JSON.stringify({ type: "error", code, message } satisfies ServerMessage));
    this.close(ws, CLOSE.invalid, reason);
  }

  /** Sends newly numbered events to every socket still within its limits, closing the rest. */
  fanOut(bodies: string[], seq: number): void {
    const now = Date.now();
    for (const ws of this.#ctx.getWebSockets()) {
      const verdict = socketVerdict(this.state(ws), seq, now, { maxInFlight: MAX_IN_FLIGHT, idleMs: Number.POSITIVE_INFINITY });
      if (!verdict.keep) {
        this.close(ws, verdict.code, verdict.reason);
        continue;
      }
      for (const body of bodies) if (!this.send(ws, body)) break;
    }
  }

  /** Sends one message to every socket; returns how many took it. */
  broadcast(body: string): number {
    let viewers = 0;
    for (const ws of this.#ctx.getWebSockets()) if (this.send(ws, body)) viewers++;
    return viewers;
  }

  /** Closes the sockets of a session or a user; returns how many. */
  closeTargeted(target: SocketTarget, end: SocketEnd): number {
    const { code, reason } = closeFor(end);
    let closed = 0;
    for (const ws of this.#ctx.getWebSockets()) {
      const state = this.state(ws);
      if (!state || !isTargeted(state, target)) continue;
      this.close(ws, code, reason);
      closed++;
    }
    return closed;
  }

  /**
   * Heartbeats the sockets that keep up and drops the dead, slow or expired. Pings are answered
   * without waking the object, so the last auto-answered one counts as the client being seen.
   */
  sweep(seq: number, now: number): void {
    const heartbeat = JSON.stringify({ type: "heartbeat", seq, at: now } satisfies ServerMessage);
    for (const ws of this.#ctx.getWebSockets()) {
      const state = this.state(ws);
      const pinged = this.#ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? 0;
      if (pinged > state.lastSeen) state.lastSeen = pinged;
      const verdict = socketVerdict(state, seq, now, { maxInFlight: MAX_IN_FLIGHT, idleMs: IDLE_MS });
      if (verdict.keep) this.send(ws, heartbeat);
      else this.close(ws, verdict.code, verdict.reason);
    }
  }

  /** The live calls as of `seq`, in parts of SNAPSHOT_PART (one empty part when there are none). */
  sendSnapshot(ws: WebSocket, calls: LiveCallSummary[], position: { epoch: string; seq: number }): void {
    const parts = Math.max(1, Math.ceil(calls.length / SNAPSHOT_PART));
    for (let part = 0; part < parts; part++) {
      const slice = calls.slice(part * SNAPSHOT_PART, (part + 1) * SNAPSHOT_PART);
      this.send(ws, JSON.stringify({ type: "snapshot", epoch: position.epoch, seq: position.seq, calls: slice, part: part + 1, parts } satisfies ServerMessage));
    }
  }
}
