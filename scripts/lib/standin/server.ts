// A local stand-in for Cloudonix's REST API (nobody can reach Cloudonix from the machines this
// project is built and tested on). It follows what the router relies on, as Cloudonix documents it:
//   GET  /customers/self/domains/{domain}        the domain object (id, domain, uuid, profile, …)
//   PUT  /customers/self/domains/{domain}        {"profile": {…}} merged into the domain's profile
//                                                (authorization-api-key, session-update-endpoint, cdr-endpoint)
//   GET  /customers/self/domains/{domain}/sessions/{token}   a live call's session (404 once it has ended)
//   POST /calls/{domain}/application             starts a call: body destination (required),
//        caller-id, one of url/application/cxml (only url is simulated), callback, timeout,
//        trunk, profile; answers {domainId, subscriberId, destination, direction: "outbound-api", token}
// Every request needs `Authorization: Bearer <API key>`: keys start "XI" (Cloudonix's are 34
// characters starting XI); "XIREFUSED…" keys are refused (401), as is any other. The domain
// "missing.cloudonix.test" does not exist (404). Then each call lives as call-life.ts says,
// with outcomes drawn from the domain's behaviour.
// Control endpoints, for tests and the demo (not Cloudonix's):
//   PUT /__standin/domains/{domain}   {"behaviour": {…}, "delivery": "http"|"relay", "profile": {…}}
//   GET /__standin/calls?domain=      every call placed for the domain, with its outcome and deliveries
//   GET /__standin/stats?domain=      placed, live, maxLive (concurrent calls, exact), by outcome
//   GET /__standin/relay?domain=&limit=   requests waiting for a relay (delivery "relay")
//   POST /__standin/relay/{id}        {"status", "body"}: what the router answered
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { runCall } from "./call-life";
import { Outbox } from "./deliver";
import { DEFAULT_BEHAVIOUR, domainId, domainUuid, drawOutcome, newToken, type Behaviour, type CallLog, type DomainState } from "./model";

export interface StandInOptions {
  port: number;
  host?: string;
  /** Behaviour of domains the stand-in has not been told about. */
  behaviour?: Partial<Behaviour>;
  /** Log one line per call placed and ended. */
  verbose?: boolean;
}

export interface StandIn {
  server: Server;
  url: string;
  calls(domain?: string): CallLog[];
  domain(name: string): DomainState;
  close(): Promise<void>;
}

const MAX_BODY = 256 * 1024;

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) req.destroy(new Error("body too large"));
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

