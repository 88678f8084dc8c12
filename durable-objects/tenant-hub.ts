import { DurableObject } from "cloudflare:workers";
import { log } from "../workers/lib/log";
import type { Env } from "../workers/env";
import { CLOSE, ClientMessage, PING, PONG, REALTIME_PROTOCOL, type EventMessage, type HelloMessage, type ServerMessage, type TransientMessage } from "../workers/protocol/realtime";
import type { HubEvent, LiveCallSummary } from "./hub-events";
import { migrateSql } from "./lib/sql-migrations";
import { closeQuietly, isUpgrade, viewerOf } from "./lib/viewer-identity";
import { isTerminal } from "../workers/domain/call-machine";
import { closeFor, isEventKey, isResend, isTargeted, liveSummaryOf, registryAction, resumePlan, socketVerdict, takeResume, type SocketEnd, type SocketState, type SocketTarget } from "./logic/hub-logic";

const SCHEMA = [
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
  "CREATE TABLE events (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, body TEXT NOT NULL)",
  "CREATE TABLE live_calls (call_id TEXT PRIMARY KEY, at INTEGER NOT NULL, started_at INTEGER NOT NULL, checked_at INTEGER NOT NULL, body TEXT NOT NULL)",
  "CREATE TABLE ended_calls (call_id TEXT PRIMARY KEY, at INTEGER NOT NULL)",
  "CREATE TABLE used_tickets (nonce TEXT PRIMARY KEY, exp INTEGER NOT NULL)",
  "CREATE TABLE streams (stream TEXT PRIMARY KEY, seq INTEGER NOT NULL, at INTEGER NOT NULL)",
  // Write diet: text-keyed tables WITHOUT ROWID (a new row is one row written, not two), and a
  // call's stream position kept in its live or ended row instead of a table of its own.
  "CREATE TABLE live_calls_v2 (call_id TEXT PRIMARY KEY, at INTEGER NOT NULL, started_at INTEGER NOT NULL, checked_at INTEGER NOT NULL, stream_seq INTEGER, body TEXT NOT NULL) WITHOUT ROWID",
  "INSERT INTO live_calls_v2 (call_id, at, started_at, checked_at, stream_seq, body) SELECT l.call_id, l.at, l.started_at, l.checked_at, s.seq, l.body FROM live_calls l LEFT JOIN streams s ON s.stream = l.call_id",
  "DROP TABLE live_calls",
  "ALTER TABLE live_calls_v2 RENAME TO live_calls",
  "CREATE TABLE ended_calls_v2 (call_id TEXT PRIMARY KEY, at INTEGER NOT NULL, stream_seq INTEGER) WITHOUT ROWID",
  "INSERT INTO ended_calls_v2 (call_id, at, stream_seq) SELECT e.call_id, e.at, s.seq FROM ended_calls e LEFT JOIN streams s ON s.stream = e.call_id",
  "DROP TABLE ended_calls",
  "ALTER TABLE ended_calls_v2 RENAME TO ended_calls",
  "CREATE TABLE used_tickets_v2 (nonce TEXT PRIMARY KEY, exp INTEGER NOT NULL) WITHOUT ROWID",
  "INSERT INTO used_tickets_v2 SELECT nonce, exp FROM used_tickets",
  "DROP TABLE used_tickets",
  "ALTER TABLE used_tickets_v2 RENAME TO used_tickets",
  "CREATE TABLE streams_v2 (stream TEXT PRIMARY KEY, seq INTEGER NOT NULL, at INTEGER NOT NULL) WITHOUT ROWID",
  "INSERT INTO streams_v2 SELECT s.stream, s.seq, s.at FROM streams s WHERE s.stream NOT IN (SELECT call_id FROM live_calls UNION SELECT call_id FROM ended_calls)",
  "DROP TABLE streams",
  "ALTER TABLE streams_v2 RENAME TO streams",
] as const;

const HEARTBEAT_MS = 30_000;
const IDLE_MS = 90_000;
const MAX_IN_FLIGHT = 500;
const ACK_EVERY = 100;
/**
 * Replayed events count as in flight until acknowledged, so a replay takes at most half the
 * bound: the other half leaves room for live events before the client's first ack. A longer
 * gap gets a resync and a snapshot instead.
 */
