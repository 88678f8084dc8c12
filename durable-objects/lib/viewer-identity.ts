import { z } from "zod";
import { REALTIME_PROTOCOL } from "../../workers/protocol/realtime";

/**
 * Who the Worker authenticated for a WebSocket upgrade. The Worker forwards the upgrade to the
 * object with this header; objects are not reachable from outside, so the header is trusted.
 */
export const ViewerIdentity = z.object({
  tenantId: z.string().min(1),
  userId: z.string().min(1),
  role: z.enum(["admin", "user"]),
  sessionId: z.string().min(1),
  sessionExpiresAt: z.number(),
  /** The subprotocol to answer with, when the client offered one. */
  protocol: z.literal(REALTIME_PROTOCOL).optional(),
});
export type ViewerIdentity = z.infer<typeof ViewerIdentity>;
export const IDENTITY_HEADER = "x-cxlb-viewer";

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
