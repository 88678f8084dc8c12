import type { LiveCallSummary } from "../../../durable-objects/hub-events";
import type { EventMessage, HelloMessage, ServerMessage, SnapshotMessage, TransientMessage } from "../../../workers/protocol/realtime";

/*
 * One WebSocket to GET /api/realtime (protocol: workers/protocol/realtime.ts). Reconnects with
 * capped, jittered exponential backoff; tracks the tenant's event sequence and, on a gap, asks
 * the server to replay what was missed ({type:"resume"}); a `resync` brings a fresh snapshot.
 * A resume that brings nothing within `resumeTimeoutMs` falls back to a reconnect (which
 * resumes from ?since=). Answers pings, acks events, and reports its state for the
 * connection indicator.
 */

export type ConnectionState = "connecting" | "open" | "reconnecting" | "offline";
export type LiveCall = LiveCallSummary;

export interface RealtimeListener {
  /** Every event (call.*, agent.*, routing_rule.*), in sequence order. */
  onEvent?(event: EventMessage): void;
  /** The full set of live calls after a (re)connect or resync. */
  onSnapshot?(calls: LiveCall[]): void;
  /** The latest state of something (e.g. a campaign's progress): outside the sequence, never replayed. */
  onTransient?(message: TransientMessage): void;
  onState?(state: ConnectionState): void;
}

export interface RealtimeOptions {
  /** How to authenticate the upgrade: a URL (with a one-time ticket) and optional subprotocols. */
  authorize(): Promise<{ url: string; protocols?: string[] }>;
  /** Injected in tests. */
  WebSocketImpl?: typeof WebSocket;
  minDelayMs?: number;
  maxDelayMs?: number;
  /** How long a resume may go unanswered before the socket is replaced. */
  resumeTimeoutMs?: number;
}

const CLOSE_SESSION_ENDED = 4001;
const CLOSE_FORBIDDEN = 4003;

export class RealtimeClient {
  #ws: WebSocket | null = null;
  #listeners = new Set<RealtimeListener>();
  #state: ConnectionState = "offline";
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #ping: ReturnType<typeof setInterval> | null = null;
  #stopped = true;
  #epoch: string | null = null;
  /** The last sequence number applied; null before the first hello. */
  #seq: number | null = null;
  #unacked = 0;
  #ackEvery = 50;
  #snapshot: LiveCall[] = [];
  /**
   * While a resume is outstanding: the highest seq the server has shown us (the gap's event,
   * or a heartbeat's seq). The replay arrives as ordinary events; once the applied seq reaches
   * this, the client has caught up and the next gap asks again. Null when not resuming.
   */
  #resumeUntil: number | null = null;
  #resumeTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly options: RealtimeOptions) {}

  get state(): ConnectionState {
    return this.#state;
  }
  get lastSeq(): number | null {
    return this.#seq;
  }

  subscribe(listener: RealtimeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    void this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#clearPing();
    this.#endResume();
    const ws = this.#ws;
    this.#ws = null;
    ws?.close(1000, "client stopped");
    this.#setState("offline");
  }

