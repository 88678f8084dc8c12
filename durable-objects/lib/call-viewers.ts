import { ClientMessage, PONG, type CallSnapshotMessage } from "../../workers/protocol/realtime";
import type { HubEvent } from "../hub-events";
import { closeQuietly, isUpgrade, viewerOf } from "./viewer-identity";

/*
 * The per-call live view of a CallSession: viewers' hibernating WebSockets (tag "viewer"), a
 * snapshot on connect, then each event of the call with the call's own sequence number. Kept
 * out of call-session.ts, which only forwards to these functions.
 */

const TAG = "viewer";
const TERMINAL = new Set(["completed", "failed", "timeout"]);

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

export function acceptCallViewer(ctx: DurableObjectState, request: Request, call: CallView | null): Response {
  if (!isUpgrade(request)) return new Response("Expected a WebSocket upgrade", { status: 426 });
  const viewer = viewerOf(request);
  if (!viewer) return new Response("Missing viewer identity", { status: 400 });
  if (!call) return new Response("No such call", { status: 404 });
  const { 0: client, 1: server } = new WebSocketPair();
  ctx.acceptWebSocket(server, [TAG]);
  ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('{"type":"ping"}', PONG));
  server.serializeAttachment({ userId: viewer.userId, sessionExpiresAt: viewer.sessionExpiresAt } satisfies ViewerAttachment);
  const snapshot: CallSnapshotMessage = { type: "call.snapshot", seq: call.seq, call: { state: call.state, record: call.record, trace: call.trace } };
  server.send(JSON.stringify(snapshot));
  if (TERMINAL.has(call.state)) server.close(1000, "call ended");
  return new Response(null, { status: 101, webSocket: client, headers: viewer.protocol ? { "Sec-WebSocket-Protocol": viewer.protocol } : undefined });
}

/**
 * Sends a committed batch of the call's events to its viewers. `lastSeq` is the call's
 * sequence after the batch, so the events are numbered lastSeq − n + 1 … lastSeq. Viewers
 * are let go once the call has ended, or when their session has.
 */
export function broadcastToViewers(ctx: DurableObjectState, events: readonly HubEvent[], lastSeq: number, ended: boolean): void {
  const sockets = ctx.getWebSockets(TAG);
  if (!sockets.length || !events.length) return;
  const first = lastSeq - events.length + 1;
  const bodies = events.map((e, i) => JSON.stringify({ type: e.type, seq: first + i, at: e.at, data: e.data }));
  const now = Date.now();
  for (const ws of sockets) {
    const attachment = ws.deserializeAttachment() as ViewerAttachment | null;
    if (!attachment || attachment.sessionExpiresAt <= now) {
      closeQuietly(ws, 4001, "session ended; sign in again");
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
  else if (!parsed?.success) closeQuietly(ws, 1008, "invalid message");
}

export function onViewerClose(ws: WebSocket, code: number, reason: string): void {
  closeQuietly(ws, code, reason);
}
