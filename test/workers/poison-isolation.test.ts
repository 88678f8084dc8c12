import { exports } from "cloudflare:workers";
import { and, eq, inArray, like } from "drizzle-orm";
import { describe, it } from "vitest";
import { callEvents, callRecords, deadLetters, webhookEvents } from "../../workers/db/schema";
import { eventually, withDb } from "./helpers/db";
import { createRoutingFixture, voiceBody, webhookInit, type RoutingFixture } from "./helpers/routing-fixture";

const VOICE = "https://router.test/api/webhooks/voice-application";
const DIAL_RESULT = `${VOICE}/dial-result?attempt=1`;

/** The body that once sent 126 messages of two tenants to the dead-letter queue. */
const DEEP_BODY = `${'{"a":'.repeat(5_000)}1${"}".repeat(5_000)}`;

interface Sent {
  status: number;
  type: string | null;
  text: string;
}

async function send(url: string, init: RequestInit): Promise<Sent> {
  const res = await exports.default.fetch(url, init);
  return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
}

/** A real call: routed, then answered and completed. */
async function realCall(f: RoutingFixture, overrides: Record<string, unknown> = {}): Promise<string> {
  const body = voiceBody(f, overrides);
  const routed = await send(VOICE, webhookInit(f, body));
  if (routed.status !== 200 || !routed.text.includes("<Dial")) throw new Error(`call ${body.Session} was not routed: ${routed.status} ${routed.text}`);
  const done = await send(DIAL_RESULT, webhookInit(f, { ...body, DialCallStatus: "completed" }));
  if (done.status !== 200) throw new Error(`dial result of ${body.Session} failed: ${done.status}`);
  return body.Session;
}

/** Hostile requests of every shape; each must be answered in kind, never with a 5xx. */
function hostileRequests(f: RoutingFixture): { name: string; url: string; init: RequestInit; authenticatedCall?: string }[] {
  const json = (body: string, headers: Record<string, string> = {}): RequestInit => ({ method: "POST", headers: { "Content-Type": "application/json", ...headers }, body });
  const keyed = (body: string) => json(body, { Authorization: `Bearer ${f.requestKey}` });
  const surrogate = voiceBody(f, { From: "\udfff" });
  const nul = voiceBody(f, { From: "1415\u0000555", CallerName: "\u0000\u0000" });
  const hugeArray = voiceBody(f, { Extra: Array.from({ length: 12_000 }, (_, i) => i) });
  const deepButLegal = voiceBody(f, { SessionData: JSON.parse(`${'{"p":'.repeat(30)}{}${"}".repeat(30)}`) });
  const loneInSession = voiceBody(f);
  loneInSession.Session = `${loneInSession.Session.slice(0, 20)}\ud800x`;
  loneInSession.CallSid = loneInSession.Session;
  const invalidUtf8 = new Uint8Array([...new TextEncoder().encode('{"From":"'), 0xff, 0xfe, 0xc3, ...new TextEncoder().encode('","To":"1800"}')]);
  return [
    { name: "the 5,000-deep body without a key", url: VOICE, init: json(DEEP_BODY) },
    { name: "the 5,000-deep body with the key", url: VOICE, init: keyed(DEEP_BODY) },
    { name: "the 5,000-deep body as a CDR", url: "https://router.test/api/webhooks/cdr", init: json(DEEP_BODY) },
    { name: "a lone surrogate in From", url: VOICE, init: keyed(JSON.stringify(surrogate)), authenticatedCall: surrogate.Session },
    { name: "NUL bytes in From and CallerName", url: VOICE, init: keyed(JSON.stringify(nul)), authenticatedCall: nul.Session },
    { name: "a 12,000-element array", url: VOICE, init: keyed(JSON.stringify(hugeArray)), authenticatedCall: hugeArray.Session },
    { name: "30 levels of SessionData", url: VOICE, init: keyed(JSON.stringify(deepButLegal)), authenticatedCall: deepButLegal.Session },
    { name: "a lone surrogate in Session", url: VOICE, init: keyed(JSON.stringify(loneInSession)) },
    { name: "invalid UTF-8", url: VOICE, init: { method: "POST", headers: { "Content-Type": "application/json", Authorization: `Bearer ${f.requestKey}` }, body: invalidUtf8 } },
    { name: "1 MiB of nesting in the query string", url: `${VOICE}?Domain=${f.domain}&x=${"[".repeat(1 << 20)}`, init: { method: "GET" } },
    { name: "a huge query string with the key", url: `${VOICE}?${new URLSearchParams({ ...voiceBody(f), x: "{".repeat(200_000) })}`, init: { method: "GET", headers: { Authorization: `Bearer ${f.requestKey}` } } },
  ];
}

