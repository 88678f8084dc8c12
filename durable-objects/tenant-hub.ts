import { DurableObject } from "cloudflare:workers";
import { log } from "../workers/lib/log";
import type { Env } from "../workers/env";
import { ClientMessage, PING, PONG, REALTIME_PROTOCOL, type HelloMessage, type ServerMessage, type TransientMessage } from "../workers/protocol/realtime";
import type { HubEvent, LiveCallSummary } from "./hub-events";
import { migrateSql } from "./lib/sql-migrations";
import { closeQuietly, isUpgrade, viewerOf } from "./lib/viewer-identity";
import { resumePlan, takeResume, type SocketEnd, type SocketTarget } from "./logic/hub-logic";
import { eventsAfter, loadPosition, oldestBuffered, RING, trimRing } from "./hub/event-ring";
import { ACK_EVERY, HEARTBEAT_MS, MAX_IN_FLIGHT, MAX_REPLAY, MAX_SOCKETS, RESUME_LIMIT } from "./hub/limits";
import { anyLiveCall, forgetOldTombstones, hasLiveCall, listLiveCalls, reconcileStaleCalls, STALE_CALL_MS } from "./hub/live-calls";
import { EVENT_TYPE, recordBatch } from "./hub/record";
import { HUB_SCHEMA } from "./hub/schema";
import { DashboardSockets, type Attachment } from "./hub/sockets";
import { forgetOldStreams } from "./hub/streams";

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
  readonly #sockets: DashboardSockets;
  /** Changes each time the object is constructed (after eviction or hibernation). */
  readonly #instance = crypto.randomUUID();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#sockets = new DashboardSockets(ctx);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
    void ctx.blockConcurrencyWhile(async () => {
      migrateSql(ctx.storage.sql, HUB_SCHEMA);
      const position = loadPosition(ctx.storage.sql);
      this.#seq = position.seq;
      this.#epoch = position.epoch;
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
      bodies = this.ctx.storage.transactionSync(() => {
        const batch = recordBatch(this.ctx.storage.sql, events.slice(0, 200), this.#seq);
        this.#seq = batch.seq;
        // The ring is trimmed in bulk (here once it holds twice its size, and by the alarm), not
        // by a DELETE on every publish.
        if (this.#seq - this.#trimmedTo > 2 * RING) this.#trim();
        return batch.bodies;
      });
    } catch (err) {
      this.#seq = before;
      throw err;
    }
    if (!bodies.length) return { seq: this.#seq };
    this.#sockets.fanOut(bodies, this.#seq);
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
    return { viewers: this.#sockets.broadcast(body) };
  }

  /** Ends the live sockets of a session or a user (sign-out, revocation, role change); returns how many. */
  async closeSockets(target: SocketTarget, end: SocketEnd): Promise<number> {
    return this.#sockets.closeTargeted(target, end);
  }

  /** The live calls, oldest first, as of `seq`. */
  async liveCalls(): Promise<{ epoch: string; seq: number; calls: LiveCallSummary[] }> {
    return { epoch: this.#epoch, seq: this.#seq, calls: listLiveCalls(this.ctx.storage.sql) };
  }

  async hasLiveCall(callId: string): Promise<boolean> {
    return hasLiveCall(this.ctx.storage.sql, callId);
  }

  /** Marks a realtime ticket used; false when it already was (tickets are single-use). */
  async consumeTicket(nonce: string, expiresAt: number): Promise<boolean> {
    return this.ctx.storage.sql.exec("INSERT OR IGNORE INTO used_tickets (nonce, exp) VALUES (?, ?)", nonce, expiresAt).rowsWritten > 0;
  }

  /** Liveness probe used by tests and health tooling. */
  async ping(): Promise<{ ok: true; name: string | undefined; instance: string; seq: number; sockets: number }> {
    return { ok: true, name: this.ctx.id.name, instance: this.#instance, seq: this.#seq, sockets: this.#sockets.count };
  }

  /** The WebSocket upgrade forwarded by GET /api/realtime once the Worker has authenticated the user. */
  async fetch(request: Request): Promise<Response> {
    if (!isUpgrade(request)) return new Response("Expected a WebSocket upgrade", { status: 426 });
    const viewer = viewerOf(request);
    if (!viewer) return new Response("Missing viewer identity", { status: 400 });
    if (this.ctx.id.name !== undefined && viewer.tenantId !== this.ctx.id.name) return new Response("Wrong tenant", { status: 403 });
    const now = Date.now();
    if (this.#sockets.count >= MAX_SOCKETS) return new Response("Too many live connections for this tenant", { status: 503 });

    const url = new URL(request.url);
    const since = url.searchParams.has("since") ? Number(url.searchParams.get("since")) : null;
    const { 0: client, 1: server } = new WebSocketPair();
    const attachment: Attachment = {
      userId: viewer.userId,
      role: viewer.role,
      sessionId: viewer.sessionId,
      sessionExpiresAt: viewer.sessionExpiresAt,
      connectedAt: now,
      lastSeen: now,
      acked: since !== null && Number.isInteger(since) && since >= 0 && since <= this.#seq ? since : this.#seq,
    };
    this.#sockets.accept(server, attachment);
    const hello: HelloMessage = { type: "hello", protocol: REALTIME_PROTOCOL, epoch: this.#epoch, seq: this.#seq, heartbeatSec: HEARTBEAT_MS / 1000, ackEvery: ACK_EVERY, maxInFlight: MAX_IN_FLIGHT };
    server.send(JSON.stringify(hello));
    if (since !== null && Number.isInteger(since) && since >= 0) this.#catchUp(server, since, url.searchParams.get("epoch") ?? undefined);
    else this.#sendSnapshot(server);
    await this.#armAlarm();
    const headers = viewer.protocol ? { "Sec-WebSocket-Protocol": viewer.protocol } : undefined;
    return new Response(null, { status: 101, webSocket: client, headers });
  }

  async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const sockets = this.#sockets;
    if (typeof message !== "string" || message.length > 4_096) return sockets.reject(ws, "messages are small JSON text frames");
    let parsed: ReturnType<typeof ClientMessage.safeParse> | null;
    try {
      parsed = ClientMessage.safeParse(JSON.parse(message));
    } catch {
      parsed = null;
    }
    if (!parsed?.success) return sockets.reject(ws, 'expected {"type":"ping"}, {"type":"ack","seq":n} or {"type":"resume","since":n}');
    const state = sockets.state(ws);
    const now = Date.now();
    state.lastSeen = now;
    const msg = parsed.data;
    if (msg.type === "ping") ws.send(PONG);
    else if (msg.type === "ack") state.acked = Math.max(state.acked, Math.min(msg.seq, this.#seq));
    else {
      const budget = takeResume(state, now, RESUME_LIMIT);
      state.resumes = budget.resumes;
      state.resumeWindowAt = budget.resumeWindowAt;
      sockets.save(ws, state);
      if (!budget.allowed) return sockets.refuse(ws, "TOO_MANY_RESUMES", `at most ${RESUME_LIMIT.count} resumes per ${RESUME_LIMIT.windowMs / 1000} s; reconnect with ?since=${state.acked}`, "too many resumes");
      return this.#catchUp(ws, msg.since, msg.epoch);
    }
    sockets.save(ws, state);
  }

  async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    this.#sockets.forget(ws);
    closeQuietly(ws, code, reason);
  }

  async webSocketError(ws: WebSocket, error: unknown): Promise<void> {
    this.#sockets.forget(ws);
    log.warn("hub.socket_error", { hub: this.ctx.id.name, error });
  }

  /** Heartbeats, dropping dead, slow or expired sockets, housekeeping and live-call checks. */
  async alarm(): Promise<void> {
    const now = Date.now();
    this.#sockets.sweep(this.#seq, now);
    const sql = this.ctx.storage.sql;
    sql.exec("DELETE FROM used_tickets WHERE exp < ?", now);
    this.#trim();
    forgetOldTombstones(sql, now);
    forgetOldStreams(sql, now);
    const tenantId = this.ctx.id.name;
    if (tenantId) await reconcileStaleCalls(sql, this.env, tenantId, now, (events) => this.publish(events));
    await this.#armAlarm(true);
  }

  #trim(): void {
    this.#trimmedTo = trimRing(this.ctx.storage.sql, this.#seq);
  }

  #sendSnapshot(ws: WebSocket): void {
    this.#sockets.sendSnapshot(ws, listLiveCalls(this.ctx.storage.sql), { epoch: this.#epoch, seq: this.#seq });
  }

  /** Replays what a client missed after `since`, or tells it to resync and sends a snapshot. */
  #catchUp(ws: WebSocket, since: number, epoch: string | undefined): void {
    const sql = this.ctx.storage.sql;
    const plan = resumePlan(since, epoch, { seq: this.#seq, epoch: this.#epoch, oldestBuffered: oldestBuffered(sql) }, MAX_REPLAY);
    const state = this.#sockets.state(ws);
    if (plan.kind === "replay") {
      for (const body of eventsAfter(sql, plan.after)) this.#sockets.send(ws, body);
    } else if (plan.kind === "resync") {
      this.#sockets.send(ws, JSON.stringify({ type: "resync", seq: this.#seq, reason: plan.reason } satisfies ServerMessage));
      this.#sendSnapshot(ws);
    }
    state.acked = Math.max(plan.kind === "replay" ? plan.after : this.#seq, 0);
    this.#sockets.save(ws, state);
  }

  /** While sockets are open the alarm heartbeats them; with none, it only checks stale live calls. */
  async #armAlarm(fromAlarm = false): Promise<void> {
    const sockets = this.#sockets.count > 0;
    const calls = anyLiveCall(this.ctx.storage.sql);
    const due = sockets ? Date.now() + HEARTBEAT_MS : calls ? Date.now() + STALE_CALL_MS : null;
    if (due === null) return;
    const current = await this.ctx.storage.getAlarm();
    if (fromAlarm || current === null || current > due) await this.ctx.storage.setAlarm(due);
  }
}