const MAX_REPLAY = MAX_IN_FLIGHT / 2;
const RESUME_LIMIT = { count: 3, windowMs: 10_000 };
/** Events kept for replay to clients that reconnect. */
const RING = 1_000;
/** How long a publisher's stream position is remembered, to drop its resends (a call's life and then some). */
const STREAM_MEMORY_MS = 24 * 3_600_000;
const MAX_SOCKETS = 500;
const SNAPSHOT_PART = 200;
const TOMBSTONE_MS = 3_600_000;
/** A live call with no news for this long is checked against its CallSession. */
const STALE_CALL_MS = 10 * 60_000;
const EVENT_TYPE = /^[a-z][a-z_]*\.[a-z_.]+$/;

/** A live call as a batch of events leaves it: what #record then writes, once. */
interface RegistryEntry {
  current: { at: number } | null;
  tombstoned: boolean;
  write: "end" | "upsert" | null;
  summary: LiveCallSummary | null;
}

interface Attachment extends SocketState {
  userId: string;
  role: string;
  sessionId: string;
}

/**
 * One per tenant (named by the tenant id): numbers every event the tenant's calls and
 * configuration publish, keeps the registry of live calls, and fans events out to the
 * tenant's dashboards over hibernating WebSockets. Sockets of one tenant only ever reach this
 * object, so nothing of another tenant can reach them.
 */
export class TenantHub extends DurableObject<Env> {
  #seq = 0;
  /** Events up to this seq are known gone from the ring (0: unknown, trimmed at the next chance). */
  #trimmedTo = 0;
  #epoch = "";
  #attachments = new Map<WebSocket, Attachment>();
  /** Changes each time the object is constructed (after eviction or hibernation). */
  readonly #instance = crypto.randomUUID();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
    void ctx.blockConcurrencyWhile(async () => {
      migrateSql(ctx.storage.sql, SCHEMA);
      const meta = new Map(
        ctx.storage.sql
          .exec<{ key: string; value: string }>("SELECT key, value FROM meta")
          .toArray()
          .map((r) => [r.key, r.value]),
      );
      // The sequence is the newest event's (the ring always keeps it); builds before this one
      // also wrote it to meta on every publish.
      const newest = ctx.storage.sql.exec<{ seq: number | null }>("SELECT MAX(seq) AS seq FROM events").one().seq ?? 0;
      this.#seq = Math.max(newest, Number(meta.get("seq") ?? 0));
      this.#epoch = meta.get("epoch") ?? crypto.randomUUID().slice(0, 8);
      if (!meta.has("epoch")) ctx.storage.sql.exec("INSERT INTO meta (key, value) VALUES ('epoch', ?)", this.#epoch);
    });
  }

