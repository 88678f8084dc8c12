/** Who the Worker authenticated for a WebSocket upgrade: the protocol is in workers/protocol/realtime.ts. */
import { IDENTITY_HEADER, ViewerIdentity } from "../../workers/protocol/realtime";

export function viewerOf(request: Request): ViewerIdentity | null {
  try {
    const parsed = ViewerIdentity.safeParse(JSON.parse(request.headers.get(IDENTITY_HEADER) ?? "null"));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export const isUpgrade = (request: Request) => request.headers.get("upgrade")?.toLowerCase() === "websocket";

/** Reciprocates a close, except for the codes that may not be sent (1005, 1006, 1015). */
export function closeQuietly(ws: WebSocket, code: number, reason: string): void {
  try {
    if (code === 1005 || code === 1006 || code === 1015) ws.close();
    else ws.close(code, reason);
  } catch {
    // Already closed.
  }
}
