import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import type { AppEnv } from "../app-env";
import { IDENTITY_HEADER, type ViewerIdentity } from "../protocol/realtime";
import { findRecordByCallId } from "../db/repos/call-records";
import { authenticateToken, bearerToken, requireAuth, userAuth } from "../middleware/auth";
import { isApiKeyToken } from "../lib/api-keys";
import { apiDocs } from "../openapi/registry";
import { AppError, notFound } from "../lib/errors";
import { BEARER_PROTOCOL_PREFIX, REALTIME_PROTOCOL } from "../protocol/realtime";
import { issueTicket, verifyTicket } from "../realtime/tickets";

const TicketSchema = z.object({
  ticket: z.string(),
  expiresAt: z.string().meta({ format: "date-time" }),
  url: z.string().meta({ description: "GET this with Upgrade: websocket within 30 seconds; the ticket works once" }),
});
const RealtimeQuery = z.object({
  ticket: z.string().max(1200).optional().meta({ description: "A ticket from POST /api/realtime/tickets (browsers); or send Authorization: Bearer, or offer the subprotocols cxlb.v1 and cxlb.bearer.<token>" }),
  since: z.coerce.number().int().min(0).optional().meta({ description: "Resume after this sequence number (replayed when still buffered, else resync + snapshot)" }),
  epoch: z.string().max(64).optional().meta({ description: "The epoch of hello; a different one means a resync" }),
});

const docs = apiDocs("/api/realtime", "Live events");
docs.post("/tickets", "A single-use, 30-second ticket to open a WebSocket from a browser", { response: TicketSchema, status: 201 });
docs.get("/", "The tenant's live event stream (WebSocket): call.started/updated/ended, agent and configuration changes, each with a sequence number", {
  auth: "none",
  query: RealtimeQuery,
  response: null,
  status: 101,
  errors: [401, 426],
  description: "Protocol: workers/protocol/realtime.ts. Authenticate with ?ticket=, Authorization: Bearer, or Sec-WebSocket-Protocol: cxlb.v1, cxlb.bearer.<token>. Never a long-lived token in the URL.",
});
docs.get("/calls/:callId", "One call's events as they happen (WebSocket), starting with a snapshot of the call", {
  auth: "none",
  params: z.object({ callId: z.string().min(1).max(128) }),
  query: RealtimeQuery.pick({ ticket: true }),
  response: null,
  status: 101,
  errors: [401, 404, 426],
});

const unauthenticated = (message: string) => new AppError(401, "UNAUTHENTICATED", message);

/** Authenticates a WebSocket upgrade by ticket, subprotocol or Authorization header. */
async function authenticateUpgrade(c: Context<AppEnv>): Promise<{ identity: ViewerIdentity; tenantId: string; nonce?: { value: string; expiresAt: number } }> {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    throw new AppError(426, "UPGRADE_REQUIRED", "This is a WebSocket endpoint: connect with Upgrade: websocket");
  }
  const url = new URL(c.req.url);
  if (url.searchParams.has("token") || url.searchParams.has("access_token")) {
    throw new AppError(400, "TOKEN_IN_URL", "Never put an access token in a URL: get a single-use ticket from POST /api/realtime/tickets and connect with ?ticket=");
  }
  const ticket = url.searchParams.get("ticket");
  const offered = (c.req.header("sec-websocket-protocol") ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  const protocol = offered.includes(REALTIME_PROTOCOL) ? REALTIME_PROTOCOL : undefined;
  if (offered.length && !protocol) throw new AppError(400, "UNKNOWN_SUBPROTOCOL", `Offer the subprotocol ${REALTIME_PROTOCOL}`);
  if (ticket) {
    const claims = await verifyTicket(c.env.TOKEN_SIGNING_KEY, ticket);
    if (!claims) throw unauthenticated("The ticket is invalid or has expired; get a new one from POST /api/realtime/tickets");
    return {
      tenantId: claims.t,
      identity: { tenantId: claims.t, userId: claims.u, role: claims.r, sessionId: claims.s, sessionExpiresAt: claims.se, ...(protocol ? { protocol } : {}) },
      nonce: { value: claims.n, expiresAt: claims.x },
    };
  }
  const fromProtocol = offered.find((p) => p.startsWith(BEARER_PROTOCOL_PREFIX))?.slice(BEARER_PROTOCOL_PREFIX.length);
  const token = fromProtocol ?? bearerToken(c.req.header("authorization"));
  if (!token) throw unauthenticated("Authenticate with ?ticket= (POST /api/realtime/tickets), Authorization: Bearer, or the subprotocol cxlb.bearer.<token>");
  // Live connections belong to a user's session (revoked with it); API keys read the REST API.
  if (isApiKeyToken(token)) throw new AppError(403, "API_KEY_NOT_ALLOWED", "Live connections are for signed-in users; an API key cannot open one");
  const auth = await authenticateToken(c.get("services"), token);
  return {
    tenantId: auth.tenantId,
    identity: { tenantId: auth.tenantId, userId: auth.userId, role: auth.role, sessionId: auth.sessionId, sessionExpiresAt: auth.sessionExpiresAt.getTime(), ...(protocol ? { protocol } : {}) },
  };
}

