import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/lib/ports";
import { actionOf } from "../../scripts/lib/standin/call-life";
import { startStandIn, type StandIn } from "../../scripts/lib/standin/server";

/*
 * The Cloudonix stand-in against a tiny router of our own (a Node server that records what it
 * is sent and answers a Dial with an action): the call API's request and answer, its auth, and
 * the webhooks, session updates and CDRs a call brings, per outcome.
 */

interface Received {
  path: string;
  auth: string | undefined;
  body: any;
}

let standIn: StandIn;
let router: Server;
let routerUrl: string;
const received: Received[] = [];

beforeAll(async () => {
  standIn = await startStandIn({ port: await freePort(), behaviour: { ringMs: [5, 10], talkMs: [5, 10] } });
  router = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      received.push({ path: req.url!, auth: req.headers.authorization, body });
      if (req.url!.startsWith("/voice")) {
        res.writeHead(200, { "content-type": "application/xml" });
        res.end(`<Response><Dial action="${routerUrl}/dial-result?attempt=1&amp;c=x"><Service provider="retell">+12125550100</Service></Dial></Response>`);
      } else if (req.url!.startsWith("/dial-result")) {
        res.writeHead(200, { "content-type": "application/xml" });
        res.end("<Response><Hangup/></Response>");
      } else {
        res.writeHead(200, { "content-type": "application/json" });
        res.end("{}");
      }
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => router.listen(port, "127.0.0.1", resolve));
  routerUrl = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await standIn.close();
  await new Promise((resolve) => router.close(resolve));
});

const place = (domain: string, body: unknown, key = "XI0123456789abcdef0123456789abcdef") =>
  fetch(`${standIn.url}/calls/${domain}/application`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(body) });

async function settled(domain: string, count: number) {
  for (let i = 0; i < 200; i++) {
    const calls = standIn.calls(domain);
    if (calls.length >= count && calls.every((c) => c.endedAt !== null && c.deliveries.some((d) => d.kind === "cdr"))) return calls;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("calls did not end");
}

describe("the Cloudonix stand-in", () => {
  it("refuses a missing or unknown API key and a malformed request, as Cloudonix would", async () => {
    expect((await place("a.cloudonix.test", { destination: "+15550001" }, "not-a-key")).status).toBe(401);
    expect((await place("a.cloudonix.test", { destination: "+15550001" }, "XIREFUSED000")).status).toBe(401);
    expect((await place("missing.cloudonix.test", { destination: "+15550001", url: routerUrl })).status).toBe(404);
    const noDestination = await place("a.cloudonix.test", { url: routerUrl });
    expect(noDestination.status).toBe(400);
    expect(((await noDestination.json()) as { message: string }).message).toMatch(/destination/);
    expect((await place("a.cloudonix.test", { destination: "+15550001" })).status).toBe(400);
    expect((await place("a.cloudonix.test", { destination: "+15550001", url: routerUrl, cxml: "<Response/>" })).status).toBe(400);
  });

  it("answers a call request with the documented shape, then runs the answered call: voice request, Dial action, session updates, CDR", async () => {
    const domain = "answer.cloudonix.test";
    standIn.domain(domain).behaviour.outcomes = { "+15550002": "answered" };
    await fetch(`${standIn.url}/customers/self/domains/${domain}`, {
      method: "PUT",
      headers: { authorization: "Bearer XI0123456789abcdef0123456789abcdef", "content-type": "application/json" },
      body: JSON.stringify({ profile: { "authorization-api-key": "cxrk_request_key", "cdr-endpoint": `${routerUrl}/cdr` } }),
    });
    const res = await place(domain, { destination: "+15550002", "caller-id": "+14155550100", url: `${routerUrl}/voice?campaign=c1`, callback: `${routerUrl}/session?campaign=c1`, timeout: 30, profile: { tag: "x" } });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(answer).sort()).toEqual(["destination", "direction", "domainId", "subscriberId", "token"]);
    expect(answer).toMatchObject({ destination: "+15550002", direction: "outbound-api", subscriberId: null });
    const [call] = await settled(domain, 1);
    const mine = received.filter((r) => JSON.stringify(r.body).includes(call!.token));
    const voice = mine.find((r) => r.path.startsWith("/voice"))!;
    expect(voice.path).toBe("/voice?campaign=c1");
    expect(voice.auth).toBe("Bearer cxrk_request_key");
    expect(voice.body).toMatchObject({ Direction: "outbound-api", Session: answer.token, CallSid: answer.token, From: "+15550002", To: "+14155550100", Domain: domain, AccountSid: domain, ApiVersion: "1" });
    expect(voice.body.SessionData).toMatchObject({ token: answer.token, destination: "+15550002", callerId: "+14155550100", profile: { tag: "x" } });
    const dial = mine.find((r) => r.path.startsWith("/dial-result"))!;
    expect(dial.path).toBe("/dial-result?attempt=1&c=x");
    expect(dial.body).toMatchObject({ DialCallStatus: "completed", Direction: "outbound-api", Session: answer.token });
    const statuses = mine.filter((r) => r.path.startsWith("/session")).map((r) => r.body.status);
    expect(statuses).toEqual(["ringing", "connected", "completed"]);
    const cdr = mine.find((r) => r.path === "/cdr")!;
    expect(cdr.auth).toBeUndefined();
    expect(cdr.body).toMatchObject({ disposition: "ANSWER", domain, session: { token: answer.token } });
    expect(call).toMatchObject({ outcome: "answered", destination: "+15550002" });
  });

  it("sends only session updates and a CDR for a call nobody answers, and counts concurrent calls exactly", async () => {
    const domain = "busy.cloudonix.test";
    standIn.domain(domain).behaviour = { ...standIn.domain(domain).behaviour, answer: 0, busy: 1, noAnswer: 0, failed: 0 };
    standIn.domain(domain).profile["cdr-endpoint"] = `${routerUrl}/cdr`;
    const tokens = await Promise.all([1, 2, 3].map(async (i) => ((await (await place(domain, { destination: `+1555000100${i}`, url: `${routerUrl}/voice`, callback: `${routerUrl}/session` })).json()) as { token: string }).token));
    await settled(domain, 3);
    for (const token of tokens) {
      const mine = received.filter((r) => JSON.stringify(r.body).includes(token));
      expect(mine.map((r) => r.path)).toEqual(["/session", "/session", "/cdr"]);
      expect(mine[1]!.body.status).toBe("busy");
      expect(mine[2]!.body.disposition).toBe("BUSY");
    }
    const stats = (await (await fetch(`${standIn.url}/__standin/stats?domain=${domain}`)).json()) as { placed: number; live: number; maxLive: number };
    expect(stats).toMatchObject({ placed: 3, live: 0, maxLive: 3 });
  });

  it("limits call requests per domain when told to (HTTP 429 with Retry-After)", async () => {
    const domain = "limited.cloudonix.test";
    standIn.domain(domain).behaviour.rateLimit = { requests: 2, windowMs: 10_000 };
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await place(domain, { destination: `+1555000200${i}`, url: `${routerUrl}/voice` })).status);
    expect(statuses).toEqual([200, 200, 429]);
  });

  it("reads a Dial's action back from CXML, entities decoded", () => {
    expect(actionOf('<Response><Dial timeout="30" action="https://r.test/a?x=1&amp;y=2"><Number>1</Number></Dial></Response>')).toBe("https://r.test/a?x=1&y=2");
    expect(actionOf('<Response><Connect action="https://r.test/s"><Stream url="wss://x"/></Connect></Response>')).toBe("https://r.test/s");
    expect(actionOf("<Response><Hangup/></Response>")).toBeNull();
  });
});