describe("one bad request never takes other messages with it", () => {
  it("stores every real call of two tenants, sent among hostile requests, with nothing of theirs dead-lettered", async ({ expect }) => {
    const [a, b] = await Promise.all([createRoutingFixture({ agentCount: 3 }), createRoutingFixture({ agentCount: 2 })]);
    const calls: Promise<string>[] = [];
    const answers: { name: string; sent: Sent }[] = [];
    const hostile = [...hostileRequests(a), ...hostileRequests(b)];
    for (let i = 0; i < 30; i++) {
      calls.push(realCall(i % 2 ? b : a));
      const bad = hostile[i % hostile.length]!;
      answers.push({ name: bad.name, sent: await send(bad.url, bad.init) });
    }
    const callIds = await Promise.all(calls);

    for (const { name, sent } of answers) {
      expect(sent.status, name).toBeLessThan(500);
      if (sent.type?.includes("xml")) expect(sent.text, name).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><Response>/);
    }
    expect(answers.find((x) => x.name === "the 5,000-deep body without a key")!.sent.status).toBe(400);

    const stored = await eventually(
      async () => {
        const rows = await withDb((db) => db.select({ callId: callRecords.callId, status: callRecords.status }).from(callRecords).where(inArray(callRecords.callId, callIds)));
        return rows.length === 30 && rows.every((r) => r.status === "completed") ? rows : null;
      },
      25_000,
      "all 30 call records, completed",
    );
    expect(stored).toHaveLength(30);
    // A record is written before its events (two statements of one batch): wait for both.
    const hasStartAndEnd = (rows: { callId: string; type: string }[], callId: string) => ["call.started", "call.ended"].every((type) => rows.some((e) => e.callId === callId && e.type === type));
    const events = await eventually(
      async () => {
        const rows = await withDb((db) => db.select({ callId: callEvents.callId, type: callEvents.type }).from(callEvents).where(inArray(callEvents.callId, callIds)));
        return callIds.every((callId) => hasStartAndEnd(rows, callId)) ? rows : null;
      },
      15_000,
      "every call's start and end events",
    ).catch(() => withDb((db) => db.select({ callId: callEvents.callId, type: callEvents.type }).from(callEvents).where(inArray(callEvents.callId, callIds))));
    for (const callId of callIds) {
      const types = events.filter((e) => e.callId === callId).map((e) => e.type);
      expect(types, callId).toContain("call.started");
      expect(types, callId).toContain("call.ended");
    }
    const letters = await withDb((db) => db.select({ callId: deadLetters.callId, body: deadLetters.body }).from(deadLetters));
    for (const callId of callIds)
      expect(
        letters.filter((l) => l.callId === callId || l.body.includes(callId)),
        callId,
      ).toEqual([]);

    // The authenticated hostile calls are calls too: stored, with their text made storable.
    const hostileCalls = hostile.flatMap((r) => (r.authenticatedCall ? [r.authenticatedCall] : []));
    const hostileRecords = await eventually(
      async () => {
        const rows = await withDb((db) => db.select({ callId: callRecords.callId, from: callRecords.fromNumber, name: callRecords.callerName }).from(callRecords).where(inArray(callRecords.callId, hostileCalls)));
        return rows.length === hostileCalls.length ? rows : null;
      },
      15_000,
      "the hostile but authenticated calls' records",
    );
    expect(hostileRecords.filter((r) => r.from === "\ufffd")).toHaveLength(2);
    expect(hostileRecords.filter((r) => r.from === "1415555")).toHaveLength(2);

    // Every delivery landed, the hostile ones included, bounded and marked when cut.
    const deep = await eventually(
      async () => {
        const rows = await withDb((db) =>
          db
            .select()
            .from(webhookEvents)
            .where(and(eq(webhookEvents.outcome, "JSON_TOO_DEEP"), like(webhookEvents.requestBody, '{"a":{"a":%'))),
        );
        return rows.length >= 3 ? rows : null;
      },
      15_000,
      "the deep bodies' deliveries",
    );
    for (const row of deep) {
      expect(row.requestTruncated).toBe(true);
      expect(row.requestBody!.length).toBeLessThanOrEqual(16_384);
    }
  });
});
