import { env, exports } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, it } from "vitest";
import { BASE, call } from "./helpers/fixtures";
import { createRoutingFixture, voiceBody, webhookInit, type RoutingFixture } from "./helpers/routing-fixture";
import { bearer, openSocket, signInTo } from "./helpers/sockets";

const VOICE = `${BASE}/api/webhooks/voice-application`;
const dialResult = (attempt: number) => `${VOICE}/dial-result?attempt=${attempt}`;
const post = (f: RoutingFixture, url: string, body: unknown) => exports.default.fetch(url, webhookInit(f, body)).then((r) => r.text());
const hub = (tenantId: string) => env.TENANT_HUB.getByName(tenantId);
const event = (type: string, data: Record<string, unknown> = {}) => ({ type, at: Date.now(), data });
const isEvent = (m: { type: string }) => m.type.includes(".");
const session = (tenantId: string, callId: string) => env.CALL_SESSION.getByName(`${tenantId}:${callId}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("the tenant's live event stream", () => {
  it("streams a call's transitions with consecutive sequence numbers and keeps the live-call registry", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 2 });
    const token = await signInTo(f.tenantId);
    const socket = await openSocket("/api/realtime", bearer(token));
    const hello = await socket.next((m) => m.type === "hello");
    expect(await socket.next()).toMatchObject({ type: "snapshot", seq: hello.seq, calls: [], part: 1, parts: 1 });

    const body = voiceBody(f);
    await post(f, VOICE, body);
    const started = await socket.next((m) => m.type === "call.started");
    expect(started).toMatchObject({ seq: hello.seq + 1, data: { callId: body.Session, direction: "inbound", from: body.From, to: body.To, event: "call.started" } });
    const live = await call(token, "GET", "/api/analytics/live-calls");
    expect(live.body).toMatchObject({ count: 1, calls: [{ callId: body.Session, agentId: f.agents[0]!.id, state: "ringing" }] });

    await post(f, dialResult(1), { ...body, DialCallStatus: "completed" });
    const ended = await socket.next((m) => m.type === "call.ended");
    expect(ended.data).toMatchObject({ callId: body.Session, state: "completed" });
    const seqs = socket.messages.filter(isEvent).map((m) => m.seq);
    expect(seqs).toEqual(seqs.map((_, i) => hello.seq + 1 + i));
    expect((await call(token, "GET", "/api/analytics/live-calls")).body).toMatchObject({ count: 0, calls: [] });
    socket.close();
  });

  it("never sends one tenant's events to another tenant's sockets", async ({ expect }) => {
    const a = await createRoutingFixture();
    const b = await createRoutingFixture();
    const sa = await openSocket("/api/realtime", bearer(await signInTo(a.tenantId)));
    const sb = await openSocket("/api/realtime", bearer(await signInTo(b.tenantId)));
    await Promise.all([sa.next((m) => m.type === "snapshot"), sb.next((m) => m.type === "snapshot")]);
    const callA = voiceBody(a);
    await post(a, VOICE, callA);
    await sa.next((m) => m.type === "call.started");
    await hub(b.tenantId).publish([event("routing_rule.updated", { marker: "b-only" })]);
    await sb.next((m) => m.type === "routing_rule.updated");
    await hub(a.tenantId).publish([event("routing_rule.updated", { marker: "a-only" })]);
    await sa.next((m) => m.data?.marker === "a-only");
    expect(sb.messages.filter(isEvent).map((m) => m.data.marker ?? m.data.callId)).toEqual(["b-only"]);
    expect(JSON.stringify(sb.messages)).not.toContain(callA.Session);
    expect(sa.messages.some((m) => m.data?.marker === "b-only")).toBe(false);
    // And the live-call registry of B knows nothing of A's call.
    expect((await hub(b.tenantId).liveCalls()).calls).toEqual([]);
  });

  it("publishes configuration changes as events", async ({ expect }) => {
    const f = await createRoutingFixture();
    const adminToken = await signInTo(f.tenantId, "admin");
    const socket = await openSocket("/api/realtime", bearer(adminToken));
    await socket.next((m) => m.type === "snapshot");
    const res = await call(adminToken, "PATCH", `/api/voice-agents/${f.agents[0]!.id}/toggle`, { enabled: false });
    expect(res.status).toBe(200);
    expect(await socket.next(isEvent)).toMatchObject({ type: "agent.status_changed", data: { entity: "voice_agent", action: "toggled", ids: [f.agents[0]!.id] } });
  });

  it("replays missed events to a client that resumes, and resyncs one too far behind", async ({ expect }) => {
    const f = await createRoutingFixture();
    const token = await signInTo(f.tenantId);
    const first = await openSocket("/api/realtime", bearer(token));
    const hello = await first.next((m) => m.type === "hello");
    first.close();
    await hub(f.tenantId).publish([event("trunk.updated", { n: 1 }), event("trunk.updated", { n: 2 }), event("trunk.updated", { n: 3 })]);

    const resumed = await openSocket(`/api/realtime?since=${hello.seq + 1}&epoch=${hello.epoch}`, bearer(token));
    await resumed.next((m) => m.type === "hello");
    const replayed = [await resumed.next(isEvent), await resumed.next(isEvent)];
    expect(replayed.map((m) => [m.seq, m.data.n])).toEqual([
      [hello.seq + 2, 2],
      [hello.seq + 3, 3],
    ]);
    expect(resumed.messages.some((m) => m.type === "snapshot")).toBe(false);

    // A gap noticed on an open socket: ask for what is missing.
    resumed.send({ type: "resume", since: hello.seq });
    expect((await resumed.next(isEvent)).seq).toBe(hello.seq + 1);

    // Too far behind (older than what the hub keeps for replay): resync, then a fresh snapshot.
    for (let i = 0; i < 6; i++) await hub(f.tenantId).publish(Array.from({ length: 200 }, (_, n) => event("trunk.updated", { n })));
    const stale = await openSocket(`/api/realtime?since=${hello.seq}&epoch=${hello.epoch}`, bearer(token));
    await stale.next((m) => m.type === "hello");
    expect(await stale.next()).toMatchObject({ type: "resync", reason: "too_far_behind", seq: hello.seq + 1203 });
    expect(await stale.next()).toMatchObject({ type: "snapshot", seq: hello.seq + 1203 });
    const otherEpoch = await openSocket(`/api/realtime?since=1&epoch=not-this-one`, bearer(token));
    await otherEpoch.next((m) => m.type === "hello");
    expect(await otherEpoch.next()).toMatchObject({ type: "resync", reason: "epoch_changed" });
  });

  it("closes a client that stops acknowledging before it can make the hub buffer without bound", async ({ expect }) => {
    const f = await createRoutingFixture();
    const token = await signInTo(f.tenantId);
    const silent = await openSocket("/api/realtime", bearer(token));
    const acking = await openSocket("/api/realtime", bearer(token));
    const hello = await acking.next((m) => m.type === "hello");
    await silent.next((m) => m.type === "snapshot");
    for (let batch = 0; batch < 6; batch++) {
      await hub(f.tenantId).publish(Array.from({ length: 100 }, () => event("agent.health_changed", { agentId: "x" })));
      const last = await acking.next((m) => m.seq === hello.seq + (batch + 1) * 100);
      acking.send({ type: "ack", seq: last.seq });
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await silent.waitClosed()).toMatchObject({ code: 4008, reason: expect.stringContaining(`since=${hello.seq}`) });
    expect(silent.messages.filter(isEvent).length).toBeLessThanOrEqual(500);
    expect(acking.closed).toBeNull();
  });

  it("survives the hub's eviction: sockets stay connected and the sequence continues", async ({ expect }) => {
    const f = await createRoutingFixture();
    const socket = await openSocket("/api/realtime", bearer(await signInTo(f.tenantId)));
    await socket.next((m) => m.type === "snapshot");
    await hub(f.tenantId).publish([event("trunk.updated", { n: 1 })]);
    const before = await socket.next(isEvent);
    const { instance } = await hub(f.tenantId).ping();
    // workerd evicts an idle object after 10 s; hibernatable sockets stay open meanwhile.
    // (Aborting the object from the test pool is no substitute: it drops the sockets too.)
    await new Promise((r) => setTimeout(r, 11_500));
    const after = await hub(f.tenantId).ping();
    expect(after.instance).not.toBe(instance);
    expect(after.sockets).toBe(1);
    await hub(f.tenantId).publish([event("trunk.updated", { n: 2 })]);
    expect(await socket.next(isEvent)).toMatchObject({ seq: before.seq + 1, data: { n: 2 } });
    socket.send('{"type":"ping"}');
    expect(await socket.next((m) => m.type === "pong")).toEqual({ type: "pong" });
    expect(socket.closed).toBeNull();
  }, 30_000);

  it("sends heartbeats with the latest sequence number from its alarm", async ({ expect }) => {
    const f = await createRoutingFixture();
    const socket = await openSocket("/api/realtime", bearer(await signInTo(f.tenantId)));
    await socket.next((m) => m.type === "snapshot");
    await hub(f.tenantId).publish([event("trunk.updated")]);
    expect(await runDurableObjectAlarm(hub(f.tenantId))).toBe(true);
    const beat = await socket.next((m) => m.type === "heartbeat");
    expect(beat.seq).toBe((await hub(f.tenantId).ping()).seq);
  });
});

describe("authenticating the upgrade", () => {
  it("accepts a single-use ticket once, and the subprotocol form a browser can send", async ({ expect }) => {
    const f = await createRoutingFixture();
    const token = await signInTo(f.tenantId);
    const issued = await call(token, "POST", "/api/realtime/tickets");
    expect(issued.status).toBe(201);
    const socket = await openSocket(issued.body.url);
    await socket.next((m) => m.type === "hello");
    const again = await exports.default.fetch(`${BASE}${issued.body.url}`, { headers: { Upgrade: "websocket" } });
    expect(again.status).toBe(401);
    expect(((await again.json()) as { error: { message: string } }).error.message).toContain("already used");

    const viaProtocol = await openSocket("/api/realtime", { "Sec-WebSocket-Protocol": `cxlb.v1, cxlb.bearer.${token}` });
    expect(viaProtocol.response.headers.get("Sec-WebSocket-Protocol")).toBe("cxlb.v1");
    await viaProtocol.next((m) => m.type === "hello");
  });

  it.for([
    ["no credentials", "/api/realtime", {}, 401],
    ["a forged ticket", "/api/realtime?ticket=eyJ0IjoieCJ9.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", {}, 401],
    ["an access token in the URL", "/api/realtime?access_token=abc", {}, 400],
    ["a bad bearer token", "/api/realtime", { authorization: "Bearer nope" }, 401],
  ] as const)("refuses %s", async ([, path, headers, status], { expect }) => {
    const res = await exports.default.fetch(`${BASE}${path}`, { headers: { Upgrade: "websocket", ...headers } });
    expect(res.status).toBe(status);
    expect(res.webSocket).toBeNull();
  });

  it("answers 426 to a plain GET", async ({ expect }) => {
    const res = await exports.default.fetch(`${BASE}/api/realtime`);
    expect(res.status).toBe(426);
  });
});

describe("one call's own stream", () => {
  it("sends the call's snapshot, then its events with the call's sequence, and lets go when it ends", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 2 });
    const token = await signInTo(f.tenantId);
    const body = voiceBody(f);
    await post(f, VOICE, body);
    const viewer = await openSocket(`/api/realtime/calls/${body.Session}`, bearer(token));
    const snapshot = await viewer.next();
    expect(snapshot).toMatchObject({ type: "call.snapshot", call: { state: "ringing", record: { fromNumber: body.From } } });
    await post(f, dialResult(1), { ...body, DialCallStatus: "busy" });
    const failed = await viewer.next((m) => m.data?.event === "call.attempt_failed");
    expect(failed.seq).toBeGreaterThan(snapshot.seq);
    await post(f, dialResult(2), { ...body, DialCallStatus: "completed" });
    await viewer.next((m) => m.type === "call.ended");
    expect(await viewer.waitClosed()).toMatchObject({ code: 1000 });
    const seqs = viewer.messages.slice(1).map((m) => m.seq);
    expect(seqs).toEqual(seqs.map((_, i) => snapshot.seq + 1 + i));
  });

  it("lets at most 20 viewers watch one call and tells the next one why", async ({ expect }) => {
    const f = await createRoutingFixture();
    const token = await signInTo(f.tenantId);
    const body = voiceBody(f);
    await post(f, VOICE, body);
    const viewers = [];
    for (let i = 0; i < 20; i++) viewers.push(await openSocket(`/api/realtime/calls/${body.Session}`, bearer(token)));
    await Promise.all(viewers.map((v) => v.next((m) => m.type === "call.snapshot")));
    const extra = await openSocket(`/api/realtime/calls/${body.Session}`, bearer(token));
    expect(await extra.next()).toMatchObject({ type: "error", code: "TOO_MANY_VIEWERS" });
    expect(await extra.waitClosed()).toEqual({ code: 1013, reason: "too many viewers of this call" });
    expect(viewers.every((v) => v.closed === null)).toBe(true);
    viewers[0]!.send('{"type":"ping"}');
    expect(await viewers[0]!.next((m) => m.type === "pong")).toEqual({ type: "pong" });
  });

  it("answers 404 for a call of another tenant or one that never existed", async ({ expect }) => {
    const a = await createRoutingFixture();
    const b = await createRoutingFixture();
    const body = voiceBody(a);
    await post(a, VOICE, body);
    const tokenB = await signInTo(b.tenantId);
    for (const id of [body.Session, "no-such-call"]) {
      const res = await exports.default.fetch(`${BASE}/api/realtime/calls/${id}`, { headers: { Upgrade: "websocket", ...bearer(tokenB) } });
      expect(res.status).toBe(404);
    }
  });
});

describe("the live-call registry", () => {
  it("drops a call whose end never reached the hub, after checking with its CallSession", async ({ expect }) => {
    const f = await createRoutingFixture();
    const socket = await openSocket("/api/realtime", bearer(await signInTo(f.tenantId)));
    await socket.next((m) => m.type === "snapshot");
    const ghost = {
      callId: `ghost-${crypto.randomUUID()}`,
      recordId: "cal_ghost",
      state: "ringing",
      direction: "inbound",
      from: "1",
      to: "2",
      ruleId: null,
      groupId: null,
      agentId: null,
      trunkId: null,
      attempt: 1,
      startedAt: Date.now(),
      answeredAt: null,
      endedAt: null,
    };
    await hub(f.tenantId).publish([event("call.started", { ...ghost, event: "call.started", detail: {} })]);
    expect((await hub(f.tenantId).liveCalls()).calls.map((c) => c.callId)).toEqual([ghost.callId]);
    // Ten minutes of silence later (no CallSession knows this call): the alarm checks and ends it.
    await runInDurableObject(hub(f.tenantId), (_instance, state) => {
      state.storage.sql.exec("UPDATE live_calls SET checked_at = 0");
    });
    expect(await runDurableObjectAlarm(hub(f.tenantId))).toBe(true);
    expect((await hub(f.tenantId).liveCalls()).calls).toEqual([]);
    expect(await socket.next((m) => m.type === "call.ended")).toMatchObject({ data: { callId: ghost.callId, detail: { reason: "reconciled" } } });
    // A late update of the ended call does not bring it back.
    await hub(f.tenantId).publish([event("call.updated", { ...ghost, state: "connected", event: "call.answered", detail: {} })]);
    expect((await hub(f.tenantId).liveCalls()).calls).toEqual([]);
  });
});

describe("delivering call events to the hub", () => {
  it("delivers a publish that failed once later, by the CallSession's alarm, and shows it once", async ({ expect }) => {
    const f = await createRoutingFixture();
    const socket = await openSocket("/api/realtime", bearer(await signInTo(f.tenantId)));
    const hello = await socket.next((m) => m.type === "hello");
    // A row in the way of the next sequence number makes the hub's publish fail (and roll back).
    await runInDurableObject(hub(f.tenantId), (_instance, state) => {
      state.storage.sql.exec("INSERT INTO events (seq, at, body) VALUES (?, 0, 'in the way')", hello.seq + 1);
    });
    const body = voiceBody(f);
    await post(f, VOICE, body);
    await sleep(500);
    expect(socket.messages.some((m) => m.type === "call.started")).toBe(false);
    // The outbox lives in the call's own stored value (one write per webhook).
    const pending = () => runInDurableObject(session(f.tenantId, body.Session), (_instance, state) => state.storage.kv.get<{ outbox?: { hub: unknown[] } }>("call")?.outbox?.hub.length ?? 0);
    expect(await pending()).toBeGreaterThan(0);

    await runInDurableObject(hub(f.tenantId), (_instance, state) => {
      state.storage.sql.exec("DELETE FROM events WHERE body = 'in the way'");
    });
    expect(await runDurableObjectAlarm(session(f.tenantId, body.Session))).toBe(true);
    const started = await socket.next((m) => m.type === "call.started");
    expect(started).toMatchObject({ seq: hello.seq + 1, data: { callId: body.Session } });
    expect((await hub(f.tenantId).liveCalls()).calls.map((c) => c.callId)).toEqual([body.Session]);
    // What went out leaves the stored outbox with the call's next write; until then another alarm
    // (here, at once) sends it again, and the hub shows nothing twice.
    const shown = (await hub(f.tenantId).ping()).seq;
    expect(await runDurableObjectAlarm(session(f.tenantId, body.Session))).toBe(true);
    expect((await hub(f.tenantId).ping()).seq).toBe(shown);
    await post(f, `${VOICE}/dial-result?attempt=1`, { ...body, DialCallStatus: "no-answer" });
    const stored = await runInDurableObject(session(f.tenantId, body.Session), (_instance, state) => state.storage.kv.get<{ outbox?: { hub: { key?: { seq: number } }[] } }>("call")?.outbox?.hub ?? []);
    // The route's two events (seq 1 and 2) are gone; only the dial result's own remain, if any.
    expect(stored.every((e) => (e.key?.seq ?? 0) > 2)).toBe(true);

    // The same events again, as after a publish whose answer was lost: nothing new is shown.
    const { seq } = await hub(f.tenantId).ping();
    await hub(f.tenantId).publish([{ ...event("call.started", started.data), key: { stream: body.Session, seq: 1 } }]);
    expect((await hub(f.tenantId).ping()).seq).toBe(seq);
    await hub(f.tenantId).publish([event("trunk.updated", { marker: "after" })]);
    await socket.next((m) => m.data?.marker === "after");
    expect(socket.messages.filter((m) => m.type === "call.started")).toHaveLength(1);
  });

  it("shows a failed dial's health change and an API rule edit on an open socket", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    const admin = await signInTo(f.tenantId, "admin");
    const socket = await openSocket("/api/realtime", bearer(admin));
    await socket.next((m) => m.type === "snapshot");
    // Three failed dials in a row take the agent out.
    for (let i = 0; i < 3; i++) {
      const body = voiceBody(f);
      await post(f, VOICE, body);
      await post(f, dialResult(1), { ...body, DialCallStatus: "busy" });
    }
    expect(await socket.next((m) => m.type === "agent.health_changed")).toMatchObject({ data: { agentId: f.agents[0]!.id, healthy: false } });

    const edited = await call(admin, "PUT", `/api/inbound-rules/${f.ruleId}`, { priority: 7 });
    expect(edited.status).toBe(200);
    expect(await socket.next((m) => m.type === "routing_rule.updated")).toMatchObject({ data: { entity: "inbound_rule", action: "updated", ids: [f.ruleId], kind: "inbound" } });
  });

  it("announces a bulk delete of agents as agent.deleted", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 2 });
    const admin = await signInTo(f.tenantId, "admin");
    const created = await call(admin, "POST", "/api/voice-agents", { name: `Spare ${crypto.randomUUID().slice(0, 6)}`, provider: "retell", serviceValue: "+12125559999" });
    expect(created.status).toBe(201);
    const socket = await openSocket("/api/realtime", bearer(admin));
    await socket.next((m) => m.type === "snapshot");
    const res = await call(admin, "POST", "/api/voice-agents/bulk", { action: "delete", ids: [created.body.id] });
    expect(res.status).toBe(200);
    expect(await socket.next(isEvent)).toMatchObject({ type: "agent.deleted", data: { entity: "voice_agent", action: "deleted", ids: [created.body.id] } });
  });
});

describe("catching up within the in-flight bound", () => {
  it("resyncs rather than replay more than half the in-flight bound, and keeps the socket open", async ({ expect }) => {
    const f = await createRoutingFixture();
    const token = await signInTo(f.tenantId);
    const first = await openSocket("/api/realtime", bearer(token));
    const hello = await first.next((m) => m.type === "hello");
    first.close();
    await hub(f.tenantId).publish(Array.from({ length: 200 }, (_, n) => event("trunk.updated", { n })));
    await hub(f.tenantId).publish(Array.from({ length: 100 }, (_, n) => event("trunk.updated", { n })));

    // 300 behind: more than a replay may carry (250), so a resync and a snapshot.
    const far = await openSocket(`/api/realtime?since=${hello.seq}&epoch=${hello.epoch}`, bearer(token));
    await far.next((m) => m.type === "hello");
    expect(await far.next()).toMatchObject({ type: "resync", reason: "too_far_behind", seq: hello.seq + 300 });
    // 250 behind: replayed; they count as in flight, and live events still fit before the first ack.
    const near = await openSocket(`/api/realtime?since=${hello.seq + 50}&epoch=${hello.epoch}`, bearer(token));
    await near.next((m) => m.seq === hello.seq + 300);
    await hub(f.tenantId).publish(Array.from({ length: 100 }, () => event("trunk.updated")));
    await near.next((m) => m.seq === hello.seq + 400);
    expect(near.messages.filter(isEvent)).toHaveLength(350);
    expect(near.closed).toBeNull();
  });

  it("cuts off a socket that keeps asking for replays", async ({ expect }) => {
    const f = await createRoutingFixture();
    const socket = await openSocket("/api/realtime", bearer(await signInTo(f.tenantId)));
    const hello = await socket.next((m) => m.type === "hello");
    await hub(f.tenantId).publish(Array.from({ length: 20 }, () => event("trunk.updated")));
    for (let i = 0; i < 3; i++) {
      socket.send({ type: "resume", since: hello.seq });
      await socket.next((m) => m.seq === hello.seq + 20);
    }
    socket.send({ type: "resume", since: hello.seq });
    expect(await socket.next((m) => m.type === "error")).toMatchObject({ code: "TOO_MANY_RESUMES" });
    expect(await socket.waitClosed()).toMatchObject({ code: 1008, reason: "too many resumes" });
  });
});

describe("ending sockets with their session", () => {
  const me = async (token: string) => (await call(token, "GET", "/api/auth/user")).body.user.id as string;

  it("closes the socket of a session that signs out, and only that one", async ({ expect }) => {
    const f = await createRoutingFixture();
    const leaving = await signInTo(f.tenantId);
    const staying = await signInTo(f.tenantId);
    const a = await openSocket("/api/realtime", bearer(leaving));
    const b = await openSocket("/api/realtime", bearer(staying));
    await Promise.all([a.next((m) => m.type === "snapshot"), b.next((m) => m.type === "snapshot")]);
    expect((await call(leaving, "POST", "/api/auth/logout")).status).toBe(204);
    expect(await a.waitClosed()).toEqual({ code: 4001, reason: "signed out" });
    await hub(f.tenantId).publish([event("trunk.updated", { marker: "still here" })]);
    await b.next((m) => m.data?.marker === "still here");
    expect(b.closed).toBeNull();
  });

  it("closes a user's sockets when an admin disables them, and asks a reconnect on a role change", async ({ expect }) => {
    const f = await createRoutingFixture();
    const admin = await signInTo(f.tenantId, "admin");
    const [disabled, promoted] = [await signInTo(f.tenantId), await signInTo(f.tenantId)];
    const a = await openSocket("/api/realtime", bearer(disabled));
    const b = await openSocket("/api/realtime", bearer(promoted));
    await Promise.all([a.next((m) => m.type === "snapshot"), b.next((m) => m.type === "snapshot")]);
    expect((await call(admin, "PUT", `/api/users/${await me(disabled)}`, { disabled: true })).status).toBe(200);
    expect(await a.waitClosed()).toEqual({ code: 4001, reason: "session revoked; sign in again" });
    expect(b.closed).toBeNull();
    expect((await call(admin, "PUT", `/api/users/${await me(promoted)}`, { role: "admin" })).status).toBe(200);
    expect(await b.waitClosed()).toEqual({ code: 4010, reason: "role changed; reconnect" });
  });
});