/** The upgrade as the object receives it: the same URL (since, epoch) and the identity, nothing else. */
function forwarded(c: Context<AppEnv>, identity: ViewerIdentity): Request {
  return new Request(c.req.url, { headers: { upgrade: "websocket", [IDENTITY_HEADER]: JSON.stringify(identity) } });
}

async function consume(c: Context<AppEnv>, tenantId: string, nonce: { value: string; expiresAt: number } | undefined): Promise<void> {
  if (nonce && !(await c.env.TENANT_HUB.getByName(tenantId).consumeTicket(nonce.value, nonce.expiresAt))) {
    throw unauthenticated("This ticket was already used; get a new one from POST /api/realtime/tickets");
  }
}

/** An object's refusal (400/403/404/503 as text) in the API's error envelope; a 101 passes through. */
async function upgraded(response: Response): Promise<Response> {
  if (response.status === 101) return response;
  const message = (await response.text()) || "The connection was refused";
  const code = response.status === 404 ? "NOT_FOUND" : response.status === 503 ? "TOO_MANY_CONNECTIONS" : response.status === 401 ? "UNAUTHENTICATED" : "UPGRADE_REFUSED";
  throw new AppError(response.status as ContentfulStatusCode, code, message);
}

/** The CallSession's name, as routes/webhooks.ts names it: call ids are unique per Cloudonix domain only. */
const callSessionName = (tenantId: string, callId: string) => `${tenantId}:${callId}`;

export const realtime = new Hono<AppEnv>()
  .post("/tickets", requireAuth, async (c) => {
    const { ticket, expiresAt } = await issueTicket(c.env.TOKEN_SIGNING_KEY, userAuth(c));
    return c.json({ ticket, expiresAt: new Date(expiresAt).toISOString(), url: `/api/realtime?ticket=${ticket}` }, 201);
  })
  .get("/", async (c) => {
    const { identity, tenantId, nonce } = await authenticateUpgrade(c);
    await consume(c, tenantId, nonce);
    return upgraded(await c.env.TENANT_HUB.getByName(tenantId).fetch(forwarded(c, identity)));
  })
  .get("/calls/:callId", async (c) => {
    const { identity, tenantId, nonce } = await authenticateUpgrade(c);
    const callId = c.req.param("callId");
    if (callId.length > 128) throw notFound("Call");
    await consume(c, tenantId, nonce);
    // Only calls this tenant has (live in its hub, or recorded): never create an object for a guessed id.
    const live = await c.env.TENANT_HUB.getByName(tenantId).hasLiveCall(callId);
    if (!live && !(await findRecordByCallId(await c.get("services").db(), tenantId, callId))) throw notFound("Call");
    return upgraded(await c.env.CALL_SESSION.getByName(callSessionName(tenantId, callId)).fetch(forwarded(c, identity)));
  });