  /**
   * Numbers, records and fans out events; updates the live-call registry from call.* events.
   * Keyed events already seen (a publisher's retry after a lost answer) are dropped, so a
   * publisher may resend until this call succeeds.
   */
  async publish(events: HubEvent[]): Promise<{ seq: number }> {
    if (!Array.isArray(events)) return { seq: this.#seq };
    const before = this.#seq;
    let bodies: string[];
    try {
      bodies = this.ctx.storage.transactionSync(() => this.#record(events.slice(0, 200)));
    } catch (err) {
      this.#seq = before;
      throw err;
    }
    if (!bodies.length) return { seq: this.#seq };
    this.#fanOut(bodies);
    await this.#armAlarm();
    return { seq: this.#seq };
  }

  /**
   * Sends a message to the tenant's dashboards as it is: not numbered, not kept for replay, no
   * row written. For the latest state of something the API also serves (a campaign's progress,
   * about once a second while it runs), so one missed is made good by the next. Returns how many
   * sockets it reached, so a publisher may slow down while nobody watches.
   */
  async broadcast(event: string, data: Record<string, unknown>): Promise<{ viewers: number }> {
    if (typeof event !== "string" || !EVENT_TYPE.test(event) || typeof data !== "object" || data === null) return { viewers: 0 };
    const body = JSON.stringify({ type: "transient", event, at: Date.now(), data } satisfies TransientMessage);
    let viewers = 0;
    for (const ws of this.ctx.getWebSockets()) if (this.#send(ws, body)) viewers++;
    return { viewers };
  }

  /** Ends the live sockets of a session or a user (sign-out, revocation, role change); returns how many. */
  async closeSockets(target: SocketTarget, end: SocketEnd): Promise<number> {
    const { code, reason } = closeFor(end);
    let closed = 0;
    for (const ws of this.ctx.getWebSockets()) {
      const state = this.#state(ws);
      if (!state || !isTargeted(state, target)) continue;
      this.#close(ws, code, reason);
      closed++;
    }
    return closed;
  }

  /** The live calls, oldest first, as of `seq`. */
  async liveCalls(): Promise<{ epoch: string; seq: number; calls: LiveCallSummary[] }> {
    return { epoch: this.#epoch, seq: this.#seq, calls: this.#liveCalls() };
  }

  async hasLiveCall(callId: string): Promise<boolean> {
    return this.ctx.storage.sql.exec("SELECT 1 FROM live_calls WHERE call_id = ?", callId).toArray().length > 0;
  }

  /** Marks a realtime ticket used; false when it already was (tickets are single-use). */
  async consumeTicket(nonce: string, expiresAt: number): Promise<boolean> {
    return this.ctx.storage.sql.exec("INSERT OR IGNORE INTO used_tickets (nonce, exp) VALUES (?, ?)", nonce, expiresAt).rowsWritten > 0;
  }

  /** Liveness probe used by tests and health tooling. */
  async ping(): Promise<{ ok: true; name: string | undefined; instance: string; seq: number; sockets: number }> {
    return { ok: true, name: this.ctx.id.name, instance: this.#instance, seq: this.#seq, sockets: this.ctx.getWebSockets().length };
  }

  /** The WebSocket upgrade forwarded by GET /api/realtime once the Worker has authenticated the user. */
  async fetch(request: Request): Promise<Response> {
    if (!isUpgrade(request)) return new Response("Expected a WebSocket upgrade", { status: 426 });
    const viewer = viewerOf(request);
    if (!viewer) return new Response("Missing viewer identity", { status: 400 });
    if (this.ctx.id.name !== undefined && viewer.tenantId !== this.ctx.id.name) return new Response("Wrong tenant", { status: 403 });
    const now = Date.now();
    if (this.ctx.getWebSockets().length >= MAX_SOCKETS) return new Response("Too many live connections for this tenant", { status: 503 });

    const url = new URL(request.url);
    const since = url.searchParams.has("since") ? Number(url.searchParams.get("since")) : null;
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server, ["dashboard"]);
    const attachment: Attachment = {
      userId: viewer.userId,
      role: viewer.role,
      sessionId: viewer.sessionId,
      sessionExpiresAt: viewer.sessionExpiresAt,
      connectedAt: now,
      lastSeen: now,
      acked: since !== null && Number.isInteger(since) && since >= 0 && since <= this.#seq ? since : this.#seq,
    };
    this.#save(server, attachment);
    const hello: HelloMessage = { type: "hello", protocol: REALTIME_PROTOCOL, epoch: this.#epoch, seq: this.#seq, heartbeatSec: HEARTBEAT_MS / 1000, ackEvery: ACK_EVERY, maxInFlight: MAX_IN_FLIGHT };
    server.send(JSON.stringify(hello));
    if (since !== null && Number.isInteger(since) && since >= 0) this.#catchUp(server, since, url.searchParams.get("epoch") ?? undefined);
    else this.#sendSnapshot(server);
    await this.#armAlarm();
    const headers = viewer.protocol ? { "Sec-WebSocket-Protocol": viewer.protocol } : undefined;
    return new Response(null, { status: 101, webSocket: client, headers });
  }

  async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    if (typeof message !== "string" || message.length > 4_096) return this.#reject(ws, "messages are small JSON text frames");
    let parsed: ReturnType<typeof ClientMessage.safeParse> | null;
    try {
      parsed = ClientMessage.safeParse(JSON.parse(message));
    } catch {
      parsed = null;
    }
    if (!parsed?.success) return this.#reject(ws, 'expected {"type":"ping"}, {"type":"ack","seq":n} or {"type":"resume","since":n}');
    const state = this.#state(ws);
    const now = Date.now();
    state.lastSeen = now;
    const msg = parsed.data;
    if (msg.type === "ping") ws.send(PONG);
    else if (msg.type === "ack") state.acked = Math.max(state.acked, Math.min(msg.seq, this.#seq));
    else {
      const budget = takeResume(state, now, RESUME_LIMIT);
      state.resumes = budget.resumes;
      state.resumeWindowAt = budget.resumeWindowAt;
      this.#save(ws, state);
      if (!budget.allowed) return this.#refuse(ws, "TOO_MANY_RESUMES", `at most ${RESUME_LIMIT.count} resumes per ${RESUME_LIMIT.windowMs / 1000} s; reconnect with ?since=${state.acked}`, "too many resumes");
      return this.#catchUp(ws, msg.since, msg.epoch);
    }
    this.#save(ws, state);
  }

  async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    this.#attachments.delete(ws);
    closeQuietly(ws, code, reason);
  }

  async webSocketError(ws: WebSocket, error: unknown): Promise<void> {
    this.#attachments.delete(ws);
    log.warn("hub.socket_error", { hub: this.ctx.id.name, error });
  }

  /** Heartbeats, dropping dead, slow or expired sockets, housekeeping and live-call checks. */
  async alarm(): Promise<void> {
    const now = Date.now();
    const heartbeat = JSON.stringify({ type: "heartbeat", seq: this.#seq, at: now } satisfies ServerMessage);
    for (const ws of this.ctx.getWebSockets()) {
      const state = this.#state(ws);
      const pinged = this.ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? 0;
      if (pinged > state.lastSeen) state.lastSeen = pinged;
      const verdict = socketVerdict(state, this.#seq, now, { maxInFlight: MAX_IN_FLIGHT, idleMs: IDLE_MS });
      if (verdict.keep) this.#send(ws, heartbeat);
      else this.#close(ws, verdict.code, verdict.reason);
    }
    const sql = this.ctx.storage.sql;
    sql.exec("DELETE FROM used_tickets WHERE exp < ?", now);
    this.#trim();
    sql.exec("DELETE FROM ended_calls WHERE at < ?", now - TOMBSTONE_MS);
    sql.exec("DELETE FROM streams WHERE at < ?", now - STREAM_MEMORY_MS);
    await this.#reconcileStaleCalls(now);
    await this.#armAlarm(true);
  }

  /**
   * Numbers and stores the new events, inside publish's transaction; returns their bodies.
   * A batch is usually one call's events: its stream position and its live-call row are read
   * once and written once per batch, not per event.
   */
  #record(events: HubEvent[]): string[] {
    const sql = this.ctx.storage.sql;
    const bodies: string[] = [];
    const streams = new Map<string, { seen: number | null; changed: boolean; row: "live" | "ended" | null }>();
    const calls = new Map<string, RegistryEntry>();
    for (const event of events) {
      if (!event || typeof event.type !== "string" || !EVENT_TYPE.test(event.type) || typeof event.data !== "object" || event.data === null) {
        log.warn("hub.malformed_event_dropped", { event: JSON.stringify(event)?.slice(0, 200) });
        continue;
      }
      if (event.key !== undefined && isEventKey(event.key)) {
        let stream = streams.get(event.key.stream);
        if (!stream) streams.set(event.key.stream, (stream = this.#streamPosition(event.key.stream)));
        if (isResend(event.key, stream.seen)) continue;
        stream.seen = event.key.seq;
        stream.changed = true;
      }
      const at = Number.isFinite(event.at) ? event.at : Date.now();
      const message: EventMessage = { type: event.type, seq: ++this.#seq, at, data: event.data };
      const body = JSON.stringify(message);
      sql.exec("INSERT INTO events (seq, at, body) VALUES (?, ?, ?)", message.seq, at, body);
      this.#register(calls, event, at);
      bodies.push(body);
    }
    const now = Date.now();
    // A call's stream position is written with its live or ended row: one row per call per batch.
    for (const [callId, entry] of calls) {
      if (!entry.write) continue;
      const seq = streams.get(callId)?.seen ?? null;
      streams.delete(callId);
      if (entry.write === "end") {
        sql.exec(
          "INSERT INTO ended_calls (call_id, at, stream_seq) VALUES (?, ?, COALESCE(?, (SELECT stream_seq FROM live_calls WHERE call_id = ?))) ON CONFLICT (call_id) DO UPDATE SET at = excluded.at, stream_seq = COALESCE(excluded.stream_seq, stream_seq)",
          callId,
          now,
          seq,
          callId,
        );
        sql.exec("DELETE FROM live_calls WHERE call_id = ?", callId);
      } else if (entry.summary) {
        sql.exec(
          "INSERT INTO live_calls (call_id, at, started_at, checked_at, stream_seq, body) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (call_id) DO UPDATE SET at = excluded.at, checked_at = excluded.checked_at, stream_seq = COALESCE(excluded.stream_seq, stream_seq), body = excluded.body",
          callId,
          entry.current!.at,
          entry.summary.startedAt,
          now,
          seq,
          JSON.stringify(entry.summary),
        );
      }
    }
    for (const [name, stream] of streams) {
      if (!stream.changed) continue;
      if (stream.row === "live") sql.exec("UPDATE live_calls SET stream_seq = ? WHERE call_id = ?", stream.seen, name);
      else if (stream.row === "ended") sql.exec("UPDATE ended_calls SET stream_seq = ? WHERE call_id = ?", stream.seen, name);
      else sql.exec("INSERT INTO streams (stream, seq, at) VALUES (?, ?, ?) ON CONFLICT (stream) DO UPDATE SET seq = excluded.seq, at = excluded.at", name, stream.seen, now);
    }
    // The ring is trimmed in bulk (here once it holds twice its size, and by the alarm), not by a
    // DELETE on every publish.
    if (this.#seq - this.#trimmedTo > 2 * RING) this.#trim();
    return bodies;
  }

  #trim(): void {
    this.ctx.storage.sql.exec("DELETE FROM events WHERE seq <= ?", this.#seq - RING);
    this.#trimmedTo = this.#seq - RING;
  }

  /** Where a publisher's stream stands: a call's position is kept in its live or ended row. */
  #streamPosition(stream: string): { seen: number | null; changed: boolean; row: "live" | "ended" | null } {
    const sql = this.ctx.storage.sql;
    const live = sql.exec<{ seq: number | null }>("SELECT stream_seq AS seq FROM live_calls WHERE call_id = ?", stream).toArray()[0];
    if (live) return { seen: live.seq, changed: false, row: "live" };
    const ended = sql.exec<{ seq: number | null }>("SELECT stream_seq AS seq FROM ended_calls WHERE call_id = ?", stream).toArray()[0];
    if (ended) return { seen: ended.seq, changed: false, row: "ended" };
    return { seen: sql.exec<{ seq: number }>("SELECT seq FROM streams WHERE stream = ?", stream).toArray()[0]?.seq ?? null, changed: false, row: null };
  }

  /** Applies a call.* event to the batch's view of the registry; #record writes the outcome. */
  #register(calls: Map<string, RegistryEntry>, event: HubEvent, at: number): void {
    const summary = liveSummaryOf(event);
    if (!summary) return;
    let entry = calls.get(summary.callId);
    if (!entry) {
      const sql = this.ctx.storage.sql;
      entry = {
        current: sql.exec<{ at: number }>("SELECT at FROM live_calls WHERE call_id = ?", summary.callId).toArray()[0] ?? null,
        tombstoned: sql.exec("SELECT 1 FROM ended_calls WHERE call_id = ?", summary.callId).toArray().length > 0,
        write: null,
        summary: null,
      };
      calls.set(summary.callId, entry);
    }
    const action = registryAction(summary, event.type, entry.current, entry.tombstoned, at);
    if (action === "end") {
      Object.assign(entry, { current: null, tombstoned: true, write: "end", summary: null });
    } else if (action === "upsert") {
      Object.assign(entry, { current: { at }, write: "upsert", summary });
    }
  }

  #liveCalls(): LiveCallSummary[] {
    return this.ctx.storage.sql
      .exec<{ body: string }>("SELECT body FROM live_calls ORDER BY started_at, call_id")
      .toArray()
      .map((row) => JSON.parse(row.body) as LiveCallSummary);
  }

  #sendSnapshot(ws: WebSocket): void {
    const calls = this.#liveCalls();
    const parts = Math.max(1, Math.ceil(calls.length / SNAPSHOT_PART));
    for (let part = 0; part < parts; part++) {
      const slice = calls.slice(part * SNAPSHOT_PART, (part + 1) * SNAPSHOT_PART);
      this.#send(ws, JSON.stringify({ type: "snapshot", epoch: this.#epoch, seq: this.#seq, calls: slice, part: part + 1, parts } satisfies ServerMessage));
    }
  }

  /** Replays what a client missed after `since`, or tells it to resync and sends a snapshot. */
  #catchUp(ws: WebSocket, since: number, epoch: string | undefined): void {
    const oldest = this.ctx.storage.sql.exec<{ seq: number | null }>("SELECT MIN(seq) AS seq FROM events").one().seq;
    const plan = resumePlan(since, epoch, { seq: this.#seq, epoch: this.#epoch, oldestBuffered: oldest }, MAX_REPLAY);
    const state = this.#state(ws);
    if (plan.kind === "replay") {
      for (const row of this.ctx.storage.sql.exec<{ body: string }>("SELECT body FROM events WHERE seq > ? ORDER BY seq", plan.after)) this.#send(ws, row.body);
    } else if (plan.kind === "resync") {
      this.#send(ws, JSON.stringify({ type: "resync", seq: this.#seq, reason: plan.reason } satisfies ServerMessage));
      this.#sendSnapshot(ws);
    }
    state.acked = Math.max(plan.kind === "replay" ? plan.after : this.#seq, 0);
    this.#save(ws, state);
  }

  #fanOut(bodies: string[]): void {
    const now = Date.now();
    for (const ws of this.ctx.getWebSockets()) {
      const verdict = socketVerdict(this.#state(ws), this.#seq, now, { maxInFlight: MAX_IN_FLIGHT, idleMs: Number.POSITIVE_INFINITY });
      if (!verdict.keep) {
        this.#close(ws, verdict.code, verdict.reason);
        continue;
      }
      for (const body of bodies) if (!this.#send(ws, body)) break;
    }
  }

  /** Calls whose end never reached the hub (a lost publish) are checked with their CallSession. */
  async #reconcileStaleCalls(now: number): Promise<void> {
    const tenantId = this.ctx.id.name;
    if (!tenantId) return;
    const stale = this.ctx.storage.sql.exec<{ call_id: string; body: string }>("SELECT call_id, body FROM live_calls WHERE checked_at < ? ORDER BY checked_at LIMIT 20", now - STALE_CALL_MS).toArray();
    for (const row of stale) {
      let ended = false;
      try {
        const snapshot = (await this.env.CALL_SESSION.getByName(`${tenantId}:${row.call_id}`).snapshot()) as { state: string } | null;
        ended = !snapshot || isTerminal(snapshot.state);
      } catch (err) {
        log.warn("hub.call_check_failed", { callId: row.call_id, error: err });
        continue;
      }
      if (!ended) {
        this.ctx.storage.sql.exec("UPDATE live_calls SET checked_at = ? WHERE call_id = ?", now, row.call_id);
        continue;
      }
      const summary = JSON.parse(row.body) as LiveCallSummary;
      await this.publish([{ type: "call.ended", at: now, data: { ...summary, state: summary.state, endedAt: now, event: "call.ended", detail: { reason: "reconciled" } } }]);
    }
  }

  async #armAlarm(fromAlarm = false): Promise<void> {
    const sockets = this.ctx.getWebSockets().length > 0;
    const calls = this.ctx.storage.sql.exec("SELECT 1 FROM live_calls LIMIT 1").toArray().length > 0;
    const due = sockets ? Date.now() + HEARTBEAT_MS : calls ? Date.now() + STALE_CALL_MS : null;
    if (due === null) return;
    const current = await this.ctx.storage.getAlarm();
    if (fromAlarm || current === null || current > due) await this.ctx.storage.setAlarm(due);
  }

  #state(ws: WebSocket): Attachment {
    let state = this.#attachments.get(ws);
    if (!state) {
      // After hibernation the map is empty: the socket's attachment survived with it.
      state = ws.deserializeAttachment() as Attachment;
      this.#attachments.set(ws, state);
    }
    return state;
  }

  #save(ws: WebSocket, state: Attachment): void {
    this.#attachments.set(ws, state);
    ws.serializeAttachment(state);
  }

  #send(ws: WebSocket, body: string): boolean {
    try {
      ws.send(body);
      return true;
    } catch {
      this.#close(ws, 1011, "send failed");
      return false;
    }
  }

  #close(ws: WebSocket, code: number, reason: string): void {
    this.#attachments.delete(ws);
    try {
      ws.close(code, reason);
    } catch {
      // Already closed.
    }
  }

  #reject(ws: WebSocket, message: string): void {
    this.#refuse(ws, "INVALID_MESSAGE", message, "invalid message");
  }

  #refuse(ws: WebSocket, code: string, message: string, reason: string): void {
    this.#send(ws, JSON.stringify({ type: "error", code, message } satisfies ServerMessage));
    this.#close(ws, CLOSE.invalid, reason);
  }
}