const problem = (res: ServerResponse, status: number, message: string, headers?: Record<string, string>) => json(res, status, { status, message }, headers);

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(text || "{}");
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The call request's body as Cloudonix reads it, or why it is refused (400). */
function callRequest(body: Record<string, unknown>): { error: string } | { destination: string; callerId: string | null; url: string; callback: string | null; timeoutSec: number | null; trunk: string | null; profile: Record<string, unknown> | null } {
  const { destination, url, application, cxml, callback, timeout, trunk, profile } = body;
  const callerId = body["caller-id"];
  if (typeof destination !== "string" || !destination.trim()) return { error: "destination is required" };
  if (callerId !== undefined && typeof callerId !== "string") return { error: "caller-id must be a string" };
  const targets = [url, application, cxml].filter((v) => v !== undefined);
  if (targets.length !== 1) return { error: "exactly one of application, url or cxml is required" };
  if (url === undefined) return { error: "the stand-in simulates url applications only" };
  if (typeof url !== "string" || !/^https?:\/\//.test(url)) return { error: "url must be an http(s) URL" };
  if (callback !== undefined && (typeof callback !== "string" || !/^https?:\/\//.test(callback))) return { error: "callback must be an http(s) URL" };
  if (timeout !== undefined && (typeof timeout !== "number" || !Number.isInteger(timeout) || timeout < 1)) return { error: "timeout must be a positive whole number of seconds" };
  if (trunk !== undefined && typeof trunk !== "string") return { error: "trunk must be a trunk name" };
  if (profile !== undefined && (typeof profile !== "object" || profile === null || Array.isArray(profile))) return { error: "profile must be an object" };
  return {
    destination: destination.trim(),
    callerId: typeof callerId === "string" ? callerId : null,
    url,
    callback: typeof callback === "string" ? callback : null,
    timeoutSec: typeof timeout === "number" ? timeout : null,
    trunk: typeof trunk === "string" ? trunk : null,
    profile: (profile as Record<string, unknown> | undefined) ?? null,
  };
}

export function startStandIn(options: StandInOptions): Promise<StandIn> {
  const domains = new Map<string, DomainState>();
  const calls: CallLog[] = [];
  const outbox = new Outbox();
  let sessionIds = 100_000;
  const domain = (name: string): DomainState => {
    const key = name.toLowerCase();
    let state = domains.get(key);
    if (!state) {
      state = { name: key, id: domainId(key), uuid: domainUuid(key), profile: {}, behaviour: { ...DEFAULT_BEHAVIOUR, ...options.behaviour }, delivery: "http", recentRequests: [], live: 0, maxLive: 0 };
      domains.set(key, state);
    }
    return state;
  };
  const domainObject = (d: DomainState) => ({ id: d.id, domain: d.name, uuid: d.uuid, active: true, profile: d.profile, defaultApplication: null });

  async function placeCall(req: IncomingMessage, res: ServerResponse, d: DomainState): Promise<void> {
    const body = parseJson(await read(req));
    if (!body) return problem(res, 400, "the body must be a JSON object");
    const limit = d.behaviour.rateLimit;
    if (limit) {
      const now = Date.now();
      d.recentRequests = d.recentRequests.filter((t) => t > now - limit.windowMs);
      if (d.recentRequests.length >= limit.requests) {
        const retryAfter = Math.max(1, Math.ceil((d.recentRequests[0]! + limit.windowMs - now) / 1000));
        return problem(res, 429, "Too many requests", { "retry-after": String(retryAfter) });
      }
      d.recentRequests.push(now);
    }
    const request = callRequest(body);
    if ("error" in request) return problem(res, 400, request.error);
    const call: CallLog = { token: newToken(), sessionId: ++sessionIds, domain: d.name, ...request, placedAt: Date.now(), outcome: drawOutcome(d.behaviour, request.destination), answeredAt: null, endedAt: null, talkSec: 0, deliveries: [] };
    calls.push(call);
    d.live++;
    d.maxLive = Math.max(d.maxLive, d.live);
    if (options.verbose) console.log(`[stand-in] ${d.name}: call ${call.token} to ${call.destination} (${call.outcome})`);
    json(res, 200, { domainId: d.id, subscriberId: null, destination: call.destination, direction: "outbound-api", token: call.token });
    let live = true;
    const ended = () => {
      if (!live) return;
      live = false;
      d.live--;
    };
    void runCall(outbox, d, call, ended)
      .catch((err: Error) => console.error(`[stand-in] call ${call.token} broke: ${err.message}`))
      .finally(() => {
        ended();
        if (options.verbose) console.log(`[stand-in] ${d.name}: call ${call.token} ended (${call.outcome}, talked ${call.talkSec} s)`);
      });
  }

  async function control(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const named = url.searchParams.get("domain");
    const domainMatch = /^\/__standin\/domains\/([^/]+)$/.exec(url.pathname);
    if (domainMatch && req.method === "PUT") {
      const d = domain(decodeURIComponent(domainMatch[1]!));
      const body = parseJson(await read(req));
      if (!body) return problem(res, 400, "the body must be a JSON object");
      if (body.behaviour) d.behaviour = { ...d.behaviour, ...(body.behaviour as Partial<Behaviour>) };
      if (body.delivery === "http" || body.delivery === "relay") d.delivery = body.delivery;
      if (body.profile) d.profile = { ...d.profile, ...(body.profile as Record<string, unknown>) };
      return json(res, 200, { domain: d.name, behaviour: d.behaviour, delivery: d.delivery, profile: d.profile });
    }
    if (url.pathname === "/__standin/calls" && req.method === "GET") return json(res, 200, { calls: calls.filter((c) => !named || c.domain === named.toLowerCase()) });
    if (url.pathname === "/__standin/stats" && req.method === "GET") {
      if (!named) return problem(res, 400, "name the domain");
      const d = domain(named);
      const mine = calls.filter((c) => c.domain === d.name);
      const byOutcome: Record<string, number> = {};
      for (const c of mine) byOutcome[c.outcome] = (byOutcome[c.outcome] ?? 0) + 1;
      return json(res, 200, { placed: mine.length, live: d.live, maxLive: d.maxLive, ended: mine.filter((c) => c.endedAt !== null).length, byOutcome });
    }
    if (url.pathname === "/__standin/relay" && req.method === "GET") {
      if (!named) return problem(res, 400, "name the domain");
      return json(res, 200, { requests: outbox.take(named.toLowerCase(), Number(url.searchParams.get("limit") ?? 50)) });
    }
    const relayMatch = /^\/__standin\/relay\/([0-9a-f]+)$/.exec(url.pathname);
    if (relayMatch && req.method === "POST") {
      const body = parseJson(await read(req));
      if (!body || typeof body.status !== "number") return problem(res, 400, "send {status, body}");
      return json(res, outbox.answer(relayMatch[1]!, { status: body.status, body: String(body.body ?? "") }) ? 200 : 404, {});
    }
    problem(res, 404, "no such control endpoint");
  }

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://stand-in");
      if (url.pathname.startsWith("/__standin/")) return await control(req, res, url);
      const key = /^Bearer\s+(\S+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "";
      if (!key.startsWith("XI") || key.startsWith("XIREFUSED")) return problem(res, 401, "Unauthorized");
      const sessionPath = /^\/customers\/self\/domains\/([^/]+)\/sessions\/([^/]+)$/.exec(url.pathname);
      if (sessionPath && req.method === "GET") {
        // Live sessions only: a call that has ended is no longer one.
        const call = calls.find((c) => c.domain === decodeURIComponent(sessionPath[1]!).toLowerCase() && c.token === sessionPath[2]);
        if (!call || call.endedAt !== null) return problem(res, 404, "Session not found");
        return json(res, 200, {
          token: call.token,
          domain: call.domain,
          destination: call.destination,
          callerId: call.callerId,
          direction: "outbound-api",
          status: call.answeredAt ? "connected" : "ringing",
          callStartTime: call.placedAt,
          callAnswerTime: call.answeredAt,
        });
      }
      const domainPath = /^\/customers\/self\/domains\/([^/]+)$/.exec(url.pathname);
      const callPath = /^\/calls\/([^/]+)\/application$/.exec(url.pathname);
      const name = decodeURIComponent((domainPath ?? callPath)?.[1] ?? "");
      if (!name) return problem(res, 404, "Not found");
      if (name.toLowerCase() === "missing.cloudonix.test") return problem(res, 404, "Domain not found");
      const d = domain(name);
      if (domainPath && req.method === "GET") return json(res, 200, domainObject(d));
      if (domainPath && req.method === "PUT") {
        const body = parseJson(await read(req));
        if (!body) return problem(res, 400, "the body must be a JSON object");
        if (body.profile && typeof body.profile === "object") d.profile = { ...d.profile, ...(body.profile as Record<string, unknown>) };
        return json(res, 200, domainObject(d));
      }
      if (callPath && req.method === "POST") return await placeCall(req, res, d);
      problem(res, 404, "Not found");
    } catch (err) {
      if (!res.headersSent) problem(res, 500, (err as Error).message);
    }
  });
  const host = options.host ?? "127.0.0.1";
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => {
      const { port } = server.address() as { port: number };
      resolve({
        server,
        url: `http://${host}:${port}`,
        calls: (name) => calls.filter((c) => !name || c.domain === name.toLowerCase()),
        domain,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