  #setState(state: ConnectionState): void {
    if (state === this.#state) return;
    this.#state = state;
    for (const l of this.#listeners) l.onState?.(state);
  }

  async #connect(): Promise<void> {
    this.#setState(this.#attempt === 0 ? "connecting" : "reconnecting");
    let target: { url: string; protocols?: string[] };
    try {
      target = await this.options.authorize();
    } catch {
      return this.#scheduleReconnect();
    }
    if (this.#stopped) return;
    const url = new URL(target.url);
    if (this.#seq !== null) {
      url.searchParams.set("since", String(this.#seq));
      if (this.#epoch) url.searchParams.set("epoch", this.#epoch);
    }
    const Impl = this.options.WebSocketImpl ?? WebSocket;
    const ws = new Impl(url.toString(), target.protocols);
    this.#ws = ws;
    ws.onmessage = (event) => this.#onMessage(String(event.data));
    ws.onclose = (event) => {
      if (this.#ws !== ws) return;
      this.#ws = null;
      this.#clearPing();
      this.#endResume();
      if (this.#stopped) return;
      if (event.code === CLOSE_SESSION_ENDED || event.code === CLOSE_FORBIDDEN) {
        this.#setState("offline");
        return;
      }
      this.#scheduleReconnect();
    };
  }

  #scheduleReconnect(): void {
    if (this.#stopped) return;
    this.#setState("reconnecting");
    const min = this.options.minDelayMs ?? 500;
    const max = this.options.maxDelayMs ?? 30_000;
    const delay = Math.min(max, min * 2 ** this.#attempt) * (0.5 + Math.random() / 2);
    this.#attempt++;
    this.#timer = setTimeout(() => void this.#connect(), delay);
  }

  #clearPing(): void {
    if (this.#ping) clearInterval(this.#ping);
    this.#ping = null;
  }

  #send(message: object): void {
    if (this.#ws?.readyState === 1) this.#ws.send(JSON.stringify(message));
  }

  #onMessage(text: string): void {
    let msg: ServerMessage;
    try {
      msg = JSON.parse(text) as ServerMessage;
    } catch {
      return;
    }
    switch (msg.type) {
      case "hello":
        this.#onHello(msg as HelloMessage);
        return;
      case "snapshot":
        this.#onSnapshot(msg as SnapshotMessage);
        return;
      case "heartbeat":
        // A heartbeat ahead of what we saw means events were lost on the way.
        if (this.#seq !== null && msg.seq > this.#seq) this.#resume(msg.seq);
        return;
      case "resync":
        this.#snapshot = [];
        return;
      case "transient":
        for (const l of this.#listeners) l.onTransient?.(msg as TransientMessage);
        return;
      case "pong":
      case "error":
        return;
      default:
        this.#onEvent(msg as EventMessage);
    }
  }

  #onHello(hello: HelloMessage): void {
    this.#attempt = 0;
    this.#ackEvery = Math.max(1, hello.ackEvery);
    if (this.#epoch !== null && hello.epoch !== this.#epoch) this.#seq = null;
    this.#epoch = hello.epoch;
    this.#endResume();
    this.#clearPing();
    const every = Math.max(5, hello.heartbeatSec) * 1000 * 0.8;
    this.#ping = setInterval(() => this.#send({ type: "ping" }), every);
    this.#setState("open");
  }

  /** Snapshots come in parts numbered 1..parts; the set is complete with the last one. */
  #onSnapshot(snapshot: SnapshotMessage): void {
    if (snapshot.part <= 1) this.#snapshot = [];
    this.#snapshot.push(...snapshot.calls);
    if (snapshot.part < snapshot.parts) return;
    this.#seq = snapshot.seq;
    this.#epoch = snapshot.epoch;
    this.#endResume();
    const calls = this.#snapshot;
    for (const l of this.#listeners) l.onSnapshot?.(calls);
  }

  #onEvent(event: EventMessage): void {
    if (typeof event.seq !== "number") return;
    if (this.#seq !== null) {
      if (event.seq <= this.#seq) return; // a replayed duplicate
      if (event.seq > this.#seq + 1) {
        this.#resume(event.seq);
        return;
      }
    }
    this.#seq = event.seq;
    if (this.#resumeUntil !== null && event.seq >= this.#resumeUntil) this.#endResume();
    for (const l of this.#listeners) l.onEvent?.(event);
    if (++this.#unacked >= this.#ackEvery) {
      this.#unacked = 0;
      this.#send({ type: "ack", seq: event.seq });
    }
  }

  /**
   * Missed events up to `seen`: ask for them once; the server replays them or resyncs with a
   * snapshot. Gaps seen while a resume is outstanding only raise how far it must catch up.
   */
  #resume(seen: number): void {
    if (this.#seq === null) return;
    if (this.#resumeUntil !== null) {
      this.#resumeUntil = Math.max(this.#resumeUntil, seen);
      return;
    }
    this.#resumeUntil = seen;
    this.#send({ type: "resume", since: this.#seq, ...(this.#epoch ? { epoch: this.#epoch } : {}) });
    this.#resumeTimer = setTimeout(() => this.#resumeUnanswered(), this.options.resumeTimeoutMs ?? 10_000);
  }

  #endResume(): void {
    if (this.#resumeTimer) clearTimeout(this.#resumeTimer);
    this.#resumeTimer = null;
    this.#resumeUntil = null;
  }

  /** No replay and no snapshot came: replace the socket; the reconnect resumes from ?since=. */
  #resumeUnanswered(): void {
    this.#endResume();
    const ws = this.#ws;
    if (!ws || this.#stopped) return;
    this.#ws = null;
    this.#clearPing();
    ws.close(1000, "resume unanswered");
    this.#scheduleReconnect();
  }
}
