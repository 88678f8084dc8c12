import { CLOSE, ClientMessage, PING, PONG, type CallSnapshotMessage, type ErrorMessage } from "../../workers/protocol/realtime";
import type { HubEvent } from "../hub-events";
import { isTerminal } from "../../workers/domain/call-machine";
import { closeQuietly, isUpgrade, viewerOf } from "./viewer-identity";

/*
 * The per-call live view of a CallSession: viewers' hibernating WebSockets (tag "viewer"), a
 * snapshot on connect, then each event of the call with the call's own sequence number. Kept
 * out of call-session.ts, which only forwards to these functions.
 */

const TAG = "viewer";
/** A call is watched by a few operators at most; beyond that a client is misbehaving. */
const MAX_VIEWERS_PER_CALL = 20;

interface ViewerAttachment {
  userId: string;
  sessionExpiresAt: number;
}

export interface CallView {
  state: string;
  seq: number;
  record: unknown;
  trace: unknown;
}

/**
 * Call from the constructor: pings of viewers that connected before an eviction are then
 * answered without waking the object, whether or not anyone connects again.
 */
export function answerViewerPings(ctx: DurableObjectState): void {
  ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
}

export function acceptCallViewer(ctx: DurableObjectState, request: Request, call: CallView | null): Response {
  if (!isUpgrade(request)) return new Response("Expected a WebSocket upgrade", { status: 426 });
  const viewer = viewerOf(request);
  if (!viewer) return new Response("Missing viewer identity", { status: 400 });
  if (!call) return new Response("No such call", { status: 404 });
  const headers = viewer.protocol ? { "Sec-WebSocket-Protocol": viewer.protocol } : undefined;
  const { 0: client, 1: server } = new WebSocketPair();
  if (ctx.getWebSockets(TAG).length >= MAX_VIEWERS_PER_CALL) {
    // Accepted only to say why: a browser sees a close reason, never a refused upgrade's body.
    server.accept();
    const message = `at most ${MAX_VIEWERS_PER_CALL} viewers may watch one call; try again later`;
    server.send(JSON.stringify({ type: "error", code: "TOO_MANY_VIEWERS", message } satisfies ErrorMessage));
    server.close(CLOSE.tryAgainLater, "too many viewers of this call");
    return new Response(null, { status: 101, webSocket: client, headers });
  }
  ctx.acceptWebSocket(server, [TAG]);
  server.serializeAttachment({ userId: viewer.userId, sessionExpiresAt: viewer.sessionExpiresAt } satisfies ViewerAttachment);
  const snapshot: CallSnapshotMessage = { type: "call.snapshot", seq: call.seq, call: { state: call.state, record: call.record, trace: call.trace } };
  server.send(JSON.stringify(snapshot));
  if (isTerminal(call.state)) server.close(1000, "call ended");
  return new Response(null, { status: 101, webSocket: client, headers });
}

/**
 * Sends a committed batch of the call's events to its viewers, each numbered with the call's
 * own sequence (its key). Viewers are let go once the call has ended, or when their session has.
 */
export function broadcastToViewers(ctx: DurableObjectState, events: readonly HubEvent[], ended: boolean): void {
  const sockets = ctx.getWebSockets(TAG);
  if (!sockets.length || !events.length) return;
  const bodies = events.map((e) => JSON.stringify({ type: e.type, seq: e.key?.seq, at: e.at, data: e.data }));
  const now = Date.now();
  for (const ws of sockets) {
    const attachment = ws.deserializeAttachment() as ViewerAttachment | null;
    if (!attachment || attachment.sessionExpiresAt <= now) {
      closeQuietly(ws, CLOSE.sessionEnded, "session ended; sign in again");
      continue;
    }
    try {
      for (const body of bodies) ws.send(body);
      if (ended) ws.close(1000, "call ended");
    } catch {
      closeQuietly(ws, 1011, "send failed");
    }
  }
}

export function onViewerMessage(ws: WebSocket, message: string | ArrayBuffer): void {
  let parsed = null;
  try {
    parsed = typeof message === "string" && message.length <= 1_024 ? ClientMessage.safeParse(JSON.parse(message)) : null;
  } catch {
    parsed = null;
  }
  if (parsed?.success && parsed.data.type === "ping") ws.send(PONG);
  else if (!parsed?.success) closeQuietly(ws, CLOSE.invalid, "invalid message");
}

export function onViewerClose(ws: WebSocket, code: number, reason: string): void {
  closeQuietly(ws, code, reason);
}
